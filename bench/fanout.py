"""Event fan-out to websocket subscribers (issues #4 and #6.4), and the live-price push.

    .venv/bin/python bench/fanout.py [--subscribers 1000 | --5k] [--rounds 10]
                                     [--topic job|order] [--no-live-price] [--no-record]
                                     [--viewers 1..4] [--no-compression] [--profile]
                                     [--client websockets|raw]

One API process (production mode) on a fresh embedded PostgreSQL. N graphql-transport-ws
subscribers (raw protocol on the `websockets` library, one access token of one customer
company, as N browser tabs would hold) subscribe to `jobStatusChanged` (default: a staff member
completes a job's first task through HTTP, the job goes IN_PROGRESS) or `orderStatusChanged`
(a colleague places an order). For each round the commit time is when this process, LISTENing
on the event relay's channel like the servers, hears the commit's NOTIFY (or the mutation's
HTTP response, if that comes first: the server sends it from the loop that also pushes the
event to every socket, so it may come last); every subscriber timestamps its push on arrival
(parsed only after the round).

`--viewers N` spreads the subscribers over N users of that company (N scope keys, so N shared
executions of the subscription; see schema/shared_subscriptions.py). `--no-compression`: the
subscribers do not offer permessage-deflate (by default they do, as browsers do, and the server
then deflates every message for every socket). `--client raw`: the subscribers are a lean
asyncio client (RawSocket, no compression) instead of the `websockets` library, whose own CPU
per message at 5,000 sockets is about the server's. The subscribers' process does no garbage
collection while measuring (its full collections took 0.4-0.8 s at 5,000 sockets).

Reports delivery latency over all deliveries (p50/p99) and per round until the last delivery,
the server's CPU per round and the subscribers' own (this process), the server's memory per
idle subscriber (RSS after connecting minus before, over N), and the connect rate. Then
`livePrice`: one subscriber, a series of `configurationUpdate`s, latency from each commit to
the push. Prints and appends to bench/RESULTS.md.

The subscribers share the machine (and its 2 cores) with the server: their own receive loop
adds to the latency measured, most at large N.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import gc
import json
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import asyncpg  # noqa: E402
import httpx  # noqa: E402
import psutil  # noqa: E402
from websockets.asyncio.client import ClientConnection, connect  # noqa: E402

from adapters.db import EVENT_CHANNEL  # noqa: E402
from adapters.events import asyncpg_dsn  # noqa: E402
from bench import documents as docs  # noqa: E402
from bench import report  # noqa: E402
from bench.catalog import bench_logins  # noqa: E402
from bench.loadgen import percentile  # noqa: E402
from bench.profiling import py_spy  # noqa: E402
from bench.stack import (  # noqa: E402
    MIB,
    Server,
    api_server,
    exit_cleanly_on_sigterm,
    fresh_database,
    gql,
    login,
    new_secret,
    raise_fd_limit,
)

JOB_SUBSCRIPTION = """subscription JobStatusChanged($after: Int) {
  jobStatusChanged(after: $after) { eventId status job { id number title status } }
}"""
# storefront-example's JobStatusChanged also asks for `job { order { id number } }`: a nested
# field resolved through the subscription's long-lived context (see --storefront-query).
STOREFRONT_JOB_SUBSCRIPTION = """subscription JobStatusChanged($after: Int) {
  jobStatusChanged(after: $after) { eventId status job { id number status order { id number } } }
}"""
ORDER_SUBSCRIPTION = """subscription OrderStatusChanged($after: Int) {
  orderStatusChanged(after: $after) { eventId status previousStatus order { id number status } }
}"""
LIVE_PRICE = (
    """subscription LivePrice($id: ID!) {
  livePrice(configurationId: $id) {
    reason eventId configuration { id revision quantity values } price { ...PriceFields }
  }
}
"""
    + docs.PRICE
    + "\n"
    + docs.MONEY
)
TASK_COMPLETE = (
    """mutation($id: ID!) { taskComplete(id: $id) { task { status } errors { code message } } }"""
)
ORDER_TASKS = """query($id: ID!) { node(id: $id) { ... on Order { jobs { tasks { id } } } } }"""
CONFIGURATION_UPDATE = """mutation($i: ConfigurationUpdateInput!) { configurationUpdate(input: $i) {
  configuration { revision } errors { code message } } }"""
CONFIGURATION_CREATE = """mutation($i: ConfigurationCreateInput!) { configurationCreate(input: $i) {
  configuration { id } errors { code message } } }"""


@dataclass
class Subscriber:
    """One websocket: arrival time and raw text of every pushed message."""

    ws: ClientConnection | RawSocket | None = None
    arrivals: list[tuple[float, str]] = field(default_factory=list)
    error: str | None = None


class RawSocket(asyncio.Protocol):
    """A lean graphql-transport-ws client straight on an asyncio transport (`--client raw`):
    no compression, no frame validation, no task per socket; frames are timestamped as they
    arrive in `data_received`. Cheap enough that 5,000 of them on the server's machine do not
    dominate what is measured, as the `websockets` library's client does at that size."""

    def __init__(self, fleet: Fleet, sub: Subscriber, host: str, path: str) -> None:
        self.fleet = fleet
        self.sub = sub
        self.request = (
            f"GET {path} HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\n"
            "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
            f"Sec-WebSocket-Key: {base64.b64encode(os.urandom(16)).decode()}\r\n"
            "Sec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n"
        ).encode()
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.upgraded = False
        loop = asyncio.get_running_loop()
        self.opened: asyncio.Future[None] = loop.create_future()
        self.acked: asyncio.Future[None] = loop.create_future()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        transport.write(self.request)

    def connection_lost(self, exc: Exception | None) -> None:
        if self.sub.error is None:
            self.sub.error = f"connection lost: {exc!r}"
        for f in (self.opened, self.acked):
            if not f.done():
                f.set_exception(ConnectionError("connection lost"))

    def data_received(self, data: bytes) -> None:
        now = time.perf_counter()
        buf = self.buffer
        buf += data
        if not self.upgraded:
            end = buf.find(b"\r\n\r\n")
            if end < 0:
                return
            if b" 101 " not in buf[: buf.find(b"\r\n")]:
                self.opened.set_exception(ConnectionError(bytes(buf[:end]).decode()))
                return
            del buf[: end + 4]
            self.upgraded = True
            self.opened.set_result(None)
        while len(buf) >= 2:
            opcode, n, at = buf[0] & 0x0F, buf[1] & 0x7F, 2
            if n == 126:
                if len(buf) < 4:
                    return
                n, at = int.from_bytes(buf[2:4], "big"), 4
            elif n == 127:
                if len(buf) < 10:
                    return
                n, at = int.from_bytes(buf[2:10], "big"), 10
            if len(buf) < at + n:
                return
            payload = bytes(buf[at : at + n])
            del buf[: at + n]
            if opcode == 0x1:
                self.text(now, payload.decode())
            elif opcode == 0x9:  # the server's keepalive ping
                self.send(0xA, payload)
            elif opcode == 0x8 and self.transport is not None:
                self.transport.close()

    def text(self, now: float, raw: str) -> None:
        if '"next"' in raw:
            self.fleet.arrived(self.sub, now, raw)
        elif '"ping"' in raw:
            self.send(0x1, b'{"type":"pong"}')
        elif '"connection_ack"' in raw and not self.acked.done():
            self.acked.set_result(None)
        elif '"error"' in raw or '"complete"' in raw:
            self.sub.error = raw

    def send(self, opcode: int, payload: bytes) -> None:
        """A masked frame, as a client must send."""
        assert self.transport is not None and len(payload) < 65536
        mask = os.urandom(4)
        n = len(payload)
        head = bytes([0x80 | opcode, 0x80 | (n if n < 126 else 126)])
        if n >= 126:
            head += n.to_bytes(2, "big")
        key = int.from_bytes((mask * (n // 4 + 1))[:n], "big")
        body = (int.from_bytes(payload, "big") ^ key).to_bytes(n, "big") if n else b""
        self.transport.write(head + mask + body)

    def send_json(self, message: dict[str, Any]) -> None:
        self.send(0x1, json.dumps(message).encode())

    async def close(self) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.send(0x8, (1000).to_bytes(2, "big"))
            self.transport.close()


class Fleet:
    """N subscribers on one event loop; counts arrivals per round."""

    def __init__(
        self,
        url: str,
        tokens: list[str],
        query: str,
        variables: dict[str, Any],
        *,
        compression: bool = True,
        raw: bool = False,
    ) -> None:
        self.url = url
        self.tokens = tokens
        self.compression = compression
        self.raw = raw
        self.query = query
        self.variables = variables
        self.subscribers: list[Subscriber] = []
        self.tasks: list[asyncio.Task[None]] = []
        self.counts: dict[int, int] = {}

    async def open(self, n: int, concurrency: int) -> float:
        """Connect and subscribe n sockets, `concurrency` handshakes at a time; seconds taken."""
        gate = asyncio.Semaphore(concurrency)
        start = time.perf_counter()

        async def one(i: int) -> None:
            sub = Subscriber()
            self.subscribers.append(sub)
            token = self.tokens[i % len(self.tokens)]
            async with gate:
                if self.raw:
                    await self._open_raw(sub, token)
                    return
                sub.ws = await connect(
                    self.url,
                    subprotocols=["graphql-transport-ws"],  # type: ignore[list-item]
                    open_timeout=120,
                    ping_interval=None,  # the server pings; the library answers
                    max_queue=None,
                    compression="deflate" if self.compression else None,
                )
                await sub.ws.send(
                    json.dumps(
                        {
                            "type": "connection_init",
                            "payload": {"authorization": f"Bearer {token}"},
                        }
                    )
                )
                ack = json.loads(await sub.ws.recv())
                if ack.get("type") != "connection_ack":
                    raise RuntimeError(f"no connection_ack: {ack}")
                await sub.ws.send(
                    json.dumps(
                        {
                            "id": "1",
                            "type": "subscribe",
                            "payload": {"query": self.query, "variables": self.variables},
                        }
                    )
                )
            self.tasks.append(asyncio.create_task(self._read(sub)))

        results = await asyncio.gather(*(one(i) for i in range(n)), return_exceptions=True)
        failures = [r for r in results if isinstance(r, BaseException)]
        if failures:
            raise RuntimeError(f"{len(failures)} of {n} subscribers failed: {failures[0]!r}")
        return time.perf_counter() - start

    async def _open_raw(self, sub: Subscriber, token: str) -> None:
        url = urlsplit(self.url)
        host, port = url.hostname or "127.0.0.1", url.port or 80
        loop = asyncio.get_running_loop()
        _, sock = await loop.create_connection(
            lambda: RawSocket(self, sub, f"{host}:{port}", url.path), host, port
        )
        sub.ws = sock
        await asyncio.wait_for(sock.opened, 120)
        sock.send_json({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}})
        await asyncio.wait_for(sock.acked, 120)
        payload = {"query": self.query, "variables": self.variables}
        sock.send_json({"id": "1", "type": "subscribe", "payload": payload})

    def arrived(self, sub: Subscriber, now: float, raw: str) -> None:
        sub.arrivals.append((now, raw))
        k = len(sub.arrivals) - 1
        self.counts[k] = self.counts.get(k, 0) + 1

    async def _read(self, sub: Subscriber) -> None:
        assert isinstance(sub.ws, ClientConnection)
        try:
            async for raw in sub.ws:
                now = time.perf_counter()
                if '"next"' in raw:  # cheap test; parsed after the round
                    self.arrived(sub, now, str(raw))
                elif '"ping"' in raw:
                    await sub.ws.send('{"type":"pong"}')
                elif '"error"' in raw or '"complete"' in raw:
                    sub.error = str(raw)
                    return
        except Exception as exc:  # a dropped connection is a result to report
            sub.error = repr(exc)

    async def wait_round(self, k: int, within_s: float) -> bool:
        deadline = time.perf_counter() + within_s
        n = len(self.subscribers)
        while self.counts.get(k, 0) < n:
            if time.perf_counter() > deadline:
                return False
            if self.errors() == n:
                return False
            await asyncio.sleep(0.005)
        return True

    def errors(self) -> int:
        return sum(1 for s in self.subscribers if s.error)

    async def close(self) -> None:
        for t in self.tasks:
            t.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)

        async def shut(s: Subscriber) -> None:
            if s.ws is not None:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(s.ws.close(), 5)

        for i in range(0, len(self.subscribers), 500):
            await asyncio.gather(*(shut(s) for s in self.subscribers[i : i + 500]))


class CommitClock:
    """Hears every event commit as the servers do: LISTEN on the relay's channel. A commit's
    NOTIFY arrives when it is committed, before the mutation's HTTP response, which the server
    may send only after it has pushed the event to thousands of sockets from the same loop."""

    def __init__(self, database_url: str) -> None:
        self.dsn = asyncpg_dsn(database_url)
        self.heard: list[float] = []
        self.conn: Any = None
        self._news = asyncio.Event()

    async def __aenter__(self) -> CommitClock:
        self.conn = await asyncpg.connect(self.dsn)
        await self.conn.add_listener(EVENT_CHANNEL, self._heard)
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.conn.close()

    def _heard(self, *_: Any) -> None:
        self.heard.append(time.perf_counter())
        self._news.set()

    async def commit_time(self, since: int, fallback: float) -> float:
        """When the first commit after `since` notifications was heard (or `fallback`, if
        earlier or if none is heard within a second)."""
        deadline = time.perf_counter() + 1.0
        while len(self.heard) <= since and time.perf_counter() < deadline:
            self._news.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._news.wait(), deadline - time.perf_counter())
        return min(self.heard[since], fallback) if len(self.heard) > since else fallback


