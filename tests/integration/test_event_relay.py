"""The outbox relay: committed events reach subscribers in commit order, rollbacks emit
nothing, and a subscriber resuming from an event id gets what it missed."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text

from adapters.db import SqlUnitOfWork, session_factory
from adapters.events import EventHub
from domain.events.ports import StoredEvent


@pytest.fixture
async def hub(database_url: str, clean_db: None) -> AsyncIterator[EventHub]:
    h = EventHub(database_url, poll_interval_s=30)
    await h.start()
    yield h
    await h.stop()


async def _emit(
    engine, topic: str, company_id: int | None, n: int = 1, commit: bool = True
) -> None:  # type: ignore[no-untyped-def]
    uow = SqlUnitOfWork(session_factory(engine))
    try:
        async with uow:
            for i in range(n):
                uow.record_event(topic, company_id, {"i": i})
            if commit:
                await uow.commit()
    finally:
        await uow.close()


async def _take(it: AsyncIterator[StoredEvent], n: int, timeout: float = 5) -> list[StoredEvent]:
    out: list[StoredEvent] = []

    async def run() -> None:
        async for e in it:
            out.append(e)
            if len(out) == n:
                return

    await asyncio.wait_for(run(), timeout)
    return out


async def test_committed_events_arrive_in_order_and_rollback_emits_nothing(hub, engine) -> None:  # type: ignore[no-untyped-def]
    stream = hub.subscribe(lambda e: e.topic.startswith("test."))
    consumer = asyncio.create_task(_take(stream, 4))
    await asyncio.sleep(0.05)
    await _emit(engine, "test.a", 1, n=2)
    await _emit(engine, "test.rolled_back", 1, commit=False)
    await _emit(engine, "other.topic", 1)
    await _emit(engine, "test.b", 2, n=2)
    got = await consumer
    assert [e.topic for e in got] == ["test.a", "test.a", "test.b", "test.b"]
    assert [e.id for e in got] == sorted(e.id for e in got)
    assert [e.payload["i"] for e in got] == [0, 1, 0, 1]


async def test_concurrent_writers_deliver_in_commit_order(hub, engine) -> None:  # type: ignore[no-untyped-def]
    stream = hub.subscribe(lambda e: e.topic == "test.c")
    consumer = asyncio.create_task(_take(stream, 40, timeout=15))
    await asyncio.sleep(0.05)
    await asyncio.gather(*(_emit(engine, "test.c", None, n=4) for _ in range(10)))
    got = await consumer
    ids = [e.id for e in got]
    assert ids == sorted(ids) and len(set(ids)) == 40


async def test_resume_from_cursor_replays_missed_events(hub, engine) -> None:  # type: ignore[no-untyped-def]
    await _emit(engine, "test.r", 7, n=3)
    await asyncio.sleep(0.2)
    first = hub.last_id - 2  # the first of the three
    stream = hub.subscribe(lambda e: e.topic == "test.r", after_id=first)
    consumer = asyncio.create_task(_take(stream, 3))
    await asyncio.sleep(0.1)
    await _emit(engine, "test.r", 7, n=1)
    got = await consumer
    assert [e.id for e in got] == [first + 1, first + 2, first + 3]


async def test_filter_by_company(hub, engine) -> None:  # type: ignore[no-untyped-def]
    stream = hub.subscribe(lambda e: e.company_id == 42)
    consumer = asyncio.create_task(_take(stream, 1))
    await asyncio.sleep(0.05)
    await _emit(engine, "test.x", 41)
    await _emit(engine, "test.x", 42)
    (got,) = await consumer
    assert got.company_id == 42


async def test_relay_reconnects_after_losing_its_connection(database_url, clean_db, engine) -> None:  # type: ignore[no-untyped-def]
    hub = EventHub(database_url, poll_interval_s=0.2)
    await hub.start()
    try:
        stream = hub.subscribe(lambda e: e.topic.startswith("test."))
        consumer = asyncio.create_task(_take(stream, 2, timeout=15))
        await _emit(engine, "test.before", 1)
        assert hub._conn is not None
        listener = hub._conn.get_server_pid()
        async with engine.begin() as conn:
            await conn.execute(text("SELECT pg_terminate_backend(:p)"), {"p": listener})
        await _emit(engine, "test.after", 1)
        got = await consumer
        assert [e.topic for e in got] == ["test.before", "test.after"]
    finally:
        await hub.stop()
