"""Supplier systems push stock counts with their API key: applied once per message id, all or
nothing, and a key opens nothing but its own supplier's articles."""

from __future__ import annotations

import pytest

from tests.api.stock_helpers import call_off, items_by_sku, movements
from tests.factories import gql
from tests.stock_ledger import assert_ledger_balanced

KEY = """mutation($id: ID!) { supplierApiKeyCreate(id: $id) { apiKey supplier { name apiKeyHint } errors { code } } }"""
PUSH = """mutation($i: SupplierStockUpdateInput!) { supplierStockUpdate(input: $i) {
  messageId duplicate items { supplierSku previousOnHand onHand } errors { code field message } } }"""


@pytest.fixture(autouse=True)
async def _ledger_balanced(clean_db, engine):  # type: ignore[no-untyped-def]
    yield
    await assert_ledger_balanced(engine)


async def _keys(client, admin: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    suppliers = (await gql(client, "{ suppliers { edges { node { id name } } } }", token=admin))[
        "data"
    ]["suppliers"]["edges"]
    out = {}
    for s in suppliers:
        body = (await gql(client, KEY, {"id": s["node"]["id"]}, token=admin))["data"][
            "supplierApiKeyCreate"
        ]
        assert body["errors"] == [] and body["apiKey"].startswith("prs_sup_")
        assert body["supplier"]["apiKeyHint"] == body["apiKey"][:12] + "…"
        out[s["node"]["name"]] = body["apiKey"]
    return out


async def push(client, key: str, message_id: str, items: list[tuple[str, int]], **kw):  # type: ignore[no-untyped-def]
    i = {"messageId": message_id, "items": [{"supplierSku": s, "onHand": n} for s, n in items]}
    return await gql(client, PUSH, {"i": i}, token=key, **kw)


async def test_supplier_message_is_applied_once(client, as_user, engine) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import text

    admin = await as_user("admin@shop.example")
    key = (await _keys(client, admin))["Office Supplies Direct"]
    body = (
        await push(client, key, "osd-0001", [("OSD-PEN-ACME-B", 480), ("OSD-LH-ACME-A4", 3960)])
    )["data"]["supplierStockUpdate"]
    assert body["errors"] == [] and body["duplicate"] is False
    assert body["items"] == [
        {"supplierSku": "OSD-PEN-ACME-B", "previousOnHand": 500, "onHand": 480},
        {"supplierSku": "OSD-LH-ACME-A4", "previousOnHand": 3960, "onHand": 3960},
    ]
    pens = (await items_by_sku(client, admin))["PEN-BLUE"]
    assert pens["onHand"] == 480
    correction = (await movements(client, admin, pens["id"]))[0]
    assert correction["kind"] == "SUPPLIER_CORRECTION" and correction["onHandChange"] == -20
    assert correction["actor"] == "SUPPLIER" and correction["supplier"] == {
        "name": "Office Supplies Direct"
    }

    async def count() -> int:
        async with engine.connect() as conn:
            return int(
                (await conn.execute(text("SELECT count(*) FROM stock_movement"))).scalar() or 0
            )

    before = await count()
    again = (
        await push(client, key, "osd-0001", [("OSD-LH-ACME-A4", 3960), ("OSD-PEN-ACME-B", 480)])
    )["data"]["supplierStockUpdate"]
    assert again["duplicate"] is True and again["items"] == body["items"] and again["errors"] == []
    assert await count() == before
    reused = (await push(client, key, "osd-0001", [("OSD-PEN-ACME-B", 1)]))["data"][
        "supplierStockUpdate"
    ]
    assert [(e["code"], e["field"]) for e in reused["errors"]] == [
        ("MESSAGE_ID_REUSED", ["messageId"])
    ]
    assert (await items_by_sku(client, admin))["PEN-BLUE"]["onHand"] == 480


async def test_bad_supplier_messages_change_nothing(client, as_user) -> None:  # type: ignore[no-untyped-def]
    admin = await as_user("admin@shop.example")
    boss = await as_user("boss.acme")
    keys = await _keys(client, admin)
    office = keys["Office Supplies Direct"]
    pens = (await items_by_sku(client, boss))["PEN-BLUE"]["id"]
    await call_off(client, boss, [(pens, 300)])

    async def errors(key: str, message_id: str, items):  # type: ignore[no-untyped-def]
        body = (await push(client, key, message_id, items))["data"]["supplierStockUpdate"]
        return [(e["code"], e["field"]) for e in body["errors"]]

    assert await errors(office, "m1", [("OSD-PEN-ACME-B", 450), ("NOPE", 5)]) == [
        ("UNKNOWN_SUPPLIER_SKU", ["items", "1", "supplierSku"])
    ]
    assert await errors(office, "m2", [("OSD-PEN-ACME-B", 299)]) == [
        ("BELOW_RESERVED", ["items", "0", "onHand"])
    ]
    assert await errors(office, "m3", [("OSD-PEN-ACME-B", -1)]) == [
        ("INVALID_QUANTITY", ["items", "0", "onHand"])
    ]
    assert await errors(office, "m4", []) == [("REQUIRED", ["items"])]
    assert await errors(office, "", [("OSD-PEN-ACME-B", 1)]) == [("REQUIRED", ["messageId"])]
    assert await errors(office, "m5", [("OSD-PEN-ACME-B", 1), ("OSD-PEN-ACME-B", 2)]) == [
        ("DUPLICATE_LINE", ["items", "1", "supplierSku"])
    ]
    # Another supplier's key does not reach these articles.
    assert await errors(keys["Banner Factory"], "m6", [("OSD-PEN-ACME-B", 450)]) == [
        ("UNKNOWN_SUPPLIER_SKU", ["items", "0", "supplierSku"])
    ]
    assert (await items_by_sku(client, boss))["PEN-BLUE"]["onHand"] == 500
    # A refused message id is not spent: the corrected message goes through.
    fixed = (await push(client, office, "m1", [("OSD-PEN-ACME-B", 450)]))["data"][
        "supplierStockUpdate"
    ]
    assert fixed["errors"] == [] and fixed["duplicate"] is False
    assert (await items_by_sku(client, boss))["PEN-BLUE"]["available"] == 150


async def test_supplier_keys_authenticate_only_suppliers(client, as_user) -> None:  # type: ignore[no-untyped-def]
    admin = await as_user("admin@shop.example")
    boss = await as_user("boss.acme")
    key = (await _keys(client, admin))["Office Supplies Direct"]

    wrong = await client.post(
        "/graphql",
        json={"query": "{ me { __typename } }"},
        headers={"authorization": "Bearer prs_sup_not-a-key"},
    )
    assert (
        wrong.status_code == 401
        and wrong.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    )
    anonymous = await push(client, "", "m1", [("OSD-PEN-ACME-B", 1)], expect_errors=True)
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    portal = await push(client, boss, "m1", [("OSD-PEN-ACME-B", 1)], expect_errors=True)
    assert portal["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    # The key sees no customer data and may do nothing else.
    seen = await gql(
        client, "{ me { __typename } stockItems { totalCount } orders { totalCount } }", token=key
    )
    assert seen["data"] == {
        "me": None,
        "stockItems": {"totalCount": 0},
        "orders": {"totalCount": 0},
    }
    staff_only = await gql(client, "{ suppliers { totalCount } }", token=key, expect_errors=True)
    assert staff_only["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    # Only ADMIN issues keys; a new key retires the old one at once.
    suppliers = (await gql(client, "{ suppliers { edges { node { id name } } } }", token=admin))[
        "data"
    ]["suppliers"]["edges"]
    office = next(
        s["node"]["id"] for s in suppliers if s["node"]["name"] == "Office Supplies Direct"
    )
    maker = await as_user("maker@shop.example")
    assert (await gql(client, KEY, {"id": office}, token=maker))["data"]["supplierApiKeyCreate"][
        "errors"
    ][0]["code"] == "PERMISSION_DENIED"
    await gql(client, KEY, {"id": office}, token=admin)
    retired = await client.post(
        "/graphql",
        json={"query": "{ me { __typename } }"},
        headers={"authorization": f"Bearer {key}"},
    )
    assert retired.status_code == 401
    # A deactivated supplier's key stops working too.
    new_key = (await gql(client, KEY, {"id": office}, token=admin))["data"]["supplierApiKeyCreate"][
        "apiKey"
    ]
    await gql(
        client,
        "mutation($i: SupplierUpdateInput!) { supplierUpdate(input: $i) { errors { code } } }",
        {"i": {"id": office, "isActive": False}},
        token=admin,
    )
    inactive = await client.post(
        "/graphql",
        json={"query": "{ me { __typename } }"},
        headers={"authorization": f"Bearer {new_key}"},
    )
    assert inactive.status_code == 401