@dataclass
class FanoutResult:
    subscribers: int
    topic: str
    rounds: int
    connect_s: float
    rss_before: int
    rss_idle: int
    rss_peak: int
    deliveries_ms: list[float]
    last_ms: list[float]
    missing: int
    errors: int
    cpu_s_per_round: float
    client_cpu_s_per_round: float
    viewers: int
    load1: float


def rss_of(server: Server) -> int:
    return server.rss()[0]


def prepare_orders(base: str, token: str, count: int) -> list[str]:
    """`count` binding orders of one leaflet line (a job with 4 tasks each); first task ids."""
    leaflet = docs.product_id(base, "leaflet")
    firsts = []
    with httpx.Client() as client:
        for i in range(count):
            line = docs.add_cart_line(base, token, leaflet, {"size": "a5"}, 100 + i, client=client)
            order = docs.place_order(base, token, [line], client=client)
            jobs = gql(base, ORDER_TASKS, {"id": order["id"]}, token, client=client)["node"]["jobs"]
            firsts.append(jobs[0]["tasks"][0]["id"])
    return firsts


async def fanout(
    server: Server,
    n: int,
    rounds: int,
    topic: str,
    concurrency: int,
    log: Any = print,
    *,
    storefront_query: bool = False,
    profile: bool = False,
    viewers: int = 1,
    compression: bool = True,
    raw_client: bool = False,
    database_url: str,
) -> FanoutResult:
    base = server.base
    logins = bench_logins()["bench-trade"]
    if not 1 <= viewers <= len(logins):
        raise ValueError(f"--viewers: 1 to {len(logins)}")
    # All of them hold VIEW_COMPANY_ORDERS (admins), so they see the colleague's orders.
    watchers = [login(base, who) for who in logins[:viewers]]
    orderer = login(base, logins[1])
    staff = login(base, "maker@shop.example")
    first_tasks: list[str] = []
    if topic == "job":
        log(f"  preparing {rounds + 1} orders with jobs")
        first_tasks = prepare_orders(base, orderer, rounds + 1)
    leaflet = docs.product_id(base, "leaflet")
    gc.collect()
    await asyncio.sleep(1)
    rss_before = rss_of(server)
    query = JOB_SUBSCRIPTION if topic == "job" else ORDER_SUBSCRIPTION
    if storefront_query and topic == "job":
        query = STOREFRONT_JOB_SUBSCRIPTION
    fleet = Fleet(
        base.replace("http", "ws") + "/graphql",
        watchers,
        query,
        {},
        compression=compression and not raw_client,
        raw=raw_client,
    )
    log(f"  connecting {n} subscribers ({concurrency} handshakes at a time)")
    connect_s = await fleet.open(n, concurrency)
    await asyncio.sleep(max(2.0, n / 1000))  # let the server settle: the idle footprint
    rss_idle = rss_of(server)
    log(
        f"  connected in {connect_s:.1f} s; server RSS {rss_before / MIB:.1f} -> "
        f"{rss_idle / MIB:.1f} MiB"
    )
    deliveries: list[float] = []
    last: list[float] = []
    missing = 0
    rss_peak = rss_idle
    cpu_total = 0.0
    client_cpu_total = 0.0
    load1 = psutil.getloadavg()[0]
    # The subscribers' own full collections (their heap grows with N sockets) took 0.4-0.8 s
    # each at 5,000 and landed in the measured latencies: none while measuring.
    gc.collect()
    gc.freeze()
    gc.disable()
    async with (
        httpx.AsyncClient(base_url=base, timeout=120) as http,
        CommitClock(database_url) as clock,
    ):

        async def trigger(k: int) -> tuple[float, float]:
            """Commit one change; when it was committed (its NOTIFY heard, or the HTTP
            response if that came first), and when the HTTP response came."""
            if topic == "job":
                body = docs.body(TASK_COMPLETE, {"id": first_tasks[k]})
                token = staff
            else:
                line = await asyncio.to_thread(
                    docs.add_cart_line, base, orderer, leaflet, {"size": "a6"}, 100 + k
                )
                body = docs.body(
                    docs.ORDER_PLACE,
                    {
                        "input": {
                            "idempotencyKey": f"fanout-{k}-{time.time_ns()}",
                            "cartLineIds": [line],
                        }
                    },
                )
                token = orderer
            since = len(clock.heard)
            r = await http.post("/graphql", json=body, headers={"authorization": f"Bearer {token}"})
            responded = time.perf_counter()
            data = r.json()
            payload = next(iter((data.get("data") or {}).values()), None) or {}
            if r.status_code != 200 or data.get("errors") or payload.get("errors"):
                raise RuntimeError(f"trigger failed: {data}")
            return await clock.commit_time(since, responded), responded

        profiling = contextlib.ExitStack()  # py-spy over the measured rounds
        for k in range(rounds + 1):  # round 0 warms up and proves every subscription is live
            cpu0 = _cpu(server)
            client_cpu0 = time.process_time()
            committed, responded = await trigger(k)
            complete = await fleet.wait_round(k, 120)
            cpu_round = _cpu(server) - cpu0
            client_cpu_round = time.process_time() - client_cpu0
            rss_peak = max(rss_peak, rss_of(server))
            times = [s.arrivals[k][0] for s in fleet.subscribers if len(s.arrivals) > k]
            got = [(t - committed) * 1000 for t in times]
            if not complete:
                missing += n - len(got)
            if k == 0 and profile:
                profiling.enter_context(py_spy(server, f"fanout-{n}-{topic}"))
            if k == 0:
                log(
                    f"  warm-up round: {len(got)}/{n} delivered, last after "
                    f"{max(got, default=float('nan')):.0f} ms"
                )
                if not complete:
                    raise RuntimeError(
                        f"warm-up: only {len(got)} of {n} got the event; errors: {fleet.errors()}"
                    )
                continue
            deliveries += got
            last.append(max(got, default=float("nan")))
            cpu_total += cpu_round
            client_cpu_total += client_cpu_round
            _check_payloads(fleet, k, topic)
            log(
                f"  round {k}: {len(got)}/{n}, p50 {percentile(sorted(got), 0.5):.1f} ms, "
                f"last {last[-1]:.1f} ms (HTTP response {1000 * (responded - committed):.0f} ms "
                "after the commit)"
            )
            await asyncio.sleep(0.5)
    profiling.close()
    gc.enable()
    gc.unfreeze()
    errors = fleet.errors()
    await fleet.close()
    return FanoutResult(
        subscribers=n,
        topic=topic,
        rounds=rounds,
        connect_s=connect_s,
        rss_before=rss_before,
        rss_idle=rss_idle,
        rss_peak=rss_peak,
        deliveries_ms=sorted(deliveries),
        last_ms=sorted(last),
        missing=missing,
        errors=errors,
        cpu_s_per_round=cpu_total / max(rounds, 1),
        client_cpu_s_per_round=client_cpu_total / max(rounds, 1),
        viewers=viewers,
        load1=load1,
    )


