"""Call-off orders over HTTP: reservation at once (also for proposals), approval, rejection,
cancellation and dispatch through the usual order flow, typed errors for bad input, and the
ledger balanced after every scenario."""

from __future__ import annotations

import pytest

from tests.api.stock_helpers import (
    APPROVE,
    CALL_OFFS,
    CANCEL,
    DELIVER,
    ITEM_CREATE,
    RECEIVE,
    REJECT,
    TASK,
    call_off,
    company_id,
    item,
    items_by_sku,
    movements,
)
from tests.factories import gql
from tests.stock_ledger import assert_ledger_balanced


@pytest.fixture(autouse=True)
async def _ledger_balanced(clean_db, engine):  # type: ignore[no-untyped-def]
    yield
    await assert_ledger_balanced(engine)


async def test_binding_call_off_reserves_creates_a_picking_job_and_is_idempotent(
    client, as_user
) -> None:  # type: ignore[no-untyped-def]
    boss = await as_user("boss.acme")
    pens = (await items_by_sku(client, boss))["PEN-BLUE"]
    assert (pens["onHand"], pens["reserved"], pens["available"]) == (500, 0, 500)

    placed = await call_off(
        client, boss, [(pens["id"], 120)], key="co-1", customerReference="Fair 2027"
    )
    assert placed["errors"] == []
    order = placed["order"]
    assert order["kind"] == "CALL_OFF" and order["number"].startswith("c-")
    assert order["status"] == "RELEASED" and order["customerReference"] == "Fair 2027"
    (job,) = order["jobs"]
    assert [t["name"] for t in job["tasks"]] == ["Picking", "Packing"]
    assert job["requisitions"] == [
        {
            "material": "PEN-BLUE Ballpoint pen, blue, ACME logo",
            "quantity": "120.000",
            "unit": "piece",
        }
    ]
    assert (await item(client, boss, pens["id"]))["available"] == 380

    again = await call_off(
        client, boss, [(pens["id"], 120)], key="co-1", customerReference="Fair 2027"
    )
    assert again["order"]["id"] == order["id"]
    # The same key with another request is refused, not answered with the first call-off.
    for lines, extra in (
        ([(pens["id"], 121)], {"customerReference": "Fair 2027"}),
        ([(pens["id"], 120)], {}),
    ):
        other = await call_off(client, boss, lines, key="co-1", **extra)
        assert [(e["code"], e["field"]) for e in other["errors"]] == [
            ("IDEMPOTENCY_KEY_REUSED", ["idempotencyKey"])
        ]
        assert other["order"] is None
    after = await item(client, boss, pens["id"])
    assert (after["onHand"], after["reserved"], after["available"]) == (500, 120, 380)
    (reservation, *_) = await movements(client, boss, pens["id"])
    assert reservation["kind"] == "CALL_OFF_RESERVATION" and reservation["reservedChange"] == 120
    assert reservation["actor"] == "CUSTOMER" and reservation["portalUser"] == {
        "login": "boss.acme"
    }
    assert reservation["order"] == {"number": order["number"]}


async def test_proposal_reserves_at_once_and_is_approved_by_a_colleague(client, as_user) -> None:  # type: ignore[no-untyped-def]
    buyer = await as_user("buyer.acme")
    boss = await as_user("boss.acme")
    rollups = (await items_by_sku(client, buyer))["ROLLUP-85"]
    placed = await call_off(client, buyer, [(rollups["id"], 2)])
    assert placed["errors"] == []
    assert placed["order"]["status"] == "PENDING_APPROVAL" and placed["order"]["jobs"] == []
    assert (await item(client, buyer, rollups["id"]))["available"] == 1

    own = (await gql(client, APPROVE, {"id": placed["order"]["id"]}, token=buyer))["data"][
        "orderApprove"
    ]
    assert own["errors"][0]["code"] == "PERMISSION_DENIED"
    approved = (await gql(client, APPROVE, {"id": placed["order"]["id"]}, token=boss))["data"][
        "orderApprove"
    ]
    assert approved["errors"] == [] and approved["order"]["status"] == "RELEASED"
    assert [t["name"] for t in approved["order"]["jobs"][0]["tasks"]] == ["Picking", "Packing"]
    # Approval keeps the one reservation: nothing is reserved twice.
    assert (await item(client, boss, rollups["id"]))["reserved"] == 2


