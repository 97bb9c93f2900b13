"""Staff stock work over HTTP: item master data, receipts, adjustments with reasons, roles,
and the list's SQL statement count staying flat as the page grows."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from tests.api.stock_helpers import (
    ADJUST,
    ITEM_CREATE,
    ITEM_UPDATE,
    ITEMS,
    RECEIVE,
    call_off,
    company_id,
    items_by_sku,
    movements,
)
from tests.factories import gql
from tests.stock_ledger import assert_ledger_balanced


@pytest.fixture(autouse=True)
async def _ledger_balanced(clean_db, engine):  # type: ignore[no-untyped-def]
    yield
    await assert_ledger_balanced(engine)


async def _supplier_id(client, admin: str, name: str) -> str:  # type: ignore[no-untyped-def]
    body = await gql(
        client,
        "query($s: String) { suppliers(search: $s) { edges { node { id name } } } }",
        {"s": name},
        token=admin,
    )
    return str(body["data"]["suppliers"]["edges"][0]["node"]["id"])


async def test_item_master_data_rules(client, as_user) -> None:  # type: ignore[no-untyped-def]
    admin = await as_user("admin@shop.example")
    maker = await as_user("maker@shop.example")
    boss = await as_user("boss.acme")
    acme = await company_id(client, admin, "acme")
    office = await _supplier_id(client, admin, "Office Supplies")

    async def create(token: str, **i):  # type: ignore[no-untyped-def]
        return (
            await gql(
                client,
                ITEM_CREATE,
                {"i": {"companyId": acme, "name": "Envelopes C4", **i}},
                token=token,
            )
        )["data"]["stockItemCreate"]

    ok = await create(
        admin,
        sku="env-c4",
        supplierId=office,
        supplierSku="OSD-ENV-C4",
        reorderPoint=100,
        orderMultiple=250,
    )
    assert (
        ok["errors"] == [] and ok["stockItem"]["sku"] == "ENV-C4" and ok["stockItem"]["onHand"] == 0
    )
    # Unique per company, whatever the case; the same SKU at another company is fine.
    assert [e["code"] for e in (await create(admin, sku="Env-C4"))["errors"]] == ["DUPLICATE_SKU"]
    globex = await company_id(client, admin, "globex")
    other = (
        await gql(
            client,
            ITEM_CREATE,
            {"i": {"companyId": globex, "sku": "ENV-C4", "name": "x"}},
            token=admin,
        )
    )["data"]["stockItemCreate"]
    assert other["errors"] == []
    assert [
        e["code"]
        for e in (await create(admin, sku="ENV-2", supplierId=office, supplierSku="OSD-ENV-C4"))[
            "errors"
        ]
    ] == ["DUPLICATE_SUPPLIER_SKU"]
    assert [e["code"] for e in (await create(admin, sku="ENV-3", supplierSku="X-1"))["errors"]] == [
        "REQUIRED"
    ]
    bad = await create(admin, sku="no spaces!", name="", reorderPoint=-1, orderMultiple=0)
    assert sorted((e["code"], e["field"][0]) for e in bad["errors"]) == [
        ("INVALID_QUANTITY", "orderMultiple"),
        ("INVALID_QUANTITY", "reorderPoint"),
        ("INVALID_SKU", "sku"),
        ("REQUIRED", "name"),
    ]
    # PRODUCTION may receive but not create; portal users may not touch master data at all.
    assert [e["code"] for e in (await create(maker, sku="ENV-4"))["errors"]] == [
        "PERMISSION_DENIED"
    ]
    denied = await gql(
        client,
        ITEM_CREATE,
        {"i": {"companyId": acme, "sku": "X", "name": "x"}},
        token=boss,
        expect_errors=True,
    )
    assert denied["errors"][0]["extensions"]["code"] == "FORBIDDEN"

    gid = ok["stockItem"]["id"]
    updated = (
        await gql(
            client,
            ITEM_UPDATE,
            {"i": {"id": gid, "reorderPoint": 400, "orderMultiple": 500}},
            token=admin,
        )
    )["data"]["stockItemUpdate"]
    assert updated["errors"] == [] and (
        updated["stockItem"]["reorderPoint"],
        updated["stockItem"]["orderMultiple"],
    ) == (400, 500)
    assert updated["stockItem"]["supplier"] == {"name": "Office Supplies Direct"}
    nulled = (
        await gql(client, ITEM_UPDATE, {"i": {"id": gid, "reorderPoint": None}}, token=admin)
    )["data"]["stockItemUpdate"]
    assert [e["code"] for e in nulled["errors"]] == ["REQUIRED"]
    from strawberry.relay import to_base64

    unknown = (
        await gql(
            client,
            ITEM_UPDATE,
            {"i": {"id": to_base64("StockItem", "999999"), "name": "y"}},
            token=admin,
        )
    )["data"]["stockItemUpdate"]
    assert [(e["code"], e["field"]) for e in unknown["errors"]] == [("NOT_FOUND", ["id"])]


async def test_receipts_and_adjustments(client, as_user) -> None:  # type: ignore[no-untyped-def]
    admin = await as_user("admin@shop.example")
    maker = await as_user("maker@shop.example")
    boss = await as_user("boss.acme")
    pens = (await items_by_sku(client, admin))["PEN-BLUE"]["id"]

    async def receive(token: str, quantity: int, note: str = ""):  # type: ignore[no-untyped-def]
        return (
            await gql(
                client,
                RECEIVE,
                {"i": {"stockItemId": pens, "quantity": quantity, "note": note}},
                token=token,
            )
        )["data"]["stockReceive"]

    async def adjust(token: str, change: int, reason: str):  # type: ignore[no-untyped-def]
        return (
            await gql(
                client,
                ADJUST,
                {"i": {"stockItemId": pens, "change": change, "reason": reason}},
                token=token,
            )
        )["data"]["stockAdjust"]

    got = await receive(maker, 100, "Delivery note 4711")
    assert got["errors"] == [] and got["stockItem"]["onHand"] == 600
    for q in (0, -5):
        assert [e["code"] for e in (await receive(maker, q))["errors"]] == ["INVALID_QUANTITY"]
    assert [e["code"] for e in (await adjust(admin, -10, "  "))["errors"]] == ["REQUIRED"]
    assert [e["code"] for e in (await adjust(admin, 0, "nothing"))["errors"]] == [
        "INVALID_QUANTITY"
    ]
    assert [e["code"] for e in (await adjust(maker, -1, "broken"))["errors"]] == [
        "PERMISSION_DENIED"
    ]
    fixed = await adjust(admin, -7, "Stocktake difference")
    assert fixed["errors"] == [] and fixed["stockItem"]["onHand"] == 593

    # On hand may not drop under what is reserved for call-offs.
    await call_off(client, boss, [(pens, 590)])
    refused = await adjust(admin, -4, "Broken box")
    assert [(e["code"], e["field"]) for e in refused["errors"]] == [
        ("INSUFFICIENT_STOCK", ["change"])
    ]
    assert (await adjust(admin, -3, "Broken box"))["errors"] == []

    history = await movements(client, admin, pens)
    assert [(m["kind"], m["onHandChange"], m["reason"]) for m in history[:3]] == [
        ("ADJUSTMENT", -3, "Broken box"),
        ("CALL_OFF_RESERVATION", 0, history[1]["reason"]),
        ("ADJUSTMENT", -7, "Stocktake difference"),
    ]
    receipt = next(m for m in history if m["reason"] == "Delivery note 4711")
    assert receipt["kind"] == "RECEIPT" and receipt["staffUser"] == {"email": "maker@shop.example"}
    assert (receipt["onHandAfter"], receipt["reservedAfter"]) == (600, 0)
    # Portal users see their stock's history, but not which staff member booked it.
    portal_view = next(
        m for m in await movements(client, boss, pens) if m["reason"] == "Delivery note 4711"
    )
    assert portal_view["actor"] == "STAFF" and portal_view["staffUser"] is None


async def test_limiting_an_item_needs_its_reservations_on_hand(client, as_user) -> None:  # type: ignore[no-untyped-def]
    admin = await as_user("admin@shop.example")
    boss = await as_user("boss.acme")
    acme = await company_id(client, admin, "acme")
    gid = (
        await gql(
            client,
            ITEM_CREATE,
            {"i": {"companyId": acme, "sku": "FLYER", "name": "Flyers", "unlimited": True}},
            token=admin,
        )
    )["data"]["stockItemCreate"]["stockItem"]["id"]
    await call_off(client, boss, [(gid, 30)])
    refused = (await gql(client, ITEM_UPDATE, {"i": {"id": gid, "unlimited": False}}, token=admin))[
        "data"
    ]["stockItemUpdate"]
    assert [(e["code"], e["field"]) for e in refused["errors"]] == [
        ("INSUFFICIENT_STOCK", ["unlimited"])
    ]
    await gql(client, RECEIVE, {"i": {"stockItemId": gid, "quantity": 30}}, token=admin)
    limited = (await gql(client, ITEM_UPDATE, {"i": {"id": gid, "unlimited": False}}, token=admin))[
        "data"
    ]["stockItemUpdate"]
    assert limited["errors"] == [] and limited["stockItem"]["available"] == 0


async def test_stock_list_needs_the_same_statements_for_any_page_size(app, client, as_user) -> None:  # type: ignore[no-untyped-def]
    admin = await as_user("admin@shop.example")
    acme = await company_id(client, admin, "acme")
    for n in range(12):
        await gql(
            client,
            ITEM_CREATE,
            {"i": {"companyId": acme, "sku": f"N-{n}", "name": f"Item {n}"}},
            token=admin,
        )
    statements: list[str] = []

    def count(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        statements.append(statement)

    engine = app.state.engine.sync_engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        sizes = {}
        for first in (2, 15):
            statements.clear()
            body = await gql(client, ITEMS, {"f": None, "first": first}, token=admin)
            assert len(body["data"]["stockItems"]["edges"]) == first
            sizes[first] = len(statements)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert sizes[2] == sizes[15], sizes
