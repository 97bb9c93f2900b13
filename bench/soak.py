"""A mixed soak against a production-mode server, recording its RSS over time (issue #11).

    .venv/bin/python bench/soak.py [--minutes 30] [--warmup 3] [--clients 16] [--subscribers 50]
                                   [--orders-per-s 6] [--workers 1] [--no-record]

Clients browse catalog pages (anonymous and logged in, every page of the generated catalog),
ask `me`, quote random leaflet configurations, read their orders by `node(id)` and place
orders (a configuration, a cart line, `orderPlace`) at a target rate, while websocket
subscribers follow `orderStatusChanged` for the ordering companies. Like a real client, every
login keeps its refresh token and renews its access token with `tokenRefresh` before it
expires (`--refresh-s`; access tokens live 15 minutes), and websocket subscribers reconnect
with the current token when the server ends their session. The worker's RSS is
sampled every `--sample-s` seconds; the verdict compares the RSS at the end (and the highest
after warm-up) with the RSS when the warm-up ends: the target is growth within 10 %. Rate
limits are off (the load comes from one address); the caches' bytes are read from /metrics at
the end. Prints and appends to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import random
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import websockets  # noqa: E402

from bench import documents as docs  # noqa: E402
from bench import report  # noqa: E402
from bench.catalog import bench_logins  # noqa: E402
from bench.stack import (  # noqa: E402
    MIB,
    Server,
    api_server,
    exit_cleanly_on_sigterm,
    fresh_database,
    gql,
    new_secret,
    raise_fd_limit,
)

LOGIN_PAIR = """mutation($l: String!, $p: String!) { tokenCreate(input: {login: $l, password: $p}) {
  accessToken refreshToken errors { code message } } }"""
TOKEN_REFRESH = """mutation($r: String!) { tokenRefresh(refreshToken: $r) {
  accessToken refreshToken errors { code message } } }"""
ORDER_SUBSCRIPTION = """subscription { orderStatusChanged { eventId status order { id } } }"""
MY_ORDERS = """{ orders(first: 10) { nodes { id } } }"""


@dataclass
class Counts:
    requests: int = 0
    errors: int = 0
    orders: int = 0
    pushes: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    first_errors: list[str] = field(default_factory=list)

    def done(self, kind: str, ok: bool, detail: str = "") -> None:
        self.requests += 1
        self.by_kind[kind] = self.by_kind.get(kind, 0) + 1
        if not ok:
            self.errors += 1
            if len(self.first_errors) < 5:
                self.first_errors.append(f"{kind}: {detail[:300]}")


@dataclass
class Fixtures:
    tokens: dict[str, str]  # login -> current access token (renewed in place)
    refresh_tokens: dict[str, str]
    leaflet_id: str
    product_ids: list[str]
    cursors: list[str | None]
    orders: dict[str, list[str]]


def prepare(base: str) -> Fixtures:
    logins = [who for users in bench_logins().values() for who in users]
    tokens: dict[str, str] = {}
    refresh_tokens: dict[str, str] = {}
    for who in logins:
        data = gql(base, LOGIN_PAIR, {"l": who, "p": "demo-pass-123"})["tokenCreate"]
        if data["errors"]:
            raise RuntimeError(f"login {who}: {data['errors']}")
        tokens[who], refresh_tokens[who] = data["accessToken"], data["refreshToken"]
    leaflet = docs.product_id(base, "leaflet")
    total = gql(base, '{ products(channel: "main", first: 0) { totalCount } }')["products"][
        "totalCount"
    ]
    from schema.core import encode_cursor

    cursors: list[str | None] = [None, *(encode_cursor(o - 1) for o in range(20, total, 20))]
    products = [leaflet, *(docs.product_id(base, f"bench-{n:04d}") for n in range(1, 6))]
    return Fixtures(tokens, refresh_tokens, leaflet, products, cursors, {who: [] for who in tokens})


async def refresher(
    client: httpx.AsyncClient, f: Fixtures, counts: Counts, every_s: float, end: float
) -> None:
    """Renews every login's access token with its single-use refresh token, as a client
    must before the 15-minute access token expires; counted as `refresh` requests."""
    while time.monotonic() + every_s < end:
        await asyncio.sleep(every_s)
        for who, refresh_token in list(f.refresh_tokens.items()):
            data = await post(
                counts=counts,
                client=client,
                kind="refresh",
                body=docs.body(TOKEN_REFRESH, {"r": refresh_token}),
            )
            answer = (data or {}).get("tokenRefresh") or {}
            if answer.get("accessToken") and not answer.get("errors"):
                f.tokens[who] = answer["accessToken"]
                f.refresh_tokens[who] = answer["refreshToken"]
            else:
                counts.done("refresh", False, json.dumps(answer))


async def post(
    client: httpx.AsyncClient,
    counts: Counts,
    kind: str,
    body: dict[str, Any],
    token: str | None = None,
) -> dict[str, Any] | None:
    headers = {"authorization": f"Bearer {token}"} if token else {}
    try:
        r = await client.post("/graphql", json=body, headers=headers)
        data = r.json()
    except (httpx.HTTPError, json.JSONDecodeError) as exc:
        counts.done(kind, False, repr(exc))
        return None
    ok = r.status_code == 200 and not data.get("errors")
    counts.done(kind, ok, json.dumps(data))
    return data.get("data") if ok else None


async def browser(
    client: httpx.AsyncClient, f: Fixtures, counts: Counts, seed: int, end: float
) -> None:
    rng = random.Random(seed)
    who = rng.choice(list(f.tokens))
    while time.monotonic() < end:
        token = f.tokens[who] if rng.random() < 0.5 else None
        variables = {"channel": "main", "after": rng.choice(f.cursors)}
        await post(client, counts, "catalog", docs.body(docs.CATALOG_PAGE, variables), token)
        if token and rng.random() < 0.3:
            await post(client, counts, "me", docs.body(docs.ME), token)


async def quoter(
    client: httpx.AsyncClient, f: Fixtures, counts: Counts, seed: int, end: float
) -> None:
    rng = random.Random(seed)
    bodies = docs.price_quote_bodies(f.leaflet_id, count=300, seed=seed)
    who = rng.choice(list(f.tokens))
    while time.monotonic() < end:
        token = f.tokens[who] if rng.random() < 0.5 else None
        await post(client, counts, "quote", rng.choice(bodies), token)


async def order_reader(
    client: httpx.AsyncClient, f: Fixtures, counts: Counts, seed: int, end: float
) -> None:
    rng = random.Random(seed)
    while time.monotonic() < end:
        who = rng.choice(list(f.tokens))
        if f.orders[who]:
            body = docs.body(docs.ORDER_DETAIL, {"id": rng.choice(f.orders[who])})
            await post(client, counts, "order", body, f.tokens[who])
        else:
            await post(client, counts, "orders", docs.body(MY_ORDERS), f.tokens[who])


async def placer(
    client: httpx.AsyncClient, f: Fixtures, counts: Counts, seed: int, end: float, per_s: float
) -> None:
    """Places orders at `per_s` on average (one cart line each)."""
    rng = random.Random(seed)
    while time.monotonic() < end:
        started = time.monotonic()
        who = rng.choice(list(f.tokens))
        token = f.tokens[who]
        values = docs.leaflet_configuration(rng)
        product = f.leaflet_id
        created = await post(
            client,
            counts,
            "configure",
            docs.body(
                docs.CONFIGURATION_CREATE,
                {"i": {"productId": product, "values": values, "quantity": 250, "channel": "main"}},
            ),
            token,
        )
        cfg = (created or {}).get("configurationCreate") or {}
        if cfg.get("configuration"):
            added = await post(
                client,
                counts,
                "cart",
                docs.body(
                    docs.CART_LINE_ADD,
                    {"i": {"configurationId": cfg["configuration"]["id"], "quantity": 250}},
                ),
                token,
            )
            line = ((added or {}).get("cartLineAdd") or {}).get("cartLine")
            if line:
                key = f"soak-{uuid.uuid4()}"
                placed = await post(
                    client,
                    counts,
                    "place",
                    docs.body(
                        docs.ORDER_PLACE,
                        {"input": {"idempotencyKey": key, "cartLineIds": [line["id"]]}},
                    ),
                    token,
                )
                order = ((placed or {}).get("orderPlace") or {}).get("order")
                if order:
                    counts.orders += 1
                    kept = f.orders[who]
                    kept.append(order["id"])
                    del kept[:-50]
        await asyncio.sleep(max(0.0, rng.expovariate(per_s) - (time.monotonic() - started)))


async def subscriber(base: str, f: Fixtures, who: str, counts: Counts, end: float) -> None:
    url = base.replace("http://", "ws://") + "/graphql"
    while time.monotonic() < end:
        token = f.tokens[who]  # the current one: a reconnect uses the renewed token
        try:
            async with websockets.connect(url, subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
                await ws.send(
                    json.dumps(
                        {"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}}
                    )
                )
                await ws.recv()
                await ws.send(
                    json.dumps(
                        {"id": "1", "type": "subscribe", "payload": {"query": ORDER_SUBSCRIPTION}}
                    )
                )
                while time.monotonic() < end:
                    with contextlib.suppress(TimeoutError):
                        async with asyncio.timeout(max(0.1, min(5.0, end - time.monotonic()))):
                            message = json.loads(await ws.recv())
                            if message.get("type") == "next":
                                counts.pushes += 1
                            elif message.get("type") == "ping":
                                await ws.send(json.dumps({"type": "pong"}))
                            elif message.get("type") in ("error", "complete"):
                                counts.done("subscription", False, json.dumps(message))
                                break
        except (OSError, websockets.WebSocketException) as exc:
            counts.done("subscription", False, repr(exc))
            await asyncio.sleep(1)


async def soak(
    server: Server, f: Fixtures, args: argparse.Namespace
) -> tuple[list[tuple[float, float, int]], Counts]:
    counts = Counts()
    start = time.monotonic()
    end = start + args.minutes * 60
    samples: list[tuple[float, float, int]] = []

    async def sample() -> None:
        while time.monotonic() < end:
            samples.append((time.monotonic() - start, server.rss()[1] / MIB, counts.requests))
            await asyncio.sleep(args.sample_s)
        samples.append((time.monotonic() - start, server.rss()[1] / MIB, counts.requests))

    limits = httpx.Limits(max_connections=args.clients + 4)
    async with httpx.AsyncClient(base_url=server.base, timeout=60, limits=limits) as client:
        rng = random.Random(3)
        subscribers = list(f.tokens)
        tasks = [asyncio.create_task(sample())]
        tasks.append(asyncio.create_task(refresher(client, f, counts, args.refresh_s, end)))
        tasks += [
            asyncio.create_task(
                subscriber(server.base, f, subscribers[i % len(subscribers)], counts, end)
            )
            for i in range(args.subscribers)
        ]
        roles = [browser, quoter, order_reader]
        for i in range(args.clients - 2):
            tasks.append(
                asyncio.create_task(roles[i % 3](client, f, counts, rng.randrange(10**6), end))
            )
        for i in range(2):  # two placers share the order rate
            tasks.append(
                asyncio.create_task(placer(client, f, counts, 100 + i, end, args.orders_per_s / 2))
            )
        await asyncio.gather(*tasks)
    return samples, counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--warmup", type=float, default=3.0, help="minutes before the baseline")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--subscribers", type=int, default=50)
    parser.add_argument("--orders-per-s", type=float, default=6.0)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--products", type=int, default=1000)
    parser.add_argument("--sample-s", type=float, default=10.0)
    parser.add_argument(
        "--refresh-s", type=float, default=600.0, help="seconds between token renewals"
    )
    parser.add_argument("--no-record", action="store_true")
    parser.add_argument(
        "--note",
        action="append",
        default=[],
        help="a note for RESULTS.md, e.g. what else ran on the machine during the run",
    )
    args = parser.parse_args()
    exit_cleanly_on_sigterm()
    raise_fd_limit()
    with fresh_database(args.products) as db:
        # bench/stack.py's server: production, rate limits off, request lines off (WARNING).
        with api_server(db, workers=args.workers, secret=new_secret()) as server:
            fixtures = prepare(server.base)
            print(
                f"soak: {args.minutes} min, {args.clients} clients, {args.subscribers} subscribers"
            )
            samples, counts = asyncio.run(soak(server, fixtures, args))
            metrics = httpx.get(server.base + "/metrics", timeout=10).text
    section = summarize(samples, counts, metrics, args)
    print(section)
    if not args.no_record:
        report.append(section)


def summarize(
    samples: list[tuple[float, float, int]], counts: Counts, metrics: str, args: argparse.Namespace
) -> str:
    warm = [s for s in samples if s[0] >= args.warmup * 60]
    base = warm[0][1] if warm else samples[0][1]
    peak = max((s[1] for s in warm), default=base)
    last = samples[-1][1]
    growth_end = (last - base) / base * 100
    growth_peak = (peak - base) / base * 100
    seconds = samples[-1][0]
    cache_bytes = []
    for line in metrics.splitlines():
        if line.startswith("pressroom_cache_bytes{"):
            name = line.split('"')[1]
            cache_bytes.append(f"{name} {float(line.split()[-1]) / MIB:.2f} MiB")
    notes = [
        f"{args.minutes:g} min, warm-up {args.warmup:g} min, {args.clients} HTTP clients, "
        f"{args.subscribers} websocket subscribers, target {args.orders_per_s:g} orders/s, "
        f"{args.workers} worker(s), {args.products} generated products, rate limits off",
        *args.note,
    ]
    every = max(1, len(samples) // 20)
    rows = [(f"{t / 60:.1f}", rss, n) for t, rss, n in samples[::every]]
    if rows[-1][0] != f"{samples[-1][0] / 60:.1f}":
        rows.append((f"{samples[-1][0] / 60:.1f}", samples[-1][1], samples[-1][2]))
    kinds = ", ".join(f"{k} {v:,}" for k, v in sorted(counts.by_kind.items()))
    ok = growth_end <= 10 and growth_peak <= 10
    return "\n".join(
        [
            report.header("mixed soak (bench/soak.py), worker RSS over time", notes),
            "",
            f"- {counts.requests:,} requests ({counts.requests / seconds:.0f}/s: {kinds}), "
            f"{counts.errors} errors, {counts.orders:,} orders placed, "
            f"{counts.pushes:,} subscription pushes",
            f"- worker RSS after warm-up {base:.1f} MiB, highest {peak:.1f} MiB "
            f"({growth_peak:+.1f} %), at the end {last:.1f} MiB ({growth_end:+.1f} %): "
            f"target within 10 % {report.verdict(ok)}",
            *(f"- first errors: `{e}`" for e in counts.first_errors),
            "- cache bytes at the end (/metrics): " + ", ".join(cache_bytes),
            "",
            report.table(["minute", "worker RSS MiB", "requests so far"], rows),
        ]
    )


if __name__ == "__main__":
    main()
