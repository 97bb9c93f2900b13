"""Running background jobs: procrastinate's worker with the tasks registered at start.

Jobs are deferred through ``uow.jobs`` (adapters/job_store.py) and run here, in ``pressroom
worker`` processes and in the worker that ``pressroom serve`` embeds. Any number of workers on
any number of machines share one queue: procrastinate fetches each job with ``FOR UPDATE SKIP
LOCKED``, so a due job runs in one worker at a time. A worker that dies while running a job
stops sending heartbeats; the next worker to look (at start and every minute) makes that job
due again.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import procrastinate
from procrastinate.job_context import JobContext
from procrastinate.jobs import Job
from procrastinate.worker import Worker
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.db import async_url
from adapters.job_store import QUEUE
from domain.shared.jobs import JobRun, JobTask
from domain.shared.models import utcnow

logger = logging.getLogger("pressroom.jobs")

_RECORD_ERROR = text(
    "INSERT INTO job_record (job_id, last_error) VALUES (:job_id, :error) "
    "ON CONFLICT (job_id) DO UPDATE SET last_error = excluded.last_error, updated_at = now()"
)
_DUE = text(
    "SELECT EXISTS (SELECT FROM procrastinate_jobs WHERE status = 'todo' "
    "AND (scheduled_at IS NULL OR scheduled_at <= now()))"
)
# Error records of deleted jobs; idempotency keys stay (a key defers once, ever).
_FORGET_RECORDS = text(
    "DELETE FROM job_record r WHERE r.idempotency_key IS NULL "
    "AND NOT EXISTS (SELECT FROM procrastinate_jobs j WHERE j.id = r.job_id)"
)
STALLED_CHECK_INTERVAL_S = 60.0


def libpq_dsn(database_url: str) -> str:
    """The SQLAlchemy URL as a libpq URL (psycopg, asyncpg.connect)."""
    return async_url(database_url).replace("postgresql+asyncpg://", "postgresql://", 1)


def error_text(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:2000]


class _Backoff(procrastinate.BaseRetryStrategy):
    """The task's own backoff (JobTask.retry_delay_s), in fractions of a second if need be."""

    def __init__(self, task: JobTask) -> None:
        self._task = task

    def get_retry_decision(
        self, *, exception: BaseException, job: Job
    ) -> procrastinate.RetryDecision | None:
        delay = self._task.retry_delay_s(job.attempts + 1)
        if delay is None:
            return None
        return procrastinate.RetryDecision(retry_at=utcnow() + dt.timedelta(seconds=delay))


