"""Suppliers, reorder suggestions and purchase orders with partial receipts, over HTTP."""

from __future__ import annotations

import pytest

from tests.api.stock_helpers import ITEM_UPDATE, call_off, items_by_sku, movements
from tests.factories import gql
from tests.stock_ledger import assert_ledger_balanced

SUGGEST = """{ purchaseSuggestions { supplier { id name } lines { stockItem { id sku } available onOrder suggestedQuantity } } }"""
PO_CREATE = """mutation($i: PurchaseOrderCreateInput!) { purchaseOrderCreate(input: $i) {
  purchaseOrder { id number status expectedDate supplier { name } lines { quantityOrdered quantityReceived quantityOutstanding stockItem { sku } } }
  errors { code field message } } }"""
PO_RECEIVE = """mutation($i: PurchaseOrderReceiveInput!) { purchaseOrderReceive(input: $i) {
  purchaseOrder { status lines { quantityReceived quantityOutstanding } } errors { code field message } } }"""
PO_CANCEL = """mutation($id: ID!) { purchaseOrderCancel(id: $id) { purchaseOrder { status } errors { code message } } }"""
SUPPLIER_CREATE = """mutation($i: SupplierCreateInput!) { supplierCreate(input: $i) { supplier { id name email leadTimeDays } errors { code field } } }"""
SUPPLIER_UPDATE = """mutation($i: SupplierUpdateInput!) { supplierUpdate(input: $i) { supplier { name leadTimeDays isActive } errors { code field } } }"""


@pytest.fixture(autouse=True)
async def _ledger_balanced(clean_db, engine):  # type: ignore[no-untyped-def]
    yield
    await assert_ledger_balanced(engine)


async def test_suggestions_purchase_order_and_partial_receipts(client, as_user) -> None:  # type: ignore[no-untyped-def]
    admin = await as_user("admin@shop.example")
    maker = await as_user("maker@shop.example")
    boss = await as_user("boss.acme")
    items = await items_by_sku(client, admin)
    pens = items["PEN-BLUE"]["id"]

    # Demo: 3 roll-ups available, reorder point 5, multiple 2 -> 2 from Banner Factory.
    suggested = (await gql(client, SUGGEST, token=admin))["data"]["purchaseSuggestions"]
    assert [
        (
            g["supplier"]["name"],
            [
                (line["stockItem"]["sku"], line["available"], line["suggestedQuantity"])
                for line in g["lines"]
            ],
        )
        for g in suggested
    ] == [("Banner Factory", [("ROLLUP-85", 3, 2)])]
    # Pens: 500 available, reorder point 200. At 200 nothing; at 199 one multiple of 100.
    await call_off(client, boss, [(pens, 300)])
    assert len((await gql(client, SUGGEST, token=admin))["data"]["purchaseSuggestions"]) == 1
    await call_off(client, boss, [(pens, 1)])
    suggested = (await gql(client, SUGGEST, token=admin))["data"]["purchaseSuggestions"]
    office = next(g for g in suggested if g["supplier"]["name"] == "Office Supplies Direct")
    assert [
        (line["stockItem"]["sku"], line["available"], line["suggestedQuantity"])
        for line in office["lines"]
    ] == [("PEN-BLUE", 199, 100)]

    # Order it (one multiple more than suggested), then it is on order and no longer suggested.
    created = (
        await gql(
            client,
            PO_CREATE,
            {
                "i": {
                    "supplierId": office["supplier"]["id"],
                    "lines": [{"stockItemId": pens, "quantity": 200}],
                }
            },
            token=admin,
        )
    )["data"]["purchaseOrderCreate"]
    assert created["errors"] == []
    po = created["purchaseOrder"]
    assert po["number"].startswith("PO-") and po["status"] == "OPEN" and po["expectedDate"]
    suggested = (await gql(client, SUGGEST, token=admin))["data"]["purchaseSuggestions"]
    assert all(g["supplier"]["name"] != "Office Supplies Direct" for g in suggested)

    async def receive(token: str, quantity: int, item: str = pens):  # type: ignore[no-untyped-def]
        return (
            await gql(
                client,
                PO_RECEIVE,
                {"i": {"id": po["id"], "lines": [{"stockItemId": item, "quantity": quantity}]}},
                token=token,
            )
        )["data"]["purchaseOrderReceive"]

    part = await receive(maker, 120)
    assert part["errors"] == [] and part["purchaseOrder"]["status"] == "PARTIALLY_RECEIVED"
    assert part["purchaseOrder"]["lines"] == [{"quantityReceived": 120, "quantityOutstanding": 80}]
    over = await receive(maker, 81)
    assert [(e["code"], e["field"]) for e in over["errors"]] == [
        ("OVER_RECEIPT", ["lines", "0", "quantity"])
    ]
    assert [e["code"] for e in (await receive(maker, 0))["errors"]] == ["INVALID_QUANTITY"]
    assert [e["code"] for e in (await receive(maker, 1, items["LH-A4"]["id"]))["errors"]] == [
        "NOT_FOUND"
    ]
    rest = await receive(maker, 80)
    assert rest["purchaseOrder"]["status"] == "RECEIVED"
    assert [e["code"] for e in (await receive(maker, 1))["errors"]] == ["INVALID_TRANSITION"]
    cancel = (await gql(client, PO_CANCEL, {"id": po["id"]}, token=admin))["data"][
        "purchaseOrderCancel"
    ]
    assert [e["code"] for e in cancel["errors"]] == ["INVALID_TRANSITION"]

    receipts = [
        m
        for m in await movements(client, admin, pens)
        if m["kind"] == "RECEIPT" and m["purchaseOrder"]
    ]
    assert [(m["onHandChange"], m["purchaseOrder"]["number"]) for m in receipts] == [
        (80, po["number"]),
        (120, po["number"]),
    ]
    pens_now = (await items_by_sku(client, admin))["PEN-BLUE"]
    assert (pens_now["onHand"], pens_now["reserved"], pens_now["available"]) == (700, 301, 399)


