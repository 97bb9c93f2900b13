"""Order and job status streamed across server processes with a real graphql-transport-ws
client: every step arrives in commit order, tenants see only their own, and a subscriber that
reconnects with its last event id loses nothing."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from gql import Client, GraphQLRequest, gql
from gql.transport.websockets import WebsocketsTransport

from tests.api.test_live_price import SECRET, login, post
from tests.live_server import live_server

ORDERS = gql(
    """subscription($after: Int) { orderStatusChanged(after: $after) {
         eventId status previousStatus order { number status } } }"""
)
INCOMING = gql("""subscription { incomingOrders { eventId status order { number kind } } }""")
JOBS = gql(
    """subscription($after: Int) { jobStatusChanged(after: $after) { eventId status task { name status } job { number title } } }"""
)


def ws(base: str, token: str) -> Client:
    transport = WebsocketsTransport(
        url=base.replace("http", "ws") + "/graphql",
        subprotocols=[WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL],
        init_payload={"authorization": f"Bearer {token}"},
    )
    return Client(transport=transport, fetch_schema_from_transport=False)


async def collect(
    client: Client,
    doc: Any,
    out: list[dict[str, Any]],
    key: str,
    after: int | None = None,
    stop: asyncio.Event | None = None,
) -> None:
    async with client as session:
        async for result in session.subscribe(
            GraphQLRequest(doc, variable_values={"after": after})
        ):
            out.append(result[key])
            if stop is not None and stop.is_set():
                return


async def wait_for(pred, timeout: float = 40) -> None:  # type: ignore[no-untyped-def]
    deadline = asyncio.get_running_loop().time() + timeout
    while not pred():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.05)


def place_leaflet_order(base: str, token: str, key: str) -> dict[str, Any]:
    pid = post(base, '{ products(search: "leaflet") { edges { node { id } } } }')["products"][
        "edges"
    ][0]["node"]["id"]
    cfg = post(
        base,
        "mutation($i: ConfigurationCreateInput!) { configurationCreate(input: $i) { configuration { id } } }",
        {"i": {"productId": pid, "quantity": 250}},
        token,
    )
    cid = cfg["configurationCreate"]["configuration"]["id"]
    post(
        base,
        "mutation($i: CartLineAddInput!) { cartLineAdd(input: $i) { errors { code } } }",
        {"i": {"configurationId": cid, "quantity": 250}},
        token,
    )
    placed = post(
        base,
        "mutation($i: OrderPlaceInput!) { orderPlace(input: $i) { order { id number status } errors { code message } } }",
        {"i": {"idempotencyKey": key}},
        token,
    )
    assert placed["orderPlace"]["errors"] == [], placed
    return placed["orderPlace"]["order"]


@pytest.fixture
async def seeded(engine, clean_db) -> None:  # type: ignore[no-untyped-def]
    from adapters.db import SqlUnitOfWork, session_factory
    from server.demo import seed_demo

    uow = SqlUnitOfWork(session_factory(engine))
    try:
        await seed_demo(uow)
    finally:
        await uow.close()


async def test_customer_watches_every_step_from_another_process(
    database_url, seeded, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    with (
        live_server(database_url, tmp_path, secret=SECRET) as a,
        live_server(database_url, tmp_path, secret=SECRET) as b,
    ):
        buyer, boss, globex, maker = [
            await asyncio.to_thread(login, a, who)
            for who in ("buyer.acme", "boss.acme", "globex", "maker@shop.example")
        ]
        boss_orders: list[dict[str, Any]] = []
        boss_jobs: list[dict[str, Any]] = []
        buyer_orders: list[dict[str, Any]] = []
        globex_orders: list[dict[str, Any]] = []
        incoming: list[dict[str, Any]] = []
        tasks = [
            asyncio.create_task(collect(ws(b, maker), INCOMING, incoming, "incomingOrders")),
            asyncio.create_task(collect(ws(b, boss), ORDERS, boss_orders, "orderStatusChanged")),
            asyncio.create_task(collect(ws(b, boss), JOBS, boss_jobs, "jobStatusChanged")),
            asyncio.create_task(collect(ws(b, buyer), ORDERS, buyer_orders, "orderStatusChanged")),
            asyncio.create_task(
                collect(ws(b, globex), ORDERS, globex_orders, "orderStatusChanged")
            ),
        ]
        await asyncio.sleep(1.0)  # subscriptions registered on B

        # boss places a binding order of his own; buyer proposes one; boss approves it.
        own = await asyncio.to_thread(place_leaflet_order, a, boss, "boss-1")
        proposal = await asyncio.to_thread(place_leaflet_order, a, buyer, "buyer-1")
        assert proposal["status"] == "PENDING_APPROVAL"
        approved = await asyncio.to_thread(
            post,
            a,
            "mutation($id: ID!) { orderApprove(id: $id) { order { jobs { tasks { id } } } errors { code } } }",
            {"id": proposal["id"]},
            boss,
        )
        task_ids = [t["id"] for t in approved["orderApprove"]["order"]["jobs"][0]["tasks"]]
        for tid in task_ids:
            await asyncio.to_thread(
                post,
                a,
                "mutation($id: ID!) { taskComplete(id: $id) { errors { code } } }",
                {"id": tid},
                maker,
            )

        await wait_for(
            lambda: sum(1 for e in boss_orders if e["order"]["number"] == proposal["number"]) >= 4
        )
        steps = [e["status"] for e in boss_orders if e["order"]["number"] == proposal["number"]]
        assert steps == ["PENDING_APPROVAL", "RELEASED", "IN_PRODUCTION", "COMPLETED"]
        ids = [e["eventId"] for e in boss_orders]
        assert ids == sorted(ids)
        assert {e["order"]["number"] for e in boss_orders} == {own["number"], proposal["number"]}
        # Jobs: waiting -> in progress -> done, with the web order number in the title.
        await wait_for(lambda: any(e["status"] == "DONE" for e in boss_jobs))
        # Every task completion is pushed too, not only job status changes.
        done_tasks = [
            e["task"]["name"] for e in boss_jobs if e["task"] and e["task"]["status"] == "DONE"
        ]
        assert done_tasks == ["Prepress", "Print", "Finishing", "Packing"]
        assert all(
            proposal["number"] in e["job"]["title"] or own["number"] in e["job"]["title"]
            for e in boss_jobs
        )
        # buyer.acme has no VIEW_COMPANY_ORDERS: only her own order; globex: nothing.
        await wait_for(lambda: any(e["status"] == "COMPLETED" for e in buyer_orders))
        assert {e["order"]["number"] for e in buyer_orders} == {proposal["number"]}
        assert globex_orders == []
        # Staff see orders enter production: the binding one at once, the proposal on approval.
        await wait_for(lambda: len(incoming) >= 2)
        assert [e["order"]["number"] for e in incoming] == [own["number"], proposal["number"]]
        assert all(e["status"] == "RELEASED" for e in incoming)
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def test_reconnect_with_cursor_loses_nothing(database_url, seeded, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with live_server(database_url, tmp_path, secret=SECRET) as a:
        boss = await asyncio.to_thread(login, a, "boss.acme")
        seen: list[dict[str, Any]] = []
        task = asyncio.create_task(collect(ws(a, boss), ORDERS, seen, "orderStatusChanged"))
        await asyncio.sleep(0.5)
        first = await asyncio.to_thread(place_leaflet_order, a, boss, "r-1")
        await wait_for(lambda: len(seen) >= 1)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        last = seen[-1]["eventId"]
        # While disconnected: two more orders.
        second = await asyncio.to_thread(place_leaflet_order, a, boss, "r-2")
        third = await asyncio.to_thread(place_leaflet_order, a, boss, "r-3")
        resumed: list[dict[str, Any]] = []
        task = asyncio.create_task(
            collect(ws(a, boss), ORDERS, resumed, "orderStatusChanged", after=last)
        )
        await wait_for(lambda: len(resumed) >= 2)
        assert [e["order"]["number"] for e in resumed[:2]] == [second["number"], third["number"]]
        assert all(e["eventId"] > last for e in resumed)
        assert first["number"] not in {e["order"]["number"] for e in resumed}
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
