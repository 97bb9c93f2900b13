"""Account and cart changes as subscriptions (a real websocket client against a server
process): a payment received and the balance it changed reach the company's users with
VIEW_FINANCES and staff, not a colleague without it nor another company; a cart change
reaches the same user's other tab."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from gql import GraphQLRequest, gql

from tests.api.test_live_price import SECRET, login, post
from tests.api.test_order_events import seeded, ws
from tests.live_server import live_server

__all__ = ["seeded"]

ACCOUNT = gql(
    """subscription($after: Int) { accountChanged(after: $after) { eventId kind amount } }"""
)
CART = gql("""subscription($after: Int) { cartChanged(after: $after) { eventId } }""")
ME = "{ me { ... on PortalUser { company { id } } } }"
RECORD = """mutation($i: PaymentRecordInput!) { paymentRecord(input: $i) { errors { code } } }"""
PRODUCTS = '{ products(search: "leaflet") { edges { node { id } } } }'
CONFIG = """mutation($i: ConfigurationCreateInput!) { configurationCreate(input: $i) {
  configuration { id } } }"""
ADD = """mutation($i: CartLineAddInput!) { cartLineAdd(input: $i) { errors { code } } }"""


async def _first(base: str, token: str, doc: Any, key: str, count: int) -> list[dict[str, Any]]:
    """The first `count` events from the start (after=0), or what arrived within 5 s."""
    out: list[dict[str, Any]] = []

    async def run() -> None:
        async with ws(base, token) as session:
            async for result in session.subscribe(
                GraphQLRequest(doc, variable_values={"after": 0})
            ):
                out.append(result[key])
                if len(out) >= count:
                    return

    try:
        await asyncio.wait_for(run(), timeout=5 if count == 0 else 30)
    except TimeoutError:
        pass
    return out


@pytest.mark.usefixtures("seeded")
async def test_payment_and_cart_events_reach_whom_they_concern(database_url, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with live_server(database_url, tmp_path, secret=SECRET) as base:
        boss, buyer, globex, admin = [
            await asyncio.to_thread(login, base, who)
            for who in ("boss.acme", "buyer.acme", "globex", "admin@shop.example")
        ]
        me = await asyncio.to_thread(post, base, ME, None, boss)
        acme = me["me"]["company"]["id"]
        top_up = {"key": "t-1", "amount": 2500, "companyId": acme}
        recorded = await asyncio.to_thread(post, base, RECORD, {"i": top_up}, admin)
        assert recorded["paymentRecord"]["errors"] == []
        pid = (await asyncio.to_thread(post, base, PRODUCTS))["products"]["edges"][0]["node"]["id"]
        cfg = await asyncio.to_thread(
            post,
            base,
            CONFIG,
            {"i": {"productId": pid, "values": {"size": "a5", "paper": "135"}, "quantity": 100}},
            buyer,
        )
        config_id = cfg["configurationCreate"]["configuration"]["id"]
        added = await asyncio.to_thread(
            post, base, ADD, {"i": {"configurationId": config_id, "quantity": 100}}, buyer
        )
        assert added["cartLineAdd"]["errors"] == []

        expected = [("payment.received", 2500), ("balance.changed", None)]
        for token in (boss, admin):
            events = await _first(base, token, ACCOUNT, "accountChanged", 2)
            assert [(e["kind"], e["amount"]) for e in events] == expected
        for token in (buyer, globex):
            assert await _first(base, token, ACCOUNT, "accountChanged", 0) == []
        assert len(await _first(base, buyer, CART, "cartChanged", 1)) == 1
        assert await _first(base, boss, CART, "cartChanged", 0) == []
