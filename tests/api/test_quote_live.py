"""quoteStatusChanged over graphql-transport-ws with a real client on a real server process:
the customer sees its quote sent and accepted; another company sees nothing of it."""

from __future__ import annotations

import asyncio
from typing import Any

from gql import Client, GraphQLRequest, gql

from tests.api.test_live_price import SECRET, login, post
from tests.api.test_stock_live import seeded, wait_for, ws
from tests.live_server import live_server

__all__ = ["seeded"]

STATUS = gql(
    """subscription { quoteStatusChanged { eventId status previousStatus revision
         quote { number status } } }"""
)
COMPANY = '{ companies(search: "acme") { edges { node { id } } } }'
CREATE = """mutation($c: ID!) { quoteCreate(input: {companyId: $c, title: "Live", lines: [
  {title: "Sign", quantity: 1, net: 5000}]}) { quote { id number } errors { code } } }"""
SEND = "mutation($id: ID!) { quoteSend(input: {id: $id}) { errors { code } } }"
ACCEPT = "mutation($id: ID!) { quoteAccept(input: {id: $id}) { order { number } errors { code } } }"


async def collect(client: Client, out: list[dict[str, Any]]) -> None:
    async with client as session:
        async for result in session.subscribe(GraphQLRequest(STATUS)):
            out.append(result["quoteStatusChanged"])


async def test_quote_status_pushed_to_its_company_only(database_url, seeded, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with live_server(database_url, tmp_path, secret=SECRET) as base:
        boss, globex, admin = [
            await asyncio.to_thread(login, base, who)
            for who in ("boss.acme", "globex", "admin@shop.example")
        ]
        boss_events: list[dict[str, Any]] = []
        globex_events: list[dict[str, Any]] = []
        tasks = [
            asyncio.create_task(collect(ws(base, boss), boss_events)),
            asyncio.create_task(collect(ws(base, globex), globex_events)),
        ]
        try:
            await asyncio.sleep(1.0)  # subscriptions registered
            acme = (await asyncio.to_thread(post, base, COMPANY, None, admin))["companies"][
                "edges"
            ][0]["node"]["id"]
            created = (await asyncio.to_thread(post, base, CREATE, {"c": acme}, admin))[
                "quoteCreate"
            ]["quote"]
            sent = await asyncio.to_thread(post, base, SEND, {"id": created["id"]}, admin)
            assert sent["quoteSend"]["errors"] == []
            accepted = await asyncio.to_thread(post, base, ACCEPT, {"id": created["id"]}, boss)
            assert accepted["quoteAccept"]["errors"] == []
            await wait_for(boss_events, 2)
            # The staff draft itself was never the customer's business: SENT comes first.
            assert [(e["previousStatus"], e["status"]) for e in boss_events] == [
                ("DRAFT", "SENT"),
                ("SENT", "ACCEPTED"),
            ]
            assert boss_events[1]["quote"] == {"number": created["number"], "status": "ACCEPTED"}
            await asyncio.sleep(0.5)
            assert globex_events == []
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