class JobWorker:
    """One process's job runner: ``run_forever`` (a worker), ``run_until_idle`` (tests, CLI)."""

    def __init__(
        self,
        database_url: str,
        engine: AsyncEngine,
        tasks: Sequence[JobTask],
        *,
        concurrency: int = 4,
        poll_interval_s: float = 5.0,
        name: str = "pressroom",
        retention_days: float = 14.0,
    ) -> None:
        self._engine = engine
        self._retention_h = max(1, round(retention_days * 24))
        self._concurrency = concurrency
        self._poll_interval_s = poll_interval_s
        self._name = name
        self.app = procrastinate.App(
            connector=procrastinate.PsycopgConnector(
                conninfo=libpq_dsn(database_url),
                min_size=1,
                # The listener, heartbeats, fetching and finishing beside the running jobs.
                max_size=concurrency + 4,
                kwargs={"application_name": f"{name}-worker"},
            )
        )
        self.tasks = {t.name: t for t in tasks}
        for task in tasks:
            self._register(task)
        self._opened = False
        self._running: Worker | None = None
        self._stop_requested = False
        self._open_lock = asyncio.Lock()

    def _register(self, task: JobTask) -> None:
        async def run(
            context: JobContext,
            payload: dict[str, Any] | None = None,
            timestamp: int | None = None,  # passed by procrastinate to periodic jobs
        ) -> None:
            job = context.job
            assert job.id is not None
            data = dict(payload or {})
            if timestamp is not None:
                data["scheduled_for"] = timestamp
            await task.handler(JobRun(job.id, job.attempts + 1, task.max_attempts), data)

        registered = self.app.task(
            name=task.name, pass_context=True, retry=_Backoff(task), queue=QUEUE
        )(run)
        if task.cron is not None:
            self.app.periodic(cron=task.cron)(registered)

    async def open(self) -> None:
        async with self._open_lock:
            if not self._opened:
                await self.app.open_async()
                self._opened = True

    async def close(self) -> None:
        if self._opened:
            self._opened = False
            await self.app.close_async()

    async def _record_errors(
        self, call_next: Callable[[], Awaitable[Any]], context: JobContext, worker: Any
    ) -> Any:
        """Keeps each failed run's error beside the job, for staff (procrastinate keeps none)."""
        try:
            return await call_next()
        except Exception as exc:
            with contextlib.suppress(Exception):
                async with self._engine.begin() as conn:
                    await conn.execute(
                        _RECORD_ERROR, {"job_id": context.job.id, "error": error_text(exc)}
                    )
            raise

    def _options(self, **kw: Any) -> dict[str, Any]:
        return {
            "name": self._name,
            "concurrency": self._concurrency,
            "fetch_job_polling_interval": self._poll_interval_s,
            "worker_middleware": [self._record_errors],
            "install_signal_handlers": False,
            # On stop, running jobs get this long to finish, then they are aborted (and run
            # again by the next worker: handlers are idempotent).
            "shutdown_graceful_timeout": 10.0,
            **kw,
        }

    async def run_until_idle(self) -> None:
        """Run jobs until none is due (tests, benchmarks): retries that are due at once run too,
        later ones stay queued."""
        await self.open()
        while True:
            await Worker(self.app, **self._options(wait=False, listen_notify=False)).run()
            async with self._engine.connect() as conn:
                if not await conn.scalar(_DUE):
                    return

    async def run_forever(self) -> None:
        """Run jobs as they become due until ``stop()`` (running jobs finish first) or
        cancellation. A worker that loses its database connection starts again."""
        stalled = asyncio.create_task(self._housekeeping(), name="jobs-housekeeping")
        delay = 1.0
        try:
            while not self._stop_requested:
                try:
                    await self.open()
                    worker = self._running = Worker(self.app, **self._options())
                    if self._stop_requested:
                        break
                    await worker.run()
                except Exception as exc:
                    logger.warning("job worker stopped (%s)", error_text(exc))
                finally:
                    self._running = None
                if not self._stop_requested:
                    # Procrastinate stops its worker when a side task (the LISTEN connection,
                    # heartbeats) fails; its pool replaces broken connections.
                    logger.warning("job worker restarts in %.0f s", delay)
                    await asyncio.sleep(delay)
                    delay = min(delay * 2, 30.0)
        finally:
            stalled.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await stalled

    def stop(self) -> None:
        """Ask ``run_forever`` to return once the running jobs are done."""
        self._stop_requested = True
        if self._running is not None:
            self._running.stop()

    async def retry_stalled_jobs(self) -> int:
        """Make jobs due again that a worker left running when it stopped sending heartbeats
        (it died or lost the database); returns how many."""
        manager = self.app.job_manager
        stalled = list(await manager.get_stalled_jobs())
        for job in stalled:
            logger.warning(
                "job %s (%s) was left running by a lost worker: retried", job.id, job.task_name
            )
            await manager.retry_job(job)
        return len(stalled)

    async def delete_old_jobs(self) -> None:
        """Forget jobs that succeeded more than the retention period ago (failed ones stay
        until staff retry them), and the errors recorded for jobs that are gone."""
        await self.app.job_manager.delete_old_jobs(nb_hours=self._retention_h)
        async with self._engine.begin() as conn:
            await conn.execute(_FORGET_RECORDS)

    async def _housekeeping(self) -> None:
        rounds = 0
        while True:
            try:
                await self.open()
                await self.retry_stalled_jobs()
                if rounds % 60 == 0:  # hourly
                    await self.delete_old_jobs()
            except Exception as exc:
                logger.warning("job housekeeping failed: %s", error_text(exc))
            rounds += 1
            await asyncio.sleep(STALLED_CHECK_INTERVAL_S)
