"""Shared subscription executions (schema/shared_subscriptions.py), on a real server in this
process (so the hub and the groups can be looked at) with real websockets and PostgreSQL:
subscribers with the same document, variables and viewer scope share one execution, and
nothing crosses viewers, errors or slow readers."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any, cast

import httpx
import pytest
import uvicorn
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.routing import WebSocketRoute
from starlette.websockets import WebSocket
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from adapters.db import SqlUnitOfWork
from domain.accounts.auth import viewer_from_token
from domain.accounts.rights import Right, StaffRole
from domain.accounts.viewer import Viewer, ViewerKind
from resolvers.context import RequestContext
from resolvers.orders import subscriptions as order_subscriptions
from schema.shared_subscriptions import SharedSubscriptionSchema
from tests.api.test_order_events import place_leaflet_order, wait_for
from tests.api.test_order_events import seeded as seeded
from tests.live_server import free_port

JOBS = """subscription($after: Int) { jobStatusChanged(after: $after) {
  eventId status task { name status } job { id number title status } } }"""
# storefront-example's JobStatusChanged, with the order's status to see it is fresh per event.
STOREFRONT_JOBS = """subscription JobStatusChanged($after: Int) {
  jobStatusChanged(after: $after) { eventId status job { id number status
    order { id number status } } } }"""
ORDERS = """subscription($after: Int) { orderStatusChanged(after: $after) {
  eventId status order { number status } } }"""
INCOMING = """subscription { incomingOrders { eventId status order { number } } }"""


class _Server(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:  # pytest keeps its own handlers
        yield


@dataclass
class Served:
    base: str
    app: Any

    @property
    def schema(self) -> SharedSubscriptionSchema:
        schema = self.app.state.schema
        assert isinstance(schema, SharedSubscriptionSchema)
        return schema

    @property
    def groups(self) -> dict[Any, Any]:
        return self.schema.shared.groups

    @property
    def members(self) -> int:
        return self.schema.shared.subscriber_count

    @property
    def hub_subscribers(self) -> int:
        return int(self.app.state.events.subscriber_count)

    async def login(self, who: str) -> str:
        data = await self.post(
            'mutation($l: String!) { tokenCreate(input: {login: $l, password: "demo-pass-123"})'
            " { accessToken } }",
            {"l": who},
        )
        return str(data["tokenCreate"]["accessToken"])

    async def post(
        self, query: str, variables: dict[str, Any] | None = None, token: str | None = None
    ) -> dict[str, Any]:
        headers = {"authorization": f"Bearer {token}"} if token else {}
        async with httpx.AsyncClient(timeout=30) as http:
            r = await http.post(
                f"{self.base}/graphql",
                json={"query": query, "variables": variables or {}},
                headers=headers,
            )
        body = r.json()
        assert "errors" not in body, body
        return dict(body["data"])

    async def place_order(self, token: str, key: str) -> dict[str, Any]:
        return await asyncio.to_thread(place_leaflet_order, self.base, token, key)

    async def first_tasks(self, token: str, order_id: str) -> list[str]:
        data = await self.post(
            "query($id: ID!) { node(id: $id) { ... on Order { jobs { tasks { id } } } } }",
            {"id": order_id},
            token,
        )
        return [t["id"] for t in data["node"]["jobs"][0]["tasks"]]

    async def complete_task(self, staff: str, task_id: str) -> None:
        data = await self.post(
            "mutation($id: ID!) { taskComplete(id: $id) { errors { code } } }",
            {"id": task_id},
            staff,
        )
        assert data["taskComplete"]["errors"] == []


@pytest.fixture
async def served(settings, seeded) -> AsyncIterator[Served]:  # type: ignore[no-untyped-def]
    from server.app import create_app

    app = create_app(settings)
    port = free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", ws="websockets-sansio"
    )
    server = _Server(config)
    task = asyncio.create_task(server.serve())
    await wait_for(lambda: server.started or task.done(), timeout=30)
    assert server.started
    try:
        yield Served(f"http://127.0.0.1:{port}", app)
    finally:
        server.should_exit = True
        await task


class Sub:
    """One graphql-transport-ws subscriber on its own websocket (raw protocol)."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.nexts: list[dict[str, Any]] = []
        self.errors: list[Any] = []
        self.completed = False
        self.task: asyncio.Task[None] | None = None

    @classmethod
    async def open(
        cls, base: str, token: str | None, query: str, variables: dict[str, Any] | None = None
    ) -> Sub:
        ws = await connect(
            base.replace("http", "ws") + "/graphql",
            subprotocols=["graphql-transport-ws"],  # type: ignore[list-item]
        )
        init = {"authorization": f"Bearer {token}"} if token else {}
        await ws.send(json.dumps({"type": "connection_init", "payload": init}))
        ack = json.loads(await ws.recv())
        assert ack["type"] == "connection_ack", ack
        payload = {"query": query, "variables": variables or {}}
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
        sub = cls(ws)
        sub.task = asyncio.create_task(sub._read())
        return sub

    async def _read(self) -> None:
        with contextlib.suppress(ConnectionClosed):
            async for raw in self.ws:
                msg = json.loads(raw)
                if msg["type"] == "next":
                    self.nexts.append(msg["payload"])
                elif msg["type"] == "error":
                    self.errors.append(msg["payload"])
                elif msg["type"] == "complete":
                    self.completed = True
                elif msg["type"] == "ping":
                    await self.ws.send('{"type": "pong"}')

    def items(self, key: str) -> list[dict[str, Any]]:
        return [p["data"][key] for p in self.nexts if p.get("data")]

    async def close(self) -> None:
        await self.ws.close()
        if self.task is not None:
            await self.task


