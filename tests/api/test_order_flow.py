"""The order flow over HTTP: a user without ordering rights proposes, a colleague approves,
staff complete the tasks, and the customer's subscription shows every step."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from tests.factories import gql

PRODUCTS = '{ products(search: "leaflet") { edges { node { id } } } }'
CONFIG = """mutation($i: ConfigurationCreateInput!) { configurationCreate(input: $i) {
  configuration { id } errors { code } } }"""
ADD = """mutation($i: CartLineAddInput!) { cartLineAdd(input: $i) {
  cartLine { id quantity title product { code } channel { code } price { net { amount } } quotedNet { amount } }
  errors { code field message } } }"""
PLACE = """mutation($i: OrderPlaceInput!) { orderPlace(input: $i) {
  order { id number status net { amount } lines { title quantity job { id } } } errors { code field message } } }"""
APPROVE = """mutation($id: ID!) { orderApprove(id: $id) { order { id status jobs { id title status tasks { id name status } } } errors { code field message } } }"""
TASK = (
    """mutation($id: ID!) { taskComplete(id: $id) { task { status } errors { code message } } }"""
)
ORDER = """query($id: ID!) { node(id: $id) { ... on Order { number status history { fromStatus toStatus actor reason }
  jobs { title status requisitions { material quantity unit } tasks { name status } } } } }"""


async def _cart_with_leaflet(client, token: str, quantity: int = 500) -> str:  # type: ignore[no-untyped-def]
    pid = (await gql(client, PRODUCTS))["data"]["products"]["edges"][0]["node"]["id"]
    cfg = await gql(
        client,
        CONFIG,
        {"i": {"productId": pid, "values": {"size": "a5", "paper": "135"}, "quantity": quantity}},
        token=token,
    )
    config_id = cfg["data"]["configurationCreate"]["configuration"]["id"]
    added = await gql(
        client,
        ADD,
        {
            "i": {
                "configurationId": config_id,
                "quantity": quantity,
                "remarks": "Please check bleed",
            }
        },
        token=token,
    )
    payload = added["data"]["cartLineAdd"]
    assert payload["errors"] == [], payload
    assert payload["cartLine"]["product"]["code"] == "leaflet"
    assert payload["cartLine"]["channel"]["code"] == "main"
    return str(payload["cartLine"]["id"])


async def test_proposal_approval_production_and_history(client, as_user) -> None:  # type: ignore[no-untyped-def]
    buyer = await as_user("buyer.acme")
    boss = await as_user("boss.acme")
    maker = await as_user("maker@shop.example")
    await _cart_with_leaflet(client, buyer)
    key = str(uuid.uuid4())
    placed = (
        await gql(
            client,
            PLACE,
            {"i": {"idempotencyKey": key, "customerReference": "PO-4711"}},
            token=buyer,
        )
    )["data"]["orderPlace"]
    assert placed["errors"] == []
    order = placed["order"]
    assert order["status"] == "PENDING_APPROVAL" and order["number"].startswith("i-")
    assert order["lines"][0]["job"] is None
    # The same request again: the same order, not a second one.
    again = (
        await gql(
            client,
            PLACE,
            {"i": {"idempotencyKey": key, "customerReference": "PO-4711"}},
            token=buyer,
        )
    )["data"]["orderPlace"]
    assert again["order"]["id"] == order["id"]
    # The same key with a different request: a typed error, never the first order.
    other = (
        await gql(
            client,
            PLACE,
            {"i": {"idempotencyKey": key, "customerReference": "PO-4712"}},
            token=buyer,
        )
    )["data"]["orderPlace"]
    assert other["order"] is None
    assert [(e["code"], e["field"]) for e in other["errors"]] == [
        ("IDEMPOTENCY_KEY_REUSED", ["idempotencyKey"])
    ]

    # The buyer cannot approve (no right); the boss can.
    denied = (await gql(client, APPROVE, {"id": order["id"]}, token=buyer))["data"]["orderApprove"]
    assert denied["errors"][0]["code"] == "PERMISSION_DENIED"
    approved = (await gql(client, APPROVE, {"id": order["id"]}, token=boss))["data"]["orderApprove"]
    assert approved["errors"] == []
    assert approved["order"]["status"] == "RELEASED"
    (job,) = approved["order"]["jobs"]
    assert order["number"] in job["title"]
    assert [t["name"] for t in job["tasks"]] == ["Prepress", "Print", "Finishing", "Packing"]
    twice = (await gql(client, APPROVE, {"id": order["id"]}, token=boss))["data"]["orderApprove"]
    assert twice["errors"][0]["code"] == "ALREADY_DECIDED"

    for task in job["tasks"]:
        done = (await gql(client, TASK, {"id": task["id"]}, token=maker))["data"]["taskComplete"]
        assert done["errors"] == [], done
    final = (await gql(client, ORDER, {"id": order["id"]}, token=boss))["data"]["node"]
    assert final["status"] == "COMPLETED"
    assert [h["toStatus"] for h in final["history"]] == [
        "PENDING_APPROVAL",
        "RELEASED",
        "IN_PRODUCTION",
        "COMPLETED",
    ]
    assert final["jobs"][0]["status"] == "DONE"
    assert final["jobs"][0]["requisitions"], "a print job requisitions its paper"


async def test_own_proposal_cannot_be_approved_by_the_proposer(client, as_user) -> None:  # type: ignore[no-untyped-def]
    # acme holds every right, including REQUEST_ORDERS and APPROVE_ORDERS, but a binding order
    # needs no approval: make a proposal with a user who has both REQUEST and APPROVE only.
    acme = await as_user("acme")
    me = await gql(client, "{ me { ... on PortalUser { company { id } } } }", token=acme)
    company_id = me["data"]["me"]["company"]["id"]
    group = await gql(
        client,
        """mutation($i: PermissionGroupCreateInput!) { permissionGroupCreate(input: $i) { permissionGroup { id } } }""",
        {
            "i": {
                "companyId": company_id,
                "name": "Proposers",
                "rights": ["REQUEST_ORDERS", "APPROVE_ORDERS"],
            }
        },
        token=acme,
    )
    gid = group["data"]["permissionGroupCreate"]["permissionGroup"]["id"]
    await gql(
        client,
        """mutation($i: PortalUserCreateInput!) { portalUserCreate(input: $i) { errors { code } } }""",
        {
            "i": {
                "companyId": company_id,
                "name": "pat",
                "fullName": "Pat",
                "email": "pat@acme.example",
                "password": "pat-password-1",
                "groupIds": [gid],
            }
        },
        token=acme,
    )
    from tests.factories import login

    pat = await login(client, "pat.acme", "pat-password-1")
    await _cart_with_leaflet(client, pat)
    order = (await gql(client, PLACE, {"i": {"idempotencyKey": "k1"}}, token=pat))["data"][
        "orderPlace"
    ]["order"]
    body = (await gql(client, APPROVE, {"id": order["id"]}, token=pat))["data"]["orderApprove"]
    assert body["errors"][0]["code"] == "OWN_PROPOSAL"


async def test_concurrent_approvals_give_one_approval_and_one_error(client, as_user) -> None:  # type: ignore[no-untyped-def]
    buyer = await as_user("buyer.acme")
    boss = await as_user("boss.acme")
    acme = await as_user("acme")
    await _cart_with_leaflet(client, buyer)
    order = (await gql(client, PLACE, {"i": {"idempotencyKey": "c1"}}, token=buyer))["data"][
        "orderPlace"
    ]["order"]
    results = await asyncio.gather(
        gql(client, APPROVE, {"id": order["id"]}, token=boss),
        gql(client, APPROVE, {"id": order["id"]}, token=acme),
    )
    outcomes = sorted(
        "ok"
        if r["data"]["orderApprove"]["errors"] == []
        else r["data"]["orderApprove"]["errors"][0]["code"]
        for r in results
    )
    assert outcomes == ["ALREADY_DECIDED", "ok"]
    final = (await gql(client, ORDER, {"id": order["id"]}, token=boss))["data"]["node"]
    assert len(final["jobs"]) == 1


async def test_bad_input_is_refused_with_typed_errors_and_nothing_saved(
    client, as_user, engine
) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import text

    boss = await as_user("boss.acme")
    globex = await as_user("globex")
    pid = (await gql(client, PRODUCTS))["data"]["products"]["edges"][0]["node"]["id"]
    cfg = await gql(
        client, CONFIG, {"i": {"productId": pid, "values": {}, "quantity": 1}}, token=boss
    )
    config_id = cfg["data"]["configurationCreate"]["configuration"]["id"]
    for q in (0, -5):
        body = (
            await gql(client, ADD, {"i": {"configurationId": config_id, "quantity": q}}, token=boss)
        )["data"]["cartLineAdd"]
        assert body["errors"][0]["code"] == "INVALID_QUANTITY"
    # Someone else's configuration answers like a missing one.
    body = (
        await gql(client, ADD, {"i": {"configurationId": config_id, "quantity": 10}}, token=globex)
    )["data"]["cartLineAdd"]
    assert body["errors"][0]["code"] == "NOT_FOUND"
    # An empty cart cannot be checked out; nothing is saved.
    body = (await gql(client, PLACE, {"i": {"idempotencyKey": "e1"}}, token=boss))["data"][
        "orderPlace"
    ]
    assert body["errors"][0]["code"] == "CART_EMPTY"
    async with engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM customer_order"))).scalar() == 0


async def test_price_change_is_reported_per_line(client, as_user) -> None:  # type: ignore[no-untyped-def]
    import copy

    from domain.pricing.demo_products import DEMO_PRODUCTS

    boss = await as_user("boss.acme")
    admin = await as_user("admin@shop.example")
    await _cart_with_leaflet(client, boss)
    pid = (await gql(client, PRODUCTS))["data"]["products"]["edges"][0]["node"]["id"]
    rules = copy.deepcopy(DEMO_PRODUCTS["leaflet"]["rules"])
    next(c for c in rules["components"] if c.get("code") == "setup")["amount"] = "99.00"
    await gql(
        client,
        "mutation($i: ProductUpdateInput!) { productUpdate(input: $i) { errors { code } } }",
        {"i": {"id": pid, "rules": rules}},
        token=admin,
    )
    body = (await gql(client, PLACE, {"i": {"idempotencyKey": "p1"}}, token=boss))["data"][
        "orderPlace"
    ]
    assert [e["code"] for e in body["errors"]] == ["PRICE_CHANGED"]
    assert body["errors"][0]["field"] == ["lines", "0"]
    body = (
        await gql(
            client, PLACE, {"i": {"idempotencyKey": "p1", "acceptPriceChanges": True}}, token=boss
        )
    )["data"]["orderPlace"]
    assert body["errors"] == [] and body["order"]["status"] == "RELEASED"


async def test_visibility_of_colleagues_orders_and_prices(client, as_user) -> None:  # type: ignore[no-untyped-def]
    buyer = await as_user("buyer.acme")
    boss = await as_user("boss.acme")
    await _cart_with_leaflet(client, boss)
    (await gql(client, PLACE, {"i": {"idempotencyKey": "v1"}}, token=boss))
    await _cart_with_leaflet(client, buyer)
    (await gql(client, PLACE, {"i": {"idempotencyKey": "v2"}}, token=buyer))
    orders_q = (
        "{ orders { totalCount edges { node { number orderer { login } net { amount } } } } }"
    )
    mine = (await gql(client, orders_q, token=buyer))["data"]["orders"]
    # buyer.acme has no VIEW_COMPANY_ORDERS: only her own, with her own prices.
    assert mine["totalCount"] == 1 and mine["edges"][0]["node"]["orderer"]["login"] == "buyer.acme"
    assert mine["edges"][0]["node"]["net"] is not None
    all_orders = (await gql(client, orders_q, token=boss))["data"]["orders"]
    assert all_orders["totalCount"] == 2
    counts = (await gql(client, "{ orderStatusCounts { status count } }", token=boss))["data"][
        "orderStatusCounts"
    ]
    by_status: dict[str, Any] = {c["status"]: c["count"] for c in counts}
    assert by_status["PENDING_APPROVAL"] == 1 and by_status["RELEASED"] == 1