def _check_payloads(fleet: Fleet, k: int, topic: str) -> None:
    """Spot-check that pushes carry data, not errors."""
    key = "jobStatusChanged" if topic == "job" else "orderStatusChanged"
    for s in fleet.subscribers[:: max(1, len(fleet.subscribers) // 5)]:
        if len(s.arrivals) > k:
            msg = json.loads(s.arrivals[k][1])
            data = (msg.get("payload") or {}).get("data") or {}
            if not data.get(key):
                raise RuntimeError(f"push without data: {msg}")


def _cpu(server: Server) -> float:
    total = 0.0
    for p in server.worker_processes():
        with contextlib.suppress(psutil.Error):
            t = p.cpu_times()
            total += t.user + t.system
    return total


@dataclass
class LivePriceResult:
    updates: int
    latencies_ms: list[float]
    load1: float


async def live_price(
    server: Server, updates: int, database_url: str, log: Any = print
) -> LivePriceResult:
    base = server.base
    token = login(base, bench_logins()["bench-markup"][0])
    leaflet = docs.product_id(base, "leaflet")
    created = gql(
        base,
        CONFIGURATION_CREATE,
        {"i": {"productId": leaflet, "values": {"size": "a5"}, "quantity": 100, "channel": "main"}},
        token,
    )["configurationCreate"]
    config_id = created["configuration"]["id"]
    fleet = Fleet(base.replace("http", "ws") + "/graphql", [token], LIVE_PRICE, {"id": config_id})
    await fleet.open(1, 1)
    if not await fleet.wait_round(0, 30):  # INITIAL
        raise RuntimeError(f"no initial live price: {fleet.subscribers[0].error}")
    latencies = []
    after_response = []  # as measured before the commit clock, for comparison
    load1 = psutil.getloadavg()[0]
    async with (
        httpx.AsyncClient(base_url=base, timeout=60) as http,
        CommitClock(database_url) as clock,
    ):
        for k in range(1, updates + 1):
            body = docs.body(CONFIGURATION_UPDATE, {"i": {"id": config_id, "quantity": 100 + k}})
            since = len(clock.heard)
            r = await http.post("/graphql", json=body, headers={"authorization": f"Bearer {token}"})
            responded = time.perf_counter()
            committed = await clock.commit_time(since, responded)
            if r.status_code != 200 or r.json().get("errors"):
                raise RuntimeError(f"configurationUpdate failed: {r.text}")
            if not await fleet.wait_round(k, 30):
                raise RuntimeError(f"no push for update {k}: {fleet.subscribers[0].error}")
            latencies.append((fleet.subscribers[0].arrivals[k][0] - committed) * 1000)
            after_response.append((fleet.subscribers[0].arrivals[k][0] - responded) * 1000)
            await asyncio.sleep(0.05)
    msg = json.loads(fleet.subscribers[0].arrivals[-1][1])
    price = msg["payload"]["data"]["livePrice"]
    if price["configuration"]["quantity"] != 100 + updates or not price["price"]["valid"]:
        raise RuntimeError(f"unexpected last push: {price}")
    await fleet.close()
    log(
        f"  livePrice: {updates} updates, p50 {percentile(sorted(latencies), 0.5):.1f} ms after "
        f"the commit, {percentile(sorted(after_response), 0.5):.1f} ms after the HTTP response"
    )
    return LivePriceResult(updates, sorted(latencies), load1)


def summary(results: list[FanoutResult], live: LivePriceResult | None) -> str:
    headers = [
        "subscribers",
        "topic",
        "rounds",
        "delivery p50 ms",
        "delivery p99 ms",
        "last delivery p50 ms",
        "last delivery max ms",
        "missing",
        "errors",
        "server CPU s/round",
        "subscribers' CPU s/round",
        "KiB per idle subscriber",
        "server RSS MiB idle/peak",
        "connects/s",
        "load1",
    ]
    rows = []
    for r in results:
        rows.append(
            [
                r.subscribers,
                r.topic,
                r.rounds,
                percentile(r.deliveries_ms, 0.5),
                percentile(r.deliveries_ms, 0.99),
                percentile(r.last_ms, 0.5),
                max(r.last_ms, default=float("nan")),
                r.missing,
                r.errors,
                r.cpu_s_per_round,
                r.client_cpu_s_per_round,
                (r.rss_idle - r.rss_before) / 1024 / r.subscribers,
                f"{r.rss_idle / MIB:.0f}/{r.rss_peak / MIB:.0f}",
                r.subscribers / r.connect_s if r.connect_s else None,
                f"{r.load1:.2f}",
            ]
        )
    out = [report.table(headers, rows)]
    if live is not None:
        p50 = percentile(live.latencies_ms, 0.5)
        p99 = percentile(live.latencies_ms, 0.99)
        out.append(
            f"\nlivePrice push after configurationUpdate ({live.updates} updates, one "
            f"subscriber): p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {max(live.latencies_ms):.1f} ms"
            f" (load1 {live.load1:.2f})"
        )
    lines = ["", "Targets:", ""]
    if live is not None:
        p50 = percentile(live.latencies_ms, 0.5)
        p99 = percentile(live.latencies_ms, 0.99)
        lines.append(
            f"- live-price push < 20 ms after commit: median {report.verdict(p50 < 20)} "
            f"({p50:.1f} ms), p99 {report.verdict(p99 < 20)} ({p99:.1f} ms)"
        )
    for r in results:
        p99 = percentile(r.deliveries_ms, 0.99)
        ok = p99 < 250 and r.missing == 0 if r.subscribers >= 5000 else None
        label = "fan-out 5,000 subscribers p99 < 250 ms"
        if ok is None:
            lines.append(
                f"- {label}: n/a at {r.subscribers:,} subscribers (p99 {p99:.0f} ms; run with --5k)"
            )
        else:
            lines.append(f"- {label}: {report.verdict(ok)} (p99 {p99:.0f} ms)")
    return "\n".join(out + lines)


def run(args: argparse.Namespace) -> None:
    counts = [args.subscribers] if not args.five_k else [5000]
    exit_cleanly_on_sigterm()
    limit = raise_fd_limit(max(counts) * 2 + 2048)
    if limit < max(counts) + 1024:
        print(f"warning: RLIMIT_NOFILE is {limit}; raise the hard limit for {max(counts)} sockets")
    notes = [
        f"one API process (production), embedded PostgreSQL; {args.rounds} rounds after a "
        f"warm-up round; subscribers: raw graphql-transport-ws on `websockets`, one event loop, "
        f"same machine; RLIMIT_NOFILE {limit}; {args.viewers} viewer(s); client "
        f"{args.client}, permessage-deflate "
        f"{'declined' if args.no_compression or args.client == 'raw' else 'offered'}; "
        "no garbage collection in the subscribers' process while measuring",
    ]
    header = report.header(
        "event fan-out and live price (bench/fanout.py)", notes
    )  # taken when the run starts
    print(header)

    async def measure(api: Server) -> tuple[list[FanoutResult], LivePriceResult | None]:
        live = None if args.no_live_price else await live_price(api, args.updates, db.url)
        results = [
            await fanout(
                api,
                n,
                args.rounds,
                args.topic,
                args.connect_concurrency,
                storefront_query=args.storefront_query,
                profile=args.profile,
                viewers=args.viewers,
                compression=not args.no_compression,
                raw_client=args.client == "raw",
                database_url=db.url,
            )
            for n in counts
        ]
        return results, live

    with (
        fresh_database(products=args.products) as db,
        api_server(db, workers=1, secret=new_secret()) as api,
    ):
        print(f"API {api.base} (pid {api.pids()})")
        results, live = asyncio.run(measure(api))
    text = summary(results, live)
    print()
    print(text)
    if not args.no_record:
        report.append(header + "\n\n" + text)
        print(f"\nappended to {report.RESULTS.relative_to(ROOT)}")


def main() -> None:
    parser = argparse.ArgumentParser(description="event fan-out benchmark")
    parser.add_argument("--subscribers", type=int, default=1000)
    parser.add_argument("--5k", dest="five_k", action="store_true", help="5,000 subscribers")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--topic", choices=["job", "order"], default="job")
    parser.add_argument("--connect-concurrency", type=int, default=50)
    parser.add_argument("--updates", type=int, default=50, help="live-price updates")
    parser.add_argument("--no-live-price", action="store_true")
    parser.add_argument("--products", type=int, default=50, help="generated catalog size")
    parser.add_argument(
        "--storefront-query",
        action="store_true",
        help="subscribe with storefront-example's JobStatusChanged (adds job.order)",
    )
    parser.add_argument("--profile", action="store_true", help="py-spy the measured rounds")
    parser.add_argument(
        "--viewers", type=int, default=1, help="users of the company the subscribers log in as"
    )
    parser.add_argument(
        "--no-compression", action="store_true", help="subscribers decline permessage-deflate"
    )
    parser.add_argument(
        "--client",
        choices=["websockets", "raw"],
        default="websockets",
        help="subscribers on the websockets library, or a lean asyncio client (no compression)",
    )
    parser.add_argument("--no-record", action="store_true")
    run(parser.parse_args())


if __name__ == "__main__":
    main()
