"""The job queue's tables seen from a unit of work: defer in the caller's transaction, list, retry.

The queue is procrastinate (docs/background-jobs.md). Its worker talks to PostgreSQL through its
own psycopg pool (adapters/jobs.py); deferring from a request must instead be part of the
request's SQLAlchemy transaction, so ``defer`` calls procrastinate's versioned SQL function
``procrastinate_defer_jobs_v1`` (what its own ``JobManager.defer_job`` runs) on the request's
session: the job exists if and only if the business change commits.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from sqlalchemy import text
from sqlalchemy.sql import Executable

from domain.shared.jobs import JobInfo, JobState
from domain.shared.models import utcnow

QUEUE = "default"
# Procrastinate's notification channels (its trigger sends them for inserted jobs only).
_CHANNELS = ("procrastinate_any_queue_v1", f"procrastinate_queue_v1#{QUEUE}")

_STATE_OF = {
    "todo": JobState.PENDING,
    "doing": JobState.RUNNING,
    "aborting": JobState.RUNNING,
    "succeeded": JobState.SUCCEEDED,
    "failed": JobState.FAILED,
    "cancelled": JobState.CANCELLED,
    "aborted": JobState.CANCELLED,
}
_STATUSES_OF = {
    state: [status for status, s in _STATE_OF.items() if s is state] for state in JobState
}

_DEFER = text(
    "SELECT unnest(procrastinate_defer_jobs_v1(ARRAY[ROW("
    "CAST(:queue AS varchar), CAST(:task AS varchar), 0, NULL, NULL, "
    "CAST(:args AS jsonb), CAST(:scheduled_at AS timestamptz)"
    ")::procrastinate_job_to_defer_v1])) AS id"
)
_KEY_LOCK = text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 7310002))")
_BY_KEY = text("SELECT job_id FROM job_record WHERE idempotency_key = :key")
_RECORD_KEY = text(
    "INSERT INTO job_record (job_id, idempotency_key) VALUES (:job_id, :key) RETURNING job_id"
)
_COLUMNS = (
    "j.id, j.task_name, j.status::text AS status, j.attempts, j.scheduled_at, r.last_error, "
    "(SELECT min(e.at) FROM procrastinate_events e WHERE e.job_id = j.id) AS created_at "
    "FROM procrastinate_jobs j LEFT JOIN job_record r ON r.job_id = j.id"
)
_FILTER = (
    "WHERE (CAST(:statuses AS text[]) IS NULL OR j.status::text = ANY(CAST(:statuses AS text[])))"
    " AND (CAST(:task AS text) IS NULL OR j.task_name = :task)"
)
_LIST = text(f"SELECT {_COLUMNS} {_FILTER} ORDER BY j.id DESC OFFSET :offset LIMIT :limit")
_COUNT = text(f"SELECT count(*) FROM procrastinate_jobs j {_FILTER}")  # noqa: S608 (constants)
_GET = text(f"SELECT {_COLUMNS} WHERE j.id = :id")
# Procrastinate's trigger records this as a 'retried' event. (Its procrastinate_retry_job_v2
# would also count one more attempt, which the job never made.)
_RETRY = text(
    "UPDATE procrastinate_jobs SET status = 'todo', scheduled_at = now() "
    "WHERE id = :id AND status = 'failed' RETURNING id"
)


class Rows(Protocol):
    """The part of the unit of work the store uses (serialised access to its session)."""

    async def rows(self, stmt: Executable) -> Sequence[Any]: ...


def scheduled_at(delay_s: float | None, run_at: dt.datetime | None) -> dt.datetime | None:
    if delay_s is not None and run_at is not None:
        raise ValueError("pass delay_s or run_at, not both")
    if run_at is not None:
        if run_at.tzinfo is None:
            raise ValueError("run_at must be timezone-aware")
        return run_at
    if delay_s is not None:
        if delay_s < 0:
            raise ValueError("delay_s must not be negative")
        return utcnow() + dt.timedelta(seconds=delay_s)
    return None


def job_args(payload: Mapping[str, Any]) -> str:
    """The job's arguments as procrastinate stores them: the handler gets ``payload=``."""
    return json.dumps({"payload": dict(payload)}, separators=(",", ":"))


class SqlJobQueue:
    """``uow.jobs``: the JobQueue port (domain/shared/jobs.py) on the unit of work's session."""

    def __init__(self, uow: Rows) -> None:
        self._uow = uow

    async def defer(
        self,
        task: str,
        payload: Mapping[str, Any],
        *,
        delay_s: float | None = None,
        run_at: dt.datetime | None = None,
        idempotency_key: str | None = None,
    ) -> int:
        when = scheduled_at(delay_s, run_at)
        args = job_args(payload)
        rows = self._uow.rows
        if idempotency_key is not None:
            # Deferrers of one key queue up here; the second sees the first's committed record.
            await rows(_KEY_LOCK.bindparams(key=idempotency_key))
            existing = await rows(_BY_KEY.bindparams(key=idempotency_key))
            if existing:
                return int(existing[0][0])
        [(job_id,)] = await rows(
            _DEFER.bindparams(queue=QUEUE, task=task, args=args, scheduled_at=when)
        )
        if idempotency_key is not None:
            await rows(_RECORD_KEY.bindparams(job_id=job_id, key=idempotency_key))
        return int(job_id)

    async def list_jobs(
        self, state: JobState | None, task: str | None, offset: int, limit: int
    ) -> tuple[list[JobInfo], int]:
        statuses = _STATUSES_OF[state] if state is not None else None
        found = await self._uow.rows(
            _LIST.bindparams(statuses=statuses, task=task, offset=offset, limit=limit)
        )
        [(total,)] = await self._uow.rows(_COUNT.bindparams(statuses=statuses, task=task))
        return [job_info(r) for r in found], int(total)

    async def get(self, job_id: int) -> JobInfo | None:
        found = await self._uow.rows(_GET.bindparams(id=job_id))
        return job_info(found[0]) if found else None

    async def retry(self, job_id: int) -> bool:
        done = await self._uow.rows(_RETRY.bindparams(id=job_id))
        if not done:
            return False
        payload = json.dumps({"type": "job_inserted", "job_id": job_id})
        for channel in _CHANNELS:
            # Wakes listening workers on commit (procrastinate's trigger covers inserts only;
            # without it the next poll finds the job).
            await self._uow.rows(text("SELECT pg_notify(:c, :p)").bindparams(c=channel, p=payload))
        return True


def job_info(row: Any) -> JobInfo:
    state = _STATE_OF.get(row.status, JobState.FAILED)
    # Procrastinate counts finished runs; staff want runs started.
    started = 1 if state is JobState.RUNNING else 0
    return JobInfo(
        id=int(row.id),
        task=row.task_name,
        state=state,
        attempts=int(row.attempts) + started,
        last_error=row.last_error,
        scheduled_at=row.scheduled_at,
        created_at=row.created_at,
    )
