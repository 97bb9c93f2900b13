"""More order rules: price tokens (honoured, expired, outdated version, another spec),
disallowed transitions, idempotent placement under concurrency, bad price rules refused."""

from __future__ import annotations

import asyncio
import copy
import dataclasses
import datetime as dt

from sqlalchemy import text

from domain.pricing.demo_products import DEMO_PRODUCTS
from domain.pricing.tokens import PriceTokenConfig, issue_price_token
from tests.api.test_order_flow import ORDER, PLACE, PRODUCTS, TASK, _cart_with_leaflet
from tests.factories import gql

QUOTE = """query($i: PriceQuoteInput!) { priceQuote(input: $i) { priceToken price { net { amount } } } }"""
CART = "{ cart { id quantity values } }"


async def _token_for_cart(client, token: str) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    line = (await gql(client, CART, token=token))["data"]["cart"][0]
    pid = (await gql(client, PRODUCTS))["data"]["products"]["edges"][0]["node"]["id"]
    q = await gql(
        client,
        QUOTE,
        {"i": {"productId": pid, "configuration": line["values"], "quantity": line["quantity"]}},
        token=token,
    )
    return str(line["id"]), str(q["data"]["priceQuote"]["priceToken"])


async def test_price_tokens_honoured_expired_outdated_or_foreign(client, as_user, app) -> None:  # type: ignore[no-untyped-def]
    boss = await as_user("boss.acme")
    admin = await as_user("admin@shop.example")
    await _cart_with_leaflet(client, boss)
    line_id, token = await _token_for_cart(client, boss)

    # A forged token (wrong signature) and an expired one (signed with the server's key).
    body = (
        await gql(
            client,
            PLACE,
            {
                "i": {
                    "idempotencyKey": "t0",
                    "priceTokens": [{"cartLineId": line_id, "priceToken": token[:-4] + "AAAA"}],
                }
            },
            token=boss,
        )
    )["data"]["orderPlace"]
    assert body["errors"][0]["code"] == "INVALID_PRICE_TOKEN"
    from server.app import app_services

    cfg: PriceTokenConfig = app_services(app.state.settings).price_tokens
    from domain.pricing.tokens import verify_price_token

    claim = verify_price_token(cfg, token, dt.datetime.now(dt.UTC))
    expired = issue_price_token(
        cfg,
        dataclasses.replace(claim, expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)),
    )
    body = (
        await gql(
            client,
            PLACE,
            {
                "i": {
                    "idempotencyKey": "t1",
                    "priceTokens": [{"cartLineId": line_id, "priceToken": expired}],
                }
            },
            token=boss,
        )
    )["data"]["orderPlace"]
    assert body["errors"][0]["code"] == "PRICE_TOKEN_EXPIRED"
    assert body["errors"][0]["field"] == ["lines", "0", "priceToken"]

    # The product changes: the token names an outdated version.
    pid = (await gql(client, PRODUCTS))["data"]["products"]["edges"][0]["node"]["id"]
    rules = copy.deepcopy(DEMO_PRODUCTS["leaflet"]["rules"])
    next(c for c in rules["components"] if c.get("code") == "setup")["amount"] = "13.00"
    await gql(
        client,
        "mutation($i: ProductUpdateInput!) { productUpdate(input: $i) { errors { code } } }",
        {"i": {"id": pid, "rules": rules}},
        token=admin,
    )
    body = (
        await gql(
            client,
            PLACE,
            {
                "i": {
                    "idempotencyKey": "t2",
                    "priceTokens": [{"cartLineId": line_id, "priceToken": token}],
                }
            },
            token=boss,
        )
    )["data"]["orderPlace"]
    assert body["errors"][0]["code"] == "OUTDATED_PRODUCT_VERSION"

    # A fresh token for the new version is honoured: the order carries exactly that price.
    line_id, fresh = await _token_for_cart(client, boss)
    quoted = verify_price_token(cfg, fresh, dt.datetime.now(dt.UTC)).net
    body = (
        await gql(
            client,
            PLACE,
            {
                "i": {
                    "idempotencyKey": "t3",
                    "priceTokens": [{"cartLineId": line_id, "priceToken": fresh}],
                }
            },
            token=boss,
        )
    )["data"]["orderPlace"]
    assert body["errors"] == [] and body["order"]["net"]["amount"] == quoted


async def test_a_token_for_another_specification_is_refused(client, as_user) -> None:  # type: ignore[no-untyped-def]
    boss = await as_user("boss.acme")
    await _cart_with_leaflet(client, boss, quantity=500)
    line = (await gql(client, CART, token=boss))["data"]["cart"][0]
    pid = (await gql(client, PRODUCTS))["data"]["products"]["edges"][0]["node"]["id"]
    cheaper = await gql(
        client,
        QUOTE,
        {"i": {"productId": pid, "configuration": line["values"], "quantity": 100}},
        token=boss,
    )
    body = (
        await gql(
            client,
            PLACE,
            {
                "i": {
                    "idempotencyKey": "s1",
                    "priceTokens": [
                        {
                            "cartLineId": line["id"],
                            "priceToken": cheaper["data"]["priceQuote"]["priceToken"],
                        }
                    ],
                }
            },
            token=boss,
        )
    )["data"]["orderPlace"]
    assert body["errors"][0]["code"] == "INVALID_PRICE_TOKEN"


