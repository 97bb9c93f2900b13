"""The job queue against the real database: deferring in a transaction, idempotency keys, delays
that survive a worker restart, retries with backoff, failed jobs with their last error."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.db import SqlUnitOfWork
from adapters.jobs import JobWorker
from domain.shared.jobs import JobRun, JobState, JobTask


class Recorder:
    """A task handler that records its runs and fails the first ``failures`` of them."""

    def __init__(self, failures: int = 0) -> None:
        self.failures = failures
        self.runs: list[tuple[float, JobRun, dict[str, Any]]] = []

    async def __call__(self, run: JobRun, payload: dict[str, Any]) -> None:
        self.runs.append((time.monotonic(), run, payload))
        if len(self.runs) <= self.failures:
            raise RuntimeError(f"boom {len(self.runs)}")

    async def wait_for(self, count: int, timeout_s: float) -> None:
        deadline = time.monotonic() + timeout_s
        while len(self.runs) < count:
            if time.monotonic() > deadline:
                pytest.fail(f"{len(self.runs)} of {count} runs after {timeout_s} s")
            await asyncio.sleep(0.02)


@pytest.fixture
async def make_worker(
    engine: AsyncEngine, database_url: str, clean_db: None
) -> AsyncIterator[Callable[..., JobWorker]]:
    made: list[JobWorker] = []

    def make(*tasks: JobTask, poll_interval_s: float = 0.1) -> JobWorker:
        w = JobWorker(database_url, engine, list(tasks), poll_interval_s=poll_interval_s)
        made.append(w)
        return w

    yield make
    for w in made:
        w.stop()
        await w.close()


async def defer(uow: SqlUnitOfWork, task: str, payload: dict[str, Any], **kw: Any) -> int:
    async with uow:
        job_id = await uow.jobs.defer(task, payload, **kw)
        await uow.commit()
    return job_id


async def job(uow: SqlUnitOfWork, job_id: int) -> Any:
    async with uow.committed_reader() as reader:
        return await reader.jobs.get(job_id)


async def test_a_job_exists_only_if_its_transaction_commits(uow, make_worker) -> None:  # type: ignore[no-untyped-def]
    handler = Recorder()
    with pytest.raises(RuntimeError):
        async with uow:
            await uow.jobs.defer("t.record", {"n": 1})
            raise RuntimeError("the command failed")
    kept = await defer(uow, "t.record", {"n": 2})

    await make_worker(JobTask("t.record", handler)).run_until_idle()

    assert [p for _, _, p in handler.runs] == [{"n": 2}]
    info = await job(uow, kept)
    assert (info.state, info.attempts, info.last_error) == (JobState.SUCCEEDED, 1, None)
    assert (await uow.jobs.list_jobs(None, None, 0, 10))[1] == 1


async def test_an_idempotency_key_defers_once(uow, engine, make_worker) -> None:  # type: ignore[no-untyped-def]
    handler = Recorder()
    first = await defer(uow, "t.record", {"n": 1}, idempotency_key="order:7:sent")
    again = await defer(uow, "t.record", {"n": 2}, idempotency_key="order:7:sent")
    other = await defer(uow, "t.record", {"n": 3}, idempotency_key="order:8:sent")
    assert again == first and other != first

    await make_worker(JobTask("t.record", handler)).run_until_idle()
    # Also after the first one ran.
    assert await defer(uow, "t.record", {"n": 4}, idempotency_key="order:7:sent") == first

    assert sorted(p["n"] for _, _, p in handler.runs) == [1, 3]
    async with engine.connect() as conn:
        assert await conn.scalar(text("SELECT count(*) FROM procrastinate_jobs")) == 2


async def test_concurrent_deferrers_of_one_key_make_one_job(engine, make_worker) -> None:  # type: ignore[no-untyped-def]
    from adapters.db import session_factory

    uows = [SqlUnitOfWork(session_factory(engine)) for _ in range(4)]
    ids = await asyncio.gather(
        *(defer(u, "t.record", {"n": i}, idempotency_key="same") for i, u in enumerate(uows))
    )
    for u in uows:
        await u.close()
    assert len(set(ids)) == 1


async def test_a_delayed_job_runs_once_across_a_worker_restart(uow, make_worker) -> None:  # type: ignore[no-untyped-def]
    handler = Recorder()
    task = JobTask("t.record", handler)
    deferred_at = time.monotonic()
    job_id = await defer(uow, "t.record", {"n": 1}, delay_s=1.5)

    first = make_worker(task)
    running = asyncio.create_task(first.run_forever())
    await asyncio.sleep(0.5)
    assert handler.runs == []  # not due yet
    first.stop()
    await asyncio.wait_for(running, 20)
    await first.close()
    assert (await job(uow, job_id)).state is JobState.PENDING

    second = make_worker(task)
    running = asyncio.create_task(second.run_forever())
    try:
        await handler.wait_for(1, timeout_s=10)
        await asyncio.sleep(1.0)  # nothing runs it a second time
    finally:
        second.stop()
        await asyncio.wait_for(running, 20)

    [(ran_at, run, payload)] = handler.runs
    assert ran_at - deferred_at >= 1.4
    assert (run.attempt, payload) == (1, {"n": 1})
    assert (await job(uow, job_id)).state is JobState.SUCCEEDED


async def test_a_failing_job_is_retried_with_backoff_then_fails(uow, make_worker) -> None:  # type: ignore[no-untyped-def]
    handler = Recorder(failures=99)
    task = JobTask("t.flaky", handler, max_attempts=3, backoff_s=0.4)
    job_id = await defer(uow, "t.flaky", {})
    worker = make_worker(task, poll_interval_s=0.05)
    running = asyncio.create_task(worker.run_forever())
    try:
        await handler.wait_for(3, timeout_s=15)
        deadline = time.monotonic() + 5
        while (await job(uow, job_id)).state is not JobState.FAILED:
            assert time.monotonic() < deadline
            await asyncio.sleep(0.05)
    finally:
        worker.stop()
        await asyncio.wait_for(running, 20)

    times = [t for t, _, _ in handler.runs]
    # Backoff 0.4 s, then 0.8 s.
    assert times[1] - times[0] >= 0.35 and times[2] - times[1] >= 0.75
    assert [(r.attempt, r.final) for _, r, _ in handler.runs] == [(1, False), (2, False), (3, True)]
    info = await job(uow, job_id)
    assert (info.state, info.attempts, info.last_error) == (
        JobState.FAILED,
        3,
        "RuntimeError: boom 3",
    )
    failed, total = await uow.jobs.list_jobs(JobState.FAILED, "t.flaky", 0, 10)
    assert total == 1 and failed[0].id == job_id


async def test_a_job_that_fails_once_succeeds_on_its_retry(uow, make_worker) -> None:  # type: ignore[no-untyped-def]
    handler = Recorder(failures=1)
    job_id = await defer(uow, "t.flaky", {"n": 1})

    await make_worker(JobTask("t.flaky", handler, backoff_s=0)).run_until_idle()

    assert [r.attempt for _, r, _ in handler.runs] == [1, 2]
    info = await job(uow, job_id)
    assert (info.state, info.attempts, info.last_error) == (
        JobState.SUCCEEDED,
        2,
        "RuntimeError: boom 1",
    )


async def test_a_failed_job_retried_by_staff_runs_once_more(uow, make_worker) -> None:  # type: ignore[no-untyped-def]
    handler = Recorder(failures=2)
    job_id = await defer(uow, "t.flaky", {})
    worker = make_worker(JobTask("t.flaky", handler, max_attempts=1))
    await worker.run_until_idle()
    assert (await job(uow, job_id)).state is JobState.FAILED

    async with uow:
        assert await uow.jobs.retry(job_id) is True
        await uow.commit()
    info = await job(uow, job_id)
    assert (info.state, info.attempts) == (JobState.PENDING, 1)
    await worker.run_until_idle()
    info = await job(uow, job_id)
    assert (info.state, info.attempts, info.last_error) == (
        JobState.FAILED,
        2,
        "RuntimeError: boom 2",
    )
    assert [r.final for _, r, _ in handler.runs] == [True, True]
    async with uow:
        assert await uow.jobs.retry(job_id + 1000) is False


def test_defer_refuses_contradicting_times() -> None:
    import datetime as dt

    from adapters.job_store import scheduled_at

    with pytest.raises(ValueError):
        scheduled_at(5, dt.datetime.now(dt.UTC))
    with pytest.raises(ValueError):
        scheduled_at(None, dt.datetime(2030, 1, 1))  # naive
    with pytest.raises(ValueError):
        scheduled_at(-1, None)
    assert scheduled_at(None, None) is None


async def test_a_cron_task_runs_once_per_due_time_across_workers(make_worker) -> None:  # type: ignore[no-untyped-def]
    handler = Recorder()
    task = JobTask("t.tick", handler, cron="* * * * * */2")  # every 2 seconds
    workers = [make_worker(task), make_worker(task)]
    running = [asyncio.create_task(w.run_forever()) for w in workers]
    try:
        await handler.wait_for(2, timeout_s=15)
    finally:
        for w in workers:
            w.stop()
        await asyncio.wait_for(asyncio.gather(*running), 20)
    due = [p["scheduled_for"] for _, _, p in handler.runs]
    assert len(due) == len(set(due))  # two workers, one run per due time
    assert all(t % 2 == 0 for t in due)


async def test_housekeeping_retries_stalled_jobs_and_forgets_old_ones(
    uow, engine, make_worker
) -> None:  # type: ignore[no-untyped-def]
    handler = Recorder(failures=1)
    worker = make_worker(JobTask("t.record", handler, backoff_s=0))
    old = await defer(uow, "t.record", {"n": 1})
    await worker.run_until_idle()  # fails once, then succeeds: an error record
    lost = await defer(uow, "t.record", {"n": 2})
    async with engine.begin() as conn:
        # A worker took the second job and died (its heartbeat is old).
        wid = await conn.scalar(
            text(
                "INSERT INTO procrastinate_workers (last_heartbeat) "
                "VALUES (now() - interval '1 hour') RETURNING id"
            )
        )
        await conn.execute(
            text("UPDATE procrastinate_jobs SET status = 'doing', worker_id = :w WHERE id = :id"),
            {"w": wid, "id": lost},
        )
        await conn.execute(
            text(
                "UPDATE procrastinate_events SET at = now() - interval '30 days' WHERE job_id = :id"
            ),
            {"id": old},
        )

    assert await worker.retry_stalled_jobs() == 1
    await worker.run_until_idle()
    assert (await job(uow, lost)).state is JobState.SUCCEEDED
    await worker.delete_old_jobs()

    assert await job(uow, old) is None
    async with engine.connect() as conn:
        assert await conn.scalar(text("SELECT count(*) FROM job_record")) == 0
        assert await conn.scalar(text("SELECT count(*) FROM procrastinate_jobs")) == 1