async def open_many(
    served: Served, n: int, token: str | None, query: str, variables: dict[str, Any] | None = None
) -> list[Sub]:
    return list(
        await asyncio.gather(*(Sub.open(served.base, token, query, variables) for _ in range(n)))
    )


async def close_all(subs: list[Sub]) -> None:
    await asyncio.gather(*(s.close() for s in subs))


async def _never(*_: Any) -> Any:
    raise AssertionError("this socket is not used")


async def event_ids(engine: AsyncEngine, topic: str) -> list[int]:
    async with engine.connect() as conn:
        rows = await conn.execute(
            text("SELECT id FROM event WHERE topic = :t ORDER BY id"), {"t": topic}
        )
        return [int(r[0]) for r in rows]


async def settle(served: Served, members: int, groups: int) -> None:
    """Wait until the server has registered the subscriptions."""
    await wait_for(lambda: served.members == members and len(served.groups) == groups, 20)


def test_viewer_scope_key_separates_what_viewers_may_see() -> None:
    boss = Viewer(ViewerKind.PORTAL, 1, 10, frozenset({Right.VIEW_COMPANY_ORDERS}))
    assert (
        boss.scope_key()
        == Viewer(
            ViewerKind.PORTAL, 1, 10, frozenset({Right.VIEW_COMPANY_ORDERS}), session_id=None
        ).scope_key()
    )
    different = [
        Viewer(ViewerKind.PORTAL, 1, 10, frozenset()),  # rights
        Viewer(ViewerKind.PORTAL, 2, 10, frozenset({Right.VIEW_COMPANY_ORDERS})),  # user
        Viewer(ViewerKind.PORTAL, 1, 11, frozenset({Right.VIEW_COMPANY_ORDERS})),  # company
        Viewer(ViewerKind.STAFF, 1, role=StaffRole.ADMIN),
        Viewer(ViewerKind.STAFF, 1, role=StaffRole.PRODUCTION),
    ]
    keys = {v.scope_key() for v in [boss, *different]}
    assert len(keys) == 1 + len(different)


async def test_many_subscribers_share_one_execution_and_get_every_event_in_order(
    served: Served, engine: AsyncEngine
) -> None:
    boss = await served.login("boss.acme")
    maker = await served.login("maker@shop.example")
    subs = await open_many(served, 30, boss, JOBS)
    await settle(served, 30, 1)
    assert served.hub_subscribers == 1  # one upstream for 30 sockets

    order = await served.place_order(boss, "fanout-a")
    for task_id in (await served.first_tasks(boss, order["id"]))[:2]:
        await served.complete_task(maker, task_id)
    expected = await event_ids(engine, "job.status_changed")
    assert len(expected) >= 3
    await wait_for(lambda: all(len(s.nexts) >= len(expected) for s in subs), 30)
    await asyncio.sleep(0.3)  # nothing more may come
    first = subs[0].items("jobStatusChanged")
    assert [e["eventId"] for e in first] == expected  # every event, once, in commit order
    assert all(order["number"] in e["job"]["title"] for e in first)
    for s in subs:
        assert s.items("jobStatusChanged") == first
        assert s.errors == [] and not s.completed

    await close_all(subs)
    # The last one out closes the upstream: its hub subscription goes too.
    await wait_for(
        lambda: served.hub_subscribers == 0 and not served.groups and not served.schema.shared.pumps
    )