async def test_disallowed_transitions_are_refused(client, as_user) -> None:  # type: ignore[no-untyped-def]
    boss = await as_user("boss.acme")
    maker = await as_user("maker@shop.example")
    admin = await as_user("admin@shop.example")
    await _cart_with_leaflet(client, boss)
    order = (await gql(client, PLACE, {"i": {"idempotencyKey": "d1"}}, token=boss))["data"][
        "orderPlace"
    ]["order"]
    deliver = "mutation($id: ID!) { orderDeliver(id: $id) { order { status } errors { code } } }"
    cancel = "mutation($id: ID!, $r: String!) { orderCancel(id: $id, reason: $r) { order { status } errors { code } } }"
    # RELEASED cannot be delivered; the customer cannot approve a released order.
    assert (await gql(client, deliver, {"id": order["id"]}, token=admin))["data"]["orderDeliver"][
        "errors"
    ][0]["code"] == "INVALID_TRANSITION"
    tasks = (await gql(client, ORDER, {"id": order["id"]}, token=maker))["data"]["node"]
    first_task = (
        await gql(
            client,
            "query($id: ID!) { node(id: $id) { ... on Order { jobs { tasks { id } } } } }",
            {"id": order["id"]},
            token=maker,
        )
    )["data"]["node"]["jobs"][0]["tasks"]
    assert tasks["status"] == "RELEASED"
    await gql(client, TASK, {"id": first_task[0]["id"]}, token=maker)
    # In production the customer may no longer cancel; the shop may.
    body = (await gql(client, cancel, {"id": order["id"], "r": "changed my mind"}, token=boss))[
        "data"
    ]["orderCancel"]
    assert body["errors"][0]["code"] == "INVALID_TRANSITION"
    body = (await gql(client, cancel, {"id": order["id"], "r": "customer called"}, token=admin))[
        "data"
    ]["orderCancel"]
    assert body["errors"] == [] and body["order"]["status"] == "CANCELLED"
    # Nothing moves out of CANCELLED, and tasks of a cancelled job cannot be completed.
    assert (await gql(client, deliver, {"id": order["id"]}, token=admin))["data"]["orderDeliver"][
        "errors"
    ][0]["code"] == "INVALID_TRANSITION"
    body = (await gql(client, TASK, {"id": first_task[1]["id"]}, token=maker))["data"][
        "taskComplete"
    ]
    assert body["errors"][0]["code"] == "INVALID_TRANSITION"
    history = (await gql(client, ORDER, {"id": order["id"]}, token=boss))["data"]["node"]["history"]
    assert history[-1] == {
        "fromStatus": "IN_PRODUCTION",
        "toStatus": "CANCELLED",
        "actor": "STAFF",
        "reason": "customer called",
    }
    # Production staff cannot complete someone's order tasks as a customer would, and customers cannot complete tasks.
    body = await gql(client, TASK, {"id": first_task[1]["id"]}, token=boss, expect_errors=True)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_the_same_key_placed_concurrently_gives_one_order(client, as_user, engine) -> None:  # type: ignore[no-untyped-def]
    boss = await as_user("boss.acme")
    await _cart_with_leaflet(client, boss)
    results = await asyncio.gather(
        *(gql(client, PLACE, {"i": {"idempotencyKey": "same"}}, token=boss) for _ in range(4))
    )
    numbers = {
        r["data"]["orderPlace"]["order"]["number"]
        for r in results
        if r["data"]["orderPlace"]["order"]
    }
    assert len(numbers) == 1
    async with engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM customer_order"))).scalar() == 1


async def test_a_bad_price_rule_is_refused_with_its_field(client, as_user, engine) -> None:  # type: ignore[no-untyped-def]
    admin = await as_user("admin@shop.example")
    rules = copy.deepcopy(DEMO_PRODUCTS["leaflet"]["rules"])
    rules["components"][0]["amount"] = {"div": ["quantity", 0]}
    body = (
        await gql(
            client,
            "mutation($i: ProductCreateInput!) { productCreate(input: $i) { product { id } errors { code field message } } }",
            {
                "i": {
                    "code": "bad-leaflet",
                    "kind": "PRINT",
                    "name": "Bad",
                    "spec": DEMO_PRODUCTS["leaflet"]["spec"],
                    "rules": rules,
                }
            },
            token=admin,
        )
    )["data"]["productCreate"]
    assert body["product"] is None
    assert body["errors"][0]["field"][:4] == ["rules", "components", "0", "amount"]
    async with engine.connect() as conn:
        assert (
            await conn.execute(text("SELECT count(*) FROM product WHERE code = 'bad-leaflet'"))
        ).scalar() == 0
