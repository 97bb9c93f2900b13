"""The event relay: every process LISTENs on PostgreSQL and fans committed events out.

Writers insert outbox rows and ``pg_notify`` in the same transaction (adapters/db.py), under a
transaction-level advisory lock, so event ids become visible in commit order. Here one dedicated
connection per process listens; on each notification the hub reads the rows after the last id
it delivered and hands them to every subscriber whose filter accepts them. A periodic poll
covers notifications lost while reconnecting. Nothing process-local is the source of truth:
a subscriber that reconnects passes its last event id and is replayed from the table.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator
from typing import Any

import asyncpg

from adapters.db import EVENT_CHANNEL
from adapters.reconnect import keep_connected
from domain.events.ports import EventFilter, StoredEvent

logger = logging.getLogger("pressroom.events")
_FETCH = (
    "SELECT id, topic, company_id, payload::text AS payload FROM event "
    "WHERE id > $1 ORDER BY id LIMIT $2"
)


def asyncpg_dsn(url: str) -> str:
    for prefix in ("postgresql+asyncpg://", "postgres+asyncpg://"):
        if url.startswith(prefix):
            return "postgresql://" + url[len(prefix) :]
    return url


async def cancel_and_wait(task: asyncio.Task[Any]) -> None:
    """Cancel a background loop and wait until it has ended. Cancelled again until it is done:
    a cancellation that arrives as an awaited future completes can be lost (Python 3.11's
    `asyncio.wait_for` swallows it), and a single `await task` would then wait forever."""
    while not task.done():
        task.cancel()
        await asyncio.wait({task}, timeout=1)
    if not task.cancelled() and task.exception() is not None:
        logger.error("background task ended with an error", exc_info=task.exception())


def _row(r: Any) -> StoredEvent:
    return StoredEvent(
        id=int(r["id"]),
        topic=r["topic"],
        company_id=r["company_id"],
        payload=json.loads(r["payload"]),
    )


class _Subscriber:
    __slots__ = ("accept", "overflowed", "queue")

    def __init__(self, accept: EventFilter, maxsize: int) -> None:
        self.accept = accept
        self.queue: asyncio.Queue[StoredEvent] = asyncio.Queue(maxsize=maxsize)
        self.overflowed = False


class SubscriberTooSlow(Exception):
    """The subscriber fell too far behind; it should reconnect with its last event id."""


class EventHub:
    def __init__(self, url: str, *, poll_interval_s: float = 5.0, queue_size: int = 10_000) -> None:
        self.dsn = asyncpg_dsn(url)
        self.poll_interval_s = poll_interval_s
        self.queue_size = queue_size
        self.last_id = 0
        self._subscribers: set[_Subscriber] = set()
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._conn: asyncpg.Connection | None = None
        self._ready = asyncio.Event()

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="event-hub")
        await asyncio.wait_for(self._ready.wait(), timeout=30)

    async def stop(self) -> None:
        if self._task is not None:
            await cancel_and_wait(self._task)
            self._task = None
        if self._conn is not None:
            with contextlib.suppress(Exception):
                await self._conn.close()

    @property
    def subscriber_count(self) -> int:
        return len(self._subscribers)

    async def _run(self) -> None:
        await keep_connected(logger, "event relay", self._listening, self._relay)

    @contextlib.asynccontextmanager
    async def _listening(self) -> AsyncIterator[asyncpg.Connection]:
        conn = self._conn = await asyncpg.connect(self.dsn)
        try:
            await conn.add_listener(EVENT_CHANNEL, self._notified)
            if not self._ready.is_set():
                self.last_id = int(await conn.fetchval("SELECT coalesce(max(id), 0) FROM event"))
                self._ready.set()
            yield conn
        finally:
            if not conn.is_closed():
                with contextlib.suppress(Exception):
                    await conn.close()

    async def _relay(self, conn: asyncpg.Connection) -> None:
        await self._dispatch()  # anything committed while we were away
        while not conn.is_closed():
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.poll_interval_s):
                    await self._wake.wait()
            self._wake.clear()
            await self._dispatch()

    def _notified(self, *_: Any) -> None:
        self._wake.set()

    async def _dispatch(self) -> None:
        assert self._conn is not None
        while True:
            rows = await self._conn.fetch(_FETCH, self.last_id, 1000)
            if not rows:
                return
            for r in rows:
                event = _row(r)
                self.last_id = event.id
                self._fan_out(event)
            if len(rows) < 1000:
                return

    def _fan_out(self, event: StoredEvent) -> None:
        for sub in tuple(self._subscribers):
            if sub.overflowed:
                continue
            try:
                if sub.accept(event):
                    sub.queue.put_nowait(event)
            except asyncio.QueueFull:
                sub.overflowed = True
            except Exception:
                logger.exception("event filter failed")

    async def replay(self, accept: EventFilter, after_id: int, until_id: int) -> list[StoredEvent]:
        conn = await asyncpg.connect(self.dsn)
        try:
            rows = await conn.fetch(
                "SELECT id, topic, company_id, payload::text AS payload FROM event "
                "WHERE id > $1 AND id <= $2 ORDER BY id",
                after_id,
                until_id,
            )
        finally:
            await conn.close()
        return [e for e in map(_row, rows) if accept(e)]

    def subscribe(
        self, accept: EventFilter, *, after_id: int | None = None
    ) -> AsyncIterator[StoredEvent]:
        """Registers at once (not on first iteration), so nothing committed after this call is
        missed even if the caller does other work before it starts reading."""
        sub = _Subscriber(accept, self.queue_size)
        self._subscribers.add(sub)
        return self._iterate(sub, after_id, self.last_id)

    async def _iterate(
        self, sub: _Subscriber, after_id: int | None, delivered: int
    ) -> AsyncIterator[StoredEvent]:
        try:
            if after_id is not None and after_id < delivered:
                # Live events after `delivered` queue up meanwhile; the replay ends there.
                for event in await self.replay(sub.accept, after_id, delivered):
                    yield event
            while True:
                # Everything queued was dispatched after we registered: ids > delivered.
                event = await sub.queue.get()
                yield event
                if sub.overflowed and sub.queue.empty():
                    raise SubscriberTooSlow
        finally:
            self._subscribers.discard(sub)