async def test_purchase_order_rules(client, as_user) -> None:  # type: ignore[no-untyped-def]
    admin = await as_user("admin@shop.example")
    maker = await as_user("maker@shop.example")
    items = await items_by_sku(client, admin)
    suppliers = (await gql(client, "{ suppliers { edges { node { id name } } } }", token=admin))[
        "data"
    ]["suppliers"]["edges"]
    banners = next(s["node"]["id"] for s in suppliers if s["node"]["name"] == "Banner Factory")

    async def create(token: str, lines, **extra):  # type: ignore[no-untyped-def]
        i = {
            "supplierId": banners,
            "lines": [{"stockItemId": sid, "quantity": q} for sid, q in lines],
            **extra,
        }
        return (await gql(client, PO_CREATE, {"i": i}, token=token))["data"]["purchaseOrderCreate"]

    mismatch = await create(admin, [(items["PEN-BLUE"]["id"], 10)])
    assert [(e["code"], e["field"]) for e in mismatch["errors"]] == [
        ("SUPPLIER_MISMATCH", ["lines", "0", "stockItemId"])
    ]
    assert [e["code"] for e in (await create(admin, []))["errors"]] == ["REQUIRED"]
    assert [
        e["code"] for e in (await create(admin, [(items["ROLLUP-85"]["id"], -2)]))["errors"]
    ] == ["INVALID_QUANTITY"]
    assert [
        e["code"]
        for e in (await create(admin, [(items["ROLLUP-85"]["id"], 2)], expectedDate="2001-01-01"))[
            "errors"
        ]
    ] == ["INVALID_DATE"]
    assert [
        e["code"] for e in (await create(maker, [(items["ROLLUP-85"]["id"], 2)]))["errors"]
    ] == ["PERMISSION_DENIED"]
    ok = await create(admin, [(items["ROLLUP-85"]["id"], 2)], remarks="Trade fair")
    assert ok["errors"] == []
    cancelled = (await gql(client, PO_CANCEL, {"id": ok["purchaseOrder"]["id"]}, token=admin))[
        "data"
    ]["purchaseOrderCancel"]
    assert cancelled["purchaseOrder"]["status"] == "CANCELLED"
    # A cancelled order is no longer "on order": the roll-ups are suggested again.
    suggested = (await gql(client, SUGGEST, token=admin))["data"]["purchaseSuggestions"]
    assert [line["onOrder"] for g in suggested for line in g["lines"]] == [0]
    # An inactive supplier takes no orders.
    await gql(client, SUPPLIER_UPDATE, {"i": {"id": banners, "isActive": False}}, token=admin)
    assert [
        e["code"] for e in (await create(admin, [(items["ROLLUP-85"]["id"], 2)]))["errors"]
    ] == ["SUPPLIER_INACTIVE"]


async def test_supplier_master_data(client, as_user) -> None:  # type: ignore[no-untyped-def]
    admin = await as_user("admin@shop.example")
    boss = await as_user("boss.acme")
    maker = await as_user("maker@shop.example")

    async def create(token: str, **i):  # type: ignore[no-untyped-def]
        return (await gql(client, SUPPLIER_CREATE, {"i": i}, token=token))["data"]["supplierCreate"]

    made = await create(
        admin, name="Paper World", email="orders@paperworld.example", leadTimeDays=3
    )
    assert made["errors"] == [] and made["supplier"]["leadTimeDays"] == 3
    assert [e["code"] for e in (await create(admin, name="paper world"))["errors"]] == [
        "DUPLICATE_NAME"
    ]
    bad = await create(admin, name=" ", email="not-an-address", leadTimeDays=-1)
    assert sorted(e["code"] for e in bad["errors"]) == ["INVALID", "INVALID_EMAIL", "REQUIRED"]
    assert [e["code"] for e in (await create(maker, name="Ink Inc."))["errors"]] == [
        "PERMISSION_DENIED"
    ]
    changed = (
        await gql(
            client,
            SUPPLIER_UPDATE,
            {"i": {"id": made["supplier"]["id"], "leadTimeDays": 7}},
            token=admin,
        )
    )["data"]["supplierUpdate"]
    assert changed["supplier"]["leadTimeDays"] == 7 and changed["supplier"]["name"] == "Paper World"
    # Portal users neither list suppliers nor reach one by ID.
    denied = await gql(client, "{ suppliers { totalCount } }", token=boss, expect_errors=True)
    assert denied["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    node = await gql(
        client,
        "query($id: ID!) { node(id: $id) { id } }",
        {"id": made["supplier"]["id"]},
        token=boss,
    )
    assert node["data"]["node"] is None
    # Moving an item to the new supplier keeps its supplier SKU unique per supplier.
    pens = (await items_by_sku(client, admin))["PEN-BLUE"]["id"]
    moved = (
        await gql(
            client,
            ITEM_UPDATE,
            {"i": {"id": pens, "supplierId": made["supplier"]["id"]}},
            token=admin,
        )
    )["data"]["stockItemUpdate"]
    assert moved["errors"] == [] and moved["stockItem"]["supplier"] == {"name": "Paper World"}
