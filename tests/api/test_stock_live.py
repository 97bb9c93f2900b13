"""stockLevelChanged over graphql-transport-ws with a real client on real server processes:
available drops the moment a call-off is placed (through another process), other companies
see nothing, and a reconnect with `after` catches up on what was missed."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest
from gql import Client, GraphQLRequest, gql
from gql.transport.websockets import WebsocketsTransport

from tests.api.test_live_price import SECRET, login, post
from tests.live_server import live_server

LEVELS = gql(
    """subscription($after: Int, $item: ID) { stockLevelChanged(after: $after, stockItemId: $item) {
         eventId movementKind onHand reserved available stockItem { sku available } } }"""
)
ITEMS = "{ stockItems { edges { node { id sku onHand reserved available } } } }"
CALL_OFF = """mutation($i: StockCallOffCreateInput!) { stockCallOffCreate(input: $i) {
  order { number status } errors { code message } } }"""


def ws(base: str, token: str) -> Client:
    transport = WebsocketsTransport(
        url=base.replace("http", "ws") + "/graphql",
        subprotocols=[WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL],
        init_payload={"authorization": f"Bearer {token}"},
    )
    return Client(transport=transport, fetch_schema_from_transport=False)


async def collect(client: Client, out: list[dict[str, Any]], **variables: Any) -> None:
    async with client as session:
        async for result in session.subscribe(GraphQLRequest(LEVELS, variable_values=variables)):
            out.append(result["stockLevelChanged"])


async def wait_for(out: list[Any], n: int, timeout: float = 15) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while len(out) < n:
        assert asyncio.get_running_loop().time() < deadline, f"got {len(out)} of {n}: {out}"
        await asyncio.sleep(0.05)


@pytest.fixture
async def seeded(engine, clean_db) -> None:  # type: ignore[no-untyped-def]
    from adapters.db import SqlUnitOfWork, session_factory
    from server.demo import seed_demo

    uow = SqlUnitOfWork(session_factory(engine))
    try:
        await seed_demo(uow)
    finally:
        await uow.close()
    yield
    from tests.stock_ledger import assert_ledger_balanced

    await assert_ledger_balanced(engine)


async def test_available_drops_live_as_the_call_off_is_placed(
    database_url, seeded, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    with (
        live_server(database_url, tmp_path, secret=SECRET) as a,
        live_server(database_url, tmp_path, secret=SECRET) as b,
    ):
        acme, boss, globex, admin = [
            await asyncio.to_thread(login, a, who)
            for who in ("acme", "boss.acme", "globex", "admin@shop.example")
        ]
        items = (await asyncio.to_thread(post, a, ITEMS, None, boss))["stockItems"]["edges"]
        pens = next(e["node"] for e in items if e["node"]["sku"] == "PEN-BLUE")
        assert pens["available"] == 500

        acme_events: list[dict[str, Any]] = []
        globex_events: list[dict[str, Any]] = []
        staff_events: list[dict[str, Any]] = []
        tasks = [
            asyncio.create_task(collect(ws(b, acme), acme_events)),
            asyncio.create_task(collect(ws(b, globex), globex_events)),
            asyncio.create_task(collect(ws(b, admin), staff_events)),
        ]
        await asyncio.sleep(1.0)  # subscriptions registered on B

        placed = await asyncio.to_thread(
            post,
            a,
            CALL_OFF,
            {
                "i": {
                    "lines": [{"stockItemId": pens["id"], "quantity": 120}],
                    "idempotencyKey": str(uuid.uuid4()),
                }
            },
            boss,
        )
        assert placed["stockCallOffCreate"]["errors"] == []
        await wait_for(acme_events, 1)
        event = acme_events[0]
        assert event["movementKind"] == "CALL_OFF_RESERVATION"
        assert (event["onHand"], event["reserved"], event["available"]) == (500, 120, 380)
        assert event["stockItem"] == {"sku": "PEN-BLUE", "available": 380}
        await wait_for(staff_events, 1)
        assert staff_events[0]["eventId"] == event["eventId"]

        # Globex's own stock moves next: its first event is that, never ACME's.
        globex_id = (
            await asyncio.to_thread(
                post, a, '{ companies(search: "globex") { edges { node { id } } } }', None, admin
            )
        )["companies"]["edges"][0]["node"]["id"]
        created = await asyncio.to_thread(
            post,
            a,
            "mutation($i: StockItemCreateInput!) { stockItemCreate(input: $i) { stockItem { id } errors { code } } }",
            {"i": {"companyId": globex_id, "sku": "GX-MUG", "name": "Globex mugs"}},
            admin,
        )
        await asyncio.to_thread(
            post,
            a,
            "mutation($i: StockReceiveInput!) { stockReceive(input: $i) { errors { code } } }",
            {"i": {"stockItemId": created["stockItemCreate"]["stockItem"]["id"], "quantity": 40}},
            admin,
        )
        await wait_for(globex_events, 1)
        assert [(e["movementKind"], e["stockItem"]["sku"]) for e in globex_events] == [
            ("RECEIPT", "GX-MUG")
        ]
        await wait_for(staff_events, 2)
        assert len(acme_events) == 1

        # A reconnecting subscriber passes the last id it saw and first gets what it missed.
        missed: list[dict[str, Any]] = []
        resume = asyncio.create_task(
            collect(ws(a, boss), missed, after=event["eventId"] - 1, item=pens["id"])
        )
        await wait_for(missed, 1)
        assert missed[0]["eventId"] == event["eventId"] and missed[0]["available"] == 380
        for task in (*tasks, resume):
            task.cancel()
        await asyncio.gather(*tasks, resume, return_exceptions=True)