async def test_viewers_never_share_results(served: Served) -> None:
    boss, buyer, globex = [await served.login(w) for w in ("boss.acme", "buyer.acme", "globex")]
    boss_subs = await open_many(served, 3, boss, ORDERS)
    buyer_subs = await open_many(served, 3, buyer, ORDERS)
    globex_subs = await open_many(served, 3, globex, ORDERS)
    await settle(served, 9, 3)  # one execution per viewer
    assert served.hub_subscribers == 3

    own = await served.place_order(boss, "share-boss")
    proposal = await served.place_order(buyer, "share-buyer")
    numbers = {own["number"], proposal["number"]}
    await wait_for(
        lambda: all(
            {e["order"]["number"] for e in s.items("orderStatusChanged")} == numbers
            for s in boss_subs
        )
    )
    await wait_for(lambda: all(s.items("orderStatusChanged") for s in buyer_subs))
    await asyncio.sleep(0.5)
    for s in buyer_subs:
        # No VIEW_COMPANY_ORDERS: her own order only, never her colleague's.
        assert {e["order"]["number"] for e in s.items("orderStatusChanged")} == {proposal["number"]}
    for s in globex_subs:
        assert s.nexts == [] and s.errors == []  # another company: nothing at all
    await close_all(boss_subs + buyer_subs + globex_subs)
    await wait_for(lambda: served.hub_subscribers == 0 and not served.groups)


async def test_a_joiner_gets_what_is_committed_after_it_subscribed(
    served: Served, engine: AsyncEngine
) -> None:
    boss = await served.login("boss.acme")
    maker = await served.login("maker@shop.example")
    (first,) = await open_many(served, 1, boss, JOBS)
    await settle(served, 1, 1)
    order = await served.place_order(boss, "join-1")
    await wait_for(lambda: len(first.nexts) >= 1)
    before = await event_ids(engine, "job.status_changed")

    (joiner,) = await open_many(served, 1, boss, JOBS)
    await settle(served, 2, 1)
    assert served.hub_subscribers == 1  # joined, not a second execution
    await served.complete_task(maker, (await served.first_tasks(boss, order["id"]))[0])
    after = [i for i in await event_ids(engine, "job.status_changed") if i not in before]
    assert after
    await wait_for(
        lambda: len(joiner.nexts) >= len(after) and len(first.nexts) >= len(before) + len(after)
    )
    await asyncio.sleep(0.3)
    assert [e["eventId"] for e in joiner.items("jobStatusChanged")] == after
    assert [e["eventId"] for e in first.items("jobStatusChanged")] == before + after

    # The execution does not depend on the socket that started it.
    await first.close()
    await settle(served, 1, 1)
    await served.complete_task(maker, (await served.first_tasks(boss, order["id"]))[1])
    later = [i for i in await event_ids(engine, "job.status_changed") if i not in before + after]
    await wait_for(lambda: len(joiner.nexts) >= len(after) + len(later))
    assert [e["eventId"] for e in joiner.items("jobStatusChanged")] == after + later
    await joiner.close()
    await wait_for(lambda: served.hub_subscribers == 0 and not served.groups)


async def test_joiners_of_a_replaying_subscription_get_the_replay_too(
    served: Served, engine: AsyncEngine
) -> None:
    boss = await served.login("boss.acme")
    maker = await served.login("maker@shop.example")
    order = await served.place_order(boss, "replay-1")
    tasks = await served.first_tasks(boss, order["id"])
    await served.complete_task(maker, tasks[0])
    missed = await event_ids(engine, "job.status_changed")
    cursor = {"after": missed[0]}  # reconnecting tabs that all saw the first event

    (early,) = await open_many(served, 1, boss, JOBS, cursor)
    await wait_for(lambda: len(early.nexts) >= len(missed) - 1)
    (late,) = await open_many(served, 1, boss, JOBS, cursor)
    await settle(served, 2, 1)
    await wait_for(lambda: len(late.nexts) >= len(missed) - 1)
    await served.complete_task(maker, tasks[1])
    every = (await event_ids(engine, "job.status_changed"))[1:]
    await wait_for(lambda: len(early.nexts) >= len(every) and len(late.nexts) >= len(every))
    await asyncio.sleep(0.3)
    for s in (early, late):
        assert [e["eventId"] for e in s.items("jobStatusChanged")] == every
    # A live-only subscriber is a different key: it does not get the replay.
    (live,) = await open_many(served, 1, boss, JOBS)
    await settle(served, 3, 2)
    await asyncio.sleep(0.3)
    assert live.nexts == []
    await close_all([early, late, live])
    await wait_for(lambda: served.hub_subscribers == 0 and not served.groups)


