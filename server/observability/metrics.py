"""Prometheus metrics, served at ``/metrics``.

Several worker processes (``pressroom serve --workers N``): prometheus-client's multiprocess
mode. The CLI points ``PROMETHEUS_MULTIPROC_DIR`` at a fresh folder before the workers start;
every worker writes its samples there and ``/metrics``, whichever worker answers, aggregates
all of them (gauges summed over live processes). Processes started otherwise (a bare
``uvicorn --workers N``) must set that variable themselves, to an empty folder, or each answer
describes only the worker that served it.

Counters and histograms are updated where things happen (the request line in requests.py).
Gauges of state (pool, subscribers, cache sizes, outbox) and the counters fed from plain
counters kept elsewhere (cache hits, events relayed) are sampled by `Sampler`, every few
seconds and on every scrape.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import os
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.multiprocess import MultiProcessCollector, mark_process_dead
from sqlalchemy import text
from starlette.requests import Request
from starlette.responses import Response

from adapters.events import cancel_and_wait

logger = logging.getLogger("pressroom.metrics")

REQUESTS = Counter(
    "pressroom_requests",
    "Requests by operation (`query:products`, `mutation:orderPlace`, `http:/healthz`) and "
    "outcome (ok, client_error, rate_limited, server_error).",
    ["operation", "outcome"],
)
LATENCY = Histogram(
    "pressroom_request_duration_seconds",
    "Time from the first byte received to the last byte sent, by operation.",
    ["operation"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
SUBSCRIPTIONS_OPEN = Gauge(
    "pressroom_subscriptions_open",
    "Event streams open on the event hub (one per subscription, or per shared group).",
    multiprocess_mode="livesum",
)
EVENTS_RELAYED = Counter(
    "pressroom_events_relayed", "Events read from the outbox and fanned out to subscribers."
)
DB_POOL = Gauge(
    "pressroom_db_pool_connections",
    "Request connections of the SQLAlchemy pool: checked_out, idle, overflow.",
    ["state"],
    multiprocess_mode="livesum",
)
CACHE_LOOKUPS = Counter(
    "pressroom_cache_lookups",
    "Read-cache and response-cache look-ups by cache and result (hit, miss).",
    ["cache", "result"],
)
CACHE_ENTRIES = Gauge(
    "pressroom_cache_entries", "Entries held per cache.", ["cache"], multiprocess_mode="livesum"
)
CACHE_BYTES = Gauge(
    "pressroom_cache_bytes",
    "Estimated bytes held per cache (the size its bound counts).",
    ["cache"],
    multiprocess_mode="livesum",
)
OUTBOX_BACKLOG = Gauge(
    "pressroom_outbox_backlog",
    "Rows waiting in an outbox (mail not yet sent).",
    ["outbox"],
    multiprocess_mode="max",
)


def observe_request(operation: str, outcome: str, duration_s: float) -> None:
    REQUESTS.labels(operation, outcome).inc()
    LATENCY.labels(operation).observe(duration_s)


def multiprocess() -> bool:
    return bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))


class Sampler:
    """Copies the state of this process into the gauges (see the module docstring)."""

    def __init__(
        self, *, engine: Any, caches: Any, hub: Any = None, interval_s: float = 5.0
    ) -> None:
        self.engine = engine
        self.caches = caches
        self.hub = hub
        self.interval_s = interval_s
        self._seen: dict[tuple[str, str], int] = {}
        self._last_event_id: int | None = None
        self._task: asyncio.Task[None] | None = None

    def watch_hub(self, hub: Any) -> None:
        """The started event hub: events it relays from now on are counted (its `last_id` is
        the newest event that existed when it started)."""
        self.hub = hub
        self._last_event_id = int(hub.last_id)

    async def sample(self) -> None:
        self._sample_pool()
        self._sample_caches()
        self._sample_hub()
        await self._sample_outbox()

    def _sample_pool(self) -> None:
        pool = self.engine.pool
        for state, read in (
            ("checked_out", "checkedout"),
            ("idle", "checkedin"),
            ("overflow", "overflow"),
        ):
            fn = getattr(pool, read, None)
            if fn is not None:
                DB_POOL.labels(state).set(max(int(fn()), 0))

    def _sample_caches(self) -> None:
        for name, stats in self.caches.stats().items():
            CACHE_ENTRIES.labels(name).set(stats["size"])
            CACHE_BYTES.labels(name).set(stats.get("bytes", 0))
            for result, key in (("hit", "hits"), ("miss", "misses")):
                now = stats[key]
                before = self._seen.get((name, result), 0)
                if now > before:
                    CACHE_LOOKUPS.labels(name, result).inc(now - before)
                self._seen[(name, result)] = now

    def _sample_hub(self) -> None:
        if self.hub is None:
            return
        SUBSCRIPTIONS_OPEN.set(self.hub.subscriber_count)
        last = int(self.hub.last_id)
        if self._last_event_id is not None and last > self._last_event_id:
            EVENTS_RELAYED.inc(last - self._last_event_id)
        self._last_event_id = last

    async def _sample_outbox(self) -> None:
        try:
            async with self.engine.connect() as conn:
                waiting = await conn.scalar(
                    text("SELECT count(*) FROM mail_outbox WHERE sent_at IS NULL")
                )
        except Exception:
            logger.warning("outbox backlog not sampled", exc_info=True)
            return
        OUTBOX_BACKLOG.labels("mail").set(int(waiting or 0))

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="metrics-sampler")

    async def stop(self) -> None:
        if self._task is not None:
            await cancel_and_wait(self._task)
            self._task = None
        if multiprocess():
            # Gauges of a stopped worker must not count among the live ones.
            mark_process_dead(os.getpid())  # type: ignore[no-untyped-call]  # untyped upstream

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.interval_s)
            try:
                await self.sample()
            except Exception:
                logger.warning("metrics sample failed", exc_info=True)


def metrics_endpoint(sampler: Sampler, token: str | None = None) -> Any:
    """The scrape endpoint; with `token` set it answers only `Authorization: Bearer <token>`."""
    expected = f"Bearer {token}".encode() if token else None

    async def metrics(request: Request) -> Response:
        if expected is not None and not hmac.compare_digest(
            request.headers.get("authorization", "").encode(), expected
        ):
            return Response("metrics need the scrape token\n", status_code=401)
        await sampler.sample()
        if multiprocess():
            registry = CollectorRegistry()
            MultiProcessCollector(registry)  # type: ignore[no-untyped-call]  # untyped upstream
            body = generate_latest(registry)
        else:
            body = generate_latest(REGISTRY)
        return Response(body, media_type=CONTENT_TYPE_LATEST)

    return metrics
