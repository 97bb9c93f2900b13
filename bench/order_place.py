"""orderPlace throughput on the embedded PostgreSQL (issue #3).

    .venv/bin/python bench/order_place.py [--lines 20] [--workers 1] [--no-record]

Twelve customers (the three bench companies' four users each, every right: binding orders,
released to production with a job and its tasks) first fill their carts with `--lines` lines
through the API (configurationCreate + cartLineAdd), then all place orders at once, each
customer one order after the other, one cart line per order (`cartLineIds`) and a unique
idempotency key. Reports orders/s over the placing phase, p50/p99 latency, server CPU per order,
and checks the database holds exactly the orders placed. Prints and appends to
bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import sys
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import psutil  # noqa: E402

from bench import documents as docs  # noqa: E402
from bench import report  # noqa: E402
from bench.catalog import bench_logins  # noqa: E402
from bench.loadgen import percentile  # noqa: E402
from bench.profiling import py_spy  # noqa: E402
from bench.stack import (  # noqa: E402
    MIB,
    RssSampler,
    Server,
    api_server,
    exit_cleanly_on_sigterm,
    fresh_database,
    gql,
    login,
    new_secret,
    raise_fd_limit,
)

COUNT_ORDERS = """{ orders(first: 0) { totalCount } }"""


async def fill_carts(
    base: str, tokens: dict[str, str], products: list[str], lines: int, concurrency: int = 8
) -> dict[str, list[str]]:
    """`lines` cart lines per customer, made through the API; cart line ids per login."""
    gate = asyncio.Semaphore(concurrency)
    rng = random.Random(11)
    carts: dict[str, list[str]] = {who: [] for who in tokens}

    async def one(who: str, product: str, values: dict[str, Any], quantity: int) -> None:
        async with gate:
            line = await asyncio.to_thread(
                docs.add_cart_line, base, tokens[who], product, values, quantity
            )
            carts[who].append(line)

    jobs = []
    for who in tokens:
        for _ in range(lines):
            values = {
                "size": rng.choice(["a6", "dl", "a5", "a4"]),
                "paper": rng.choice(["90", "135", "170"]),
                "colour": rng.choice(["cmyk", "black"]),
            }
            jobs.append(one(who, rng.choice(products), values, rng.choice([100, 250, 500, 1000])))
    await asyncio.gather(*jobs)
    return carts


async def place_all(
    base: str, tokens: dict[str, str], carts: dict[str, list[str]]
) -> tuple[list[float], float, int]:
    """Every customer places its lines one order at a time; (latencies s, wall s, failures)."""
    latencies: list[float] = []
    failures = 0
    limits = httpx.Limits(max_connections=len(tokens), max_keepalive_connections=len(tokens))
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:

        async def customer(who: str) -> None:
            nonlocal failures
            headers = {"authorization": f"Bearer {tokens[who]}"}
            for line in carts[who]:
                body = docs.body(
                    docs.ORDER_PLACE,
                    {"input": {"idempotencyKey": f"bench-{uuid.uuid4()}", "cartLineIds": [line]}},
                )
                t0 = time.perf_counter()
                r = await client.post("/graphql", json=body, headers=headers)
                latencies.append(time.perf_counter() - t0)
                data = r.json()
                placed = (data.get("data") or {}).get("orderPlace") or {}
                if r.status_code != 200 or data.get("errors") or placed.get("errors"):
                    failures += 1
                    if failures <= 3:
                        print(f"  orderPlace failed: {data}")

        start = time.perf_counter()
        await asyncio.gather(*(customer(who) for who in tokens))
        wall = time.perf_counter() - start
    return sorted(latencies), wall, failures


def cpu_of(server: Server) -> float:
    total = 0.0
    for p in server.worker_processes():
        with contextlib.suppress(psutil.Error):
            t = p.cpu_times()
            total += t.user + t.system
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description="orderPlace throughput")
    parser.add_argument("--lines", type=int, default=20, help="cart lines (orders) per customer")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--products", type=int, default=100)
    parser.add_argument("--profile", action="store_true", help="py-spy the placing phase")
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args()
    exit_cleanly_on_sigterm()
    raise_fd_limit()
    logins = [who for users in bench_logins().values() for who in users]
    notes = [
        f"{len(logins)} customers of 3 companies, {args.lines} orders each (one cart line per "
        f"order, binding: a job with 4 tasks each), {args.workers} API worker(s), closed loop "
        "(one request in flight per customer), Python/httpx client; embedded PostgreSQL with "
        "its default settings (fsync on)",
    ]
    header = report.header(
        "orderPlace throughput (bench/order_place.py)", notes
    )  # taken when the run starts
    print(header)
    with (
        fresh_database(products=args.products) as db,
        api_server(db, workers=args.workers, secret=new_secret()) as api,
    ):
        tokens = {who: login(api.base, who) for who in logins}
        products = [docs.product_id(api.base, f"bench-{i:04d}") for i in range(10)]
        t0 = time.perf_counter()
        carts = asyncio.run(fill_carts(api.base, tokens, products, args.lines))
        print(
            f"  filled {len(logins)} carts with {args.lines} lines in "
            f"{time.perf_counter() - t0:.1f} s"
        )
        load1 = psutil.getloadavg()[0]
        cpu0 = cpu_of(api)
        profiler = py_spy(api, "orderplace") if args.profile else contextlib.nullcontext()
        with RssSampler(api) as rss, profiler:
            latencies, wall, failures = asyncio.run(place_all(api.base, tokens, carts))
        cpu = cpu_of(api) - cpu0
        placed = len(latencies) - failures
        # Every order is there exactly once: the primary of each company sees the company's.
        total = sum(
            gql(api.base, COUNT_ORDERS, token=tokens[users[0]])["orders"]["totalCount"]
            for users in bench_logins().values()
        )
        expected = len(logins) * args.lines  # a fresh database
    rows = [
        [
            "orderPlace",
            args.workers,
            len(logins),
            len(latencies),
            placed / wall,
            percentile(latencies, 0.5) * 1000,
            percentile(latencies, 0.99) * 1000,
            failures,
            cpu * 1000 / max(len(latencies), 1),
            rss.peak_sum / MIB,
            f"{load1:.2f}",
        ]
    ]
    headers = [
        "case",
        "workers",
        "customers",
        "orders",
        "orders/s",
        "p50 ms",
        "p99 ms",
        "failures",
        "server CPU ms/order",
        "peak RSS MiB",
        "load1",
    ]
    text = report.table(headers, rows)
    check = (
        f"\norders in the database: {total} (expected {expected}): "
        f"{'ok' if total == expected else 'MISMATCH'}"
    )
    print()
    print(text + check)
    if not args.no_record:
        report.append(header + "\n\n" + text + "\n" + check)
        print(f"\nappended to {report.RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