async def test_rejected_and_cancelled_call_offs_release_their_reservation(client, as_user) -> None:  # type: ignore[no-untyped-def]
    buyer = await as_user("buyer.acme")
    boss = await as_user("boss.acme")
    letterheads = (await items_by_sku(client, boss))["LH-A4"]
    proposal = (await call_off(client, buyer, [(letterheads["id"], 1000)]))["order"]
    binding = (await call_off(client, boss, [(letterheads["id"], 500)]))["order"]
    assert (await item(client, boss, letterheads["id"]))["available"] == 3960 - 1500

    rejected = (await gql(client, REJECT, {"id": proposal["id"]}, token=boss))["data"][
        "orderReject"
    ]
    assert rejected["order"]["status"] == "REJECTED"
    assert (await item(client, boss, letterheads["id"]))["available"] == 3960 - 500
    cancelled = (await gql(client, CANCEL, {"id": binding["id"]}, token=boss))["data"][
        "orderCancel"
    ]
    assert cancelled["order"]["status"] == "CANCELLED"
    now = await item(client, boss, letterheads["id"])
    assert (now["onHand"], now["reserved"], now["available"]) == (3960, 0, 3960)
    kinds = [m["kind"] for m in await movements(client, boss, letterheads["id"])]
    assert kinds[:4] == ["RELEASE", "RELEASE", "CALL_OFF_RESERVATION", "CALL_OFF_RESERVATION"]
    # Cancelling again changes nothing in the ledger.
    twice = (await gql(client, CANCEL, {"id": binding["id"]}, token=boss))["data"]["orderCancel"]
    assert twice["errors"][0]["code"] == "INVALID_TRANSITION"


async def test_dispatch_turns_the_reservation_into_an_issue(client, as_user) -> None:  # type: ignore[no-untyped-def]
    boss = await as_user("boss.acme")
    maker = await as_user("maker@shop.example")
    admin = await as_user("admin@shop.example")
    pens = (await items_by_sku(client, boss))["PEN-BLUE"]
    order = (await call_off(client, boss, [(pens["id"], 50)]))["order"]
    # Not before picking and packing are done: the state machine still rules.
    early = (await gql(client, DELIVER, {"id": order["id"]}, token=admin))["data"]["orderDeliver"]
    assert early["errors"][0]["code"] == "INVALID_TRANSITION"
    for task in order["jobs"][0]["tasks"]:
        done = (await gql(client, TASK, {"id": task["id"]}, token=maker))["data"]["taskComplete"]
        assert done["errors"] == []
    delivered = (await gql(client, DELIVER, {"id": order["id"]}, token=maker))["data"][
        "orderDeliver"
    ]
    assert delivered["errors"] == [] and delivered["order"]["status"] == "DELIVERED"
    now = await item(client, boss, pens["id"])
    assert (now["onHand"], now["reserved"], now["available"]) == (450, 0, 450)
    issue = (await movements(client, admin, pens["id"]))[0]
    assert issue["kind"] == "ISSUE" and (issue["onHandChange"], issue["reservedChange"]) == (
        -50,
        -50,
    )
    assert issue["actor"] == "STAFF" and issue["staffUser"] == {"email": "maker@shop.example"}
    # A delivered call-off cannot be cancelled (and so never released after its issue).
    late = (await gql(client, CANCEL, {"id": order["id"]}, token=admin))["data"]["orderCancel"]
    assert late["errors"][0]["code"] == "INVALID_TRANSITION"