async def test_refused_subscribers_create_no_group_and_spoil_none(served: Served) -> None:
    boss = await served.login("boss.acme")
    maker = await served.login("maker@shop.example")
    # Anonymous sockets (IsAuthenticated), all at once with the same document.
    anonymous = await open_many(served, 5, None, JOBS)
    # A portal user on a staff-only stream (IsStaff), and a bad cursor (refused while starting).
    (not_staff,) = await open_many(served, 1, boss, INCOMING)
    (bad_cursor,) = await open_many(served, 1, boss, JOBS, {"after": -1})
    refused = [*anonymous, not_staff, bad_cursor]
    await wait_for(lambda: all(s.errors or s.nexts for s in refused))
    for s in anonymous:
        assert "UNAUTHENTICATED" in json.dumps(s.errors or s.nexts)
    assert "FORBIDDEN" in json.dumps(not_staff.errors or not_staff.nexts)
    assert "BAD_USER_INPUT" in json.dumps(bad_cursor.errors or bad_cursor.nexts)
    await wait_for(lambda: all(s.completed or s.errors for s in refused))
    assert not served.groups and served.hub_subscribers == 0

    # The same documents for viewers who may: they work, and the refusals did not stick.
    watchers = await open_many(served, 3, boss, JOBS)
    (staff,) = await open_many(served, 1, maker, INCOMING)
    await settle(served, 4, 2)
    order = await served.place_order(boss, "refused-1")
    await wait_for(lambda: all(s.nexts for s in watchers) and bool(staff.nexts))
    assert staff.items("incomingOrders")[0]["order"]["number"] == order["number"]
    assert all(s.errors == [] for s in [*watchers, staff])
    await close_all([*refused, *watchers, staff])
    await wait_for(lambda: served.hub_subscribers == 0 and not served.groups)


async def test_an_overflowing_member_is_ended_alone(served: Served, engine: AsyncEngine) -> None:
    boss = await served.login("boss.acme")
    maker = await served.login("maker@shop.example")
    readers = await open_many(served, 3, boss, JOBS)
    await settle(served, 3, 1)
    # A member that never reads (its socket stalled), with room for two results only.
    ws_route = next(r for r in served.app.routes if isinstance(r, WebSocketRoute))
    services = cast(Any, ws_route.endpoint).services
    uow = SqlUnitOfWork(served.app.state.sessions)
    viewer = await viewer_from_token(cast(Any, uow), services.tokens, boss)
    assert viewer is not None
    context = RequestContext(
        request=WebSocket({"type": "websocket", "headers": [], "state": {}}, _never, _never),
        response=None,
        uow=uow,
        services=services,
        new_uow=lambda: SqlUnitOfWork(served.app.state.sessions),
        viewer=viewer,
    )
    served.schema.shared.member_queue_size = 2
    stalled = await served.schema.stream(JOBS, {}, context)
    await settle(served, 4, 1)

    order = await served.place_order(boss, "overflow-1")
    tasks = await served.first_tasks(boss, order["id"])
    await served.complete_task(maker, tasks[0])
    await served.complete_task(maker, tasks[1])
    expected = await event_ids(engine, "job.status_changed")
    assert len(expected) >= 3
    await wait_for(lambda: all(len(s.nexts) >= len(expected) for s in readers))
    assert served.members == 3  # the stalled one was dropped from the group
    # The others go on.
    await served.complete_task(maker, tasks[2])
    expected = await event_ids(engine, "job.status_changed")
    await wait_for(lambda: all(len(s.nexts) >= len(expected) for s in readers))
    await asyncio.sleep(0.3)
    received = [r async for r in stalled]
    assert [r.data["jobStatusChanged"]["eventId"] for r in received[:2]] == expected[:2]
    assert received[2].data is None
    assert received[2].errors[0].extensions["code"] == "SUBSCRIBER_TOO_SLOW"
    assert len(received) == 3
    for s in readers:
        assert [e["eventId"] for e in s.items("jobStatusChanged")] == expected
        assert s.errors == [] and not s.completed
    await close_all(readers)
    await wait_for(lambda: served.hub_subscribers == 0 and not served.groups)