async def test_unlimited_items_are_never_refused_and_issue_from_the_shelf(client, as_user) -> None:  # type: ignore[no-untyped-def]
    admin = await as_user("admin@shop.example")
    boss = await as_user("boss.acme")
    maker = await as_user("maker@shop.example")
    acme = await company_id(client, admin, "acme")
    created = (
        await gql(
            client,
            ITEM_CREATE,
            {
                "i": {
                    "companyId": acme,
                    "sku": "bc-print",
                    "name": "Business cards on demand",
                    "unit": "BOX",
                    "unlimited": True,
                }
            },
            token=admin,
        )
    )["data"]["stockItemCreate"]
    assert created["errors"] == [] and created["stockItem"]["sku"] == "BC-PRINT"
    gid = created["stockItem"]["id"]
    assert created["stockItem"]["available"] is None
    order = (await call_off(client, boss, [(gid, 10)]))["order"]
    assert order["status"] == "RELEASED"
    assert (await item(client, boss, gid))["reserved"] == 10
    for task in order["jobs"][0]["tasks"]:
        await gql(client, TASK, {"id": task["id"]}, token=maker)
    await gql(client, DELIVER, {"id": order["id"]}, token=maker)
    now = await item(client, boss, gid)
    assert (now["onHand"], now["reserved"], now["available"]) == (0, 0, None)


async def test_bad_input_gets_typed_errors_and_saves_nothing(client, as_user, engine) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import text

    boss = await as_user("boss.acme")
    admin = await as_user("admin@shop.example")
    items = await items_by_sku(client, boss)
    pens, rollups = items["PEN-BLUE"]["id"], items["ROLLUP-85"]["id"]
    globex = await company_id(client, admin, "globex")
    foreign = (
        await gql(
            client,
            ITEM_CREATE,
            {"i": {"companyId": globex, "sku": "GX-1", "name": "Globex mugs"}},
            token=admin,
        )
    )["data"]["stockItemCreate"]["stockItem"]["id"]

    async def codes(lines, **extra):  # type: ignore[no-untyped-def]
        body = await call_off(client, boss, lines, **extra)
        assert body["order"] is None
        return [(e["code"], e["field"]) for e in body["errors"]]

    assert await codes([(pens, 0)]) == [("INVALID_QUANTITY", ["lines", "0", "quantity"])]
    assert await codes([(pens, -3)]) == [("INVALID_QUANTITY", ["lines", "0", "quantity"])]
    assert await codes([]) == [("REQUIRED", ["lines"])]
    assert await codes([(pens, 1), (pens, 2)]) == [
        ("DUPLICATE_LINE", ["lines", "1", "stockItemId"])
    ]
    assert await codes([(pens, 1)], key="") == [("REQUIRED", ["idempotencyKey"])]
    assert await codes([(pens, 1)], desiredDeliveryDate="2000-01-01") == [
        ("INVALID_DATE", ["desiredDeliveryDate"])
    ]
    # Another company's item, an item that does not exist, and an ID of another type all
    # answer the same NOT_FOUND.
    from strawberry.relay import to_base64

    for gid in (foreign, to_base64("StockItem", "999999"), to_base64("Order", "1")):
        body = await call_off(client, boss, [(pens, 1), (gid, 1)])
        assert [(e["code"], e["field"], e["message"]) for e in body["errors"]] == [
            ("NOT_FOUND", ["lines", "1", "stockItemId"], "Stock item not found.")
        ], gid
    # More than is available: refused line by line, nothing reserved, no order.
    body = await call_off(client, boss, [(pens, 501), (rollups, 4)])
    assert [(e["code"], e["field"]) for e in body["errors"]] == [
        ("INSUFFICIENT_STOCK", ["lines", "0", "quantity"]),
        ("INSUFFICIENT_STOCK", ["lines", "1", "quantity"]),
    ]
    assert "Only 500 piece of PEN-BLUE" in body["errors"][0]["message"]
    async with engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM customer_order"))).scalar() == 0
        assert (
            await conn.execute(
                text(
                    "SELECT count(*) FROM stock_movement WHERE kind <> 'RECEIPT' AND kind <> 'ADJUSTMENT'"
                )
            )
        ).scalar() == 0
    assert (await item(client, boss, pens))["reserved"] == 0
    # Staff cannot call off (a portal operation): a top-level FORBIDDEN.
    denied = await gql(
        client,
        'mutation { stockCallOffCreate(input: {lines: [], idempotencyKey: "x"}) { errors { code } } }',
        token=admin,
        expect_errors=True,
    )
    assert denied["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_stock_and_call_offs_are_scoped_to_the_company(client, as_user) -> None:  # type: ignore[no-untyped-def]
    buyer = await as_user("buyer.acme")
    boss = await as_user("boss.acme")
    globex = await as_user("globex")
    admin = await as_user("admin@shop.example")
    acme_items = await items_by_sku(client, buyer)
    assert sorted(acme_items) == ["LH-A4", "PEN-BLUE", "ROLLUP-85"]
    # Suppliers are the shop's business.
    assert all(i["supplier"] is None for i in acme_items.values())
    assert await items_by_sku(client, globex) == {}
    pens = acme_items["PEN-BLUE"]["id"]
    assert await item(client, globex, pens) is None
    assert await movements(client, globex, pens) == []
    staff_view = await items_by_sku(
        client, admin, companyId=await company_id(client, admin, "acme")
    )
    assert staff_view["PEN-BLUE"]["supplier"] == {"name": "Office Supplies Direct"}
    assert staff_view["PEN-BLUE"]["company"] == {"code": "acme"}

    await call_off(client, buyer, [(pens, 1)])
    await call_off(client, boss, [(pens, 2)])
    mine = (await gql(client, CALL_OFFS, {}, token=buyer))["data"]["stockCallOffs"]
    assert mine["totalCount"] == 1 and mine["edges"][0]["node"]["orderer"]["login"] == "buyer.acme"
    everyone = (await gql(client, CALL_OFFS, {}, token=boss))["data"]["stockCallOffs"]
    assert everyone["totalCount"] == 2
    assert (await gql(client, CALL_OFFS, {}, token=globex))["data"]["stockCallOffs"][
        "totalCount"
    ] == 0
    # A colleague's call-off in the history stays hidden from a user without VIEW_COMPANY_ORDERS.
    orders_seen = [
        m["order"]
        for m in await movements(client, buyer, pens)
        if m["kind"] == "CALL_OFF_RESERVATION"
    ]
    assert sorted(o["number"] if o else "hidden" for o in orders_seen)[1] == "hidden"


async def test_ten_concurrent_http_call_offs_for_the_last_five_units(client, as_user) -> None:  # type: ignore[no-untyped-def]
    import asyncio

    boss = await as_user("boss.acme")
    admin = await as_user("admin@shop.example")
    acme = await company_id(client, admin, "acme")
    gid = (
        await gql(
            client,
            ITEM_CREATE,
            {"i": {"companyId": acme, "sku": "LAST", "name": "Last five"}},
            token=admin,
        )
    )["data"]["stockItemCreate"]["stockItem"]["id"]
    await gql(client, RECEIVE, {"i": {"stockItemId": gid, "quantity": 5}}, token=admin)
    results = await asyncio.gather(*(call_off(client, boss, [(gid, 1)]) for _ in range(10)))
    outcomes = sorted("ok" if r["errors"] == [] else r["errors"][0]["code"] for r in results)
    assert outcomes == ["INSUFFICIENT_STOCK"] * 5 + ["ok"] * 5
    now = await item(client, boss, gid)
    assert (now["onHand"], now["reserved"], now["available"]) == (5, 5, 0)


async def test_idempotency_key_of_a_web_order_is_not_reused(client, as_user) -> None:  # type: ignore[no-untyped-def]
    from tests.api.test_order_flow import PLACE, _cart_with_leaflet

    boss = await as_user("boss.acme")
    await _cart_with_leaflet(client, boss)
    placed = (await gql(client, PLACE, {"i": {"idempotencyKey": "shared-key"}}, token=boss))[
        "data"
    ]["orderPlace"]
    assert placed["errors"] == []
    pens = (await items_by_sku(client, boss))["PEN-BLUE"]["id"]
    body = await call_off(client, boss, [(pens, 1)], key="shared-key")
    assert [e["code"] for e in body["errors"]] == ["IDEMPOTENCY_KEY_REUSED"]