async def test_nested_fields_are_fresh_per_event_and_hold_no_connection(
    served: Served, engine: AsyncEngine
) -> None:
    boss = await served.login("boss.acme")
    maker = await served.login("maker@shop.example")
    subs = await open_many(served, 25, boss, STOREFRONT_JOBS)  # more than the pool (10 + 10)
    await settle(served, 25, 1)
    order = await served.place_order(boss, "nested-fanout-1")
    await served.complete_task(maker, (await served.first_tasks(boss, order["id"]))[0])
    await wait_for(lambda: all(len(s.nexts) >= 2 for s in subs), 30)
    for s in subs:
        created, started = s.items("jobStatusChanged")[:2]
        assert created["job"]["order"]["number"] == order["number"]
        # The second event sees the order as it is now, not the first event's read.
        assert started["job"]["order"]["status"] == "IN_PRODUCTION"
        assert started["status"] == "IN_PROGRESS"
    await asyncio.sleep(0.2)
    assert served.app.state.engine.pool.checkedout() == 0  # nothing held between events
    async with engine.connect() as conn:
        open_tx = (
            await conn.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE state LIKE 'idle in transaction%'"
                )
            )
        ).scalar()
    assert open_tx == 0
    await close_all(subs)
    await wait_for(lambda: served.hub_subscribers == 0 and not served.groups)


async def test_an_event_is_loaded_once_for_viewers_who_see_orders_alike(
    served: Served, engine: AsyncEngine
) -> None:
    # boss.acme and acme (every right) both see the company's orders: two executions (their
    # scopes differ), one load per event. Staff see everything: a load of their own.
    boss, acme, maker = [await served.login(w) for w in ("boss.acme", "acme", "maker@shop.example")]
    subs = [
        *await open_many(served, 2, boss, JOBS),
        *await open_many(served, 2, acme, JOBS),
        *await open_many(served, 2, maker, JOBS),
    ]
    await settle(served, 6, 3)
    loads = order_subscriptions._EVENT_LOADS.loads
    await served.place_order(boss, "memo-1")
    expected = await event_ids(engine, "job.status_changed")
    await wait_for(lambda: all(len(s.nexts) >= len(expected) for s in subs))
    assert order_subscriptions._EVENT_LOADS.loads - loads == 2 * len(expected)
    jobs = [s.items("jobStatusChanged") for s in subs]
    assert all(j == jobs[0] for j in jobs)
    await close_all(subs)
    await wait_for(lambda: served.hub_subscribers == 0 and not served.groups)


async def test_stock_levels_are_shared_too_and_live_prices_are_not(served: Served) -> None:
    boss = await served.login("boss.acme")
    levels = "subscription { stockLevelChanged { eventId onHand } }"
    subs = await open_many(served, 4, boss, levels)
    await settle(served, 4, 1)
    assert served.hub_subscribers == 1
    # livePrice sends an initial price per subscriber: it never calls share_stream().
    product = (await served.post('{ products(search: "leaflet") { edges { node { id } } } }'))[
        "products"
    ]["edges"][0]["node"]["id"]
    created = await served.post(
        "mutation($i: ConfigurationCreateInput!) { configurationCreate(input: $i) "
        "{ configuration { id } } }",
        {"i": {"productId": product, "quantity": 250}},
        boss,
    )
    config = created["configurationCreate"]["configuration"]["id"]
    live = "subscription($id: ID!) { livePrice(configurationId: $id) { reason } }"
    prices = await open_many(served, 3, boss, live, {"id": config})
    await wait_for(lambda: all(s.items("livePrice") for s in prices))
    assert all(s.items("livePrice")[0]["reason"] == "INITIAL" for s in prices)
    assert len(served.groups) == 1 and served.hub_subscribers == 1 + 3
    await close_all(subs + prices)
    await wait_for(lambda: served.hub_subscribers == 0 and not served.groups)
