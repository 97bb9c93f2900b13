"""Background jobs: the port through which the domain hands work to the job queue.

Anything delayed, retried or scheduled (mail, supplier hand-offs, webhook deliveries, expiries)
is a job. Domain code never sees the queue's library; it calls one method::

    job_id = await uow.jobs.defer(
        "webhook.deliver",                  # the task's name, registered at start (JobTask)
        {"endpoint_id": 7, "event_id": 42},  # JSON-serialisable payload
        delay_s=1800,                        # or run_at=<aware datetime>; neither: now
        idempotency_key="webhook:7:42",      # optional: deferred at most once per key
    )

Guarantees (adapters/jobs.py implements them):

- ``defer`` writes the job in the caller's open transaction: it exists if and only if that
  transaction commits, so a job never runs for a change that was rolled back.
- With an ``idempotency_key``, a second ``defer`` with the same key (in any transaction, at any
  later time) defers nothing and returns the first job's id.
- Delays and retries survive restarts: a job waits in PostgreSQL, and any worker process on any
  machine runs it once it is due.
- A job runs at least once; a handler must be idempotent (check its own state first: a mail
  that is already marked sent is not sent again). A failing handler is retried with
  exponential backoff up to its task's ``max_attempts``, then the job ends failed with its
  last error, visible to staff, who may retry it.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol


class JobState(enum.StrEnum):
    PENDING = "PENDING"  # waiting to run (maybe scheduled later, maybe waiting for a retry)
    RUNNING = "RUNNING"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"  # gave up after the last attempt (or a manual retry failed)
    CANCELLED = "CANCELLED"


@dataclass(frozen=True, slots=True)
class JobInfo:
    """What staff see of a job."""

    id: int
    task: str
    state: JobState
    attempts: int  # runs started so far
    last_error: str | None
    scheduled_at: dt.datetime | None  # not before this time (a delay or a retry's backoff)
    created_at: dt.datetime | None


class JobQueue(Protocol):
    """The queue as seen from one unit of work (``uow.jobs``)."""

    async def defer(
        self,
        task: str,
        payload: Mapping[str, Any],
        *,
        delay_s: float | None = None,
        run_at: dt.datetime | None = None,
        idempotency_key: str | None = None,
    ) -> int:
        """Schedule ``task`` with ``payload`` in the caller's transaction; return the job id.

        ``delay_s`` (seconds from now) and ``run_at`` (an aware datetime) are exclusive; with
        neither the job is due at once (after commit). See the module docstring."""
        ...

    async def list_jobs(
        self, state: JobState | None, task: str | None, offset: int, limit: int
    ) -> tuple[list[JobInfo], int]:
        """A page of jobs, newest first, and how many match."""
        ...

    async def get(self, job_id: int) -> JobInfo | None: ...

    async def retry(self, job_id: int) -> bool:
        """Make a failed job due again now (one more attempt); False if it is not failed."""
        ...


@dataclass(frozen=True, slots=True)
class JobRun:
    """Which run of a job a handler is in."""

    job_id: int
    attempt: int  # 1 for the first run
    max_attempts: int

    @property
    def final(self) -> bool:
        """No retry follows if this run fails."""
        return self.attempt >= self.max_attempts


JobHandler = Callable[[JobRun, dict[str, Any]], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class JobTask:
    """A kind of job: its name, its handler and how it is retried.

    The handler raises to fail a run; it is retried after ``retry_delay_s(attempt)`` until
    ``max_attempts`` runs have failed.

    With ``cron`` (five fields, or a sixth for seconds, as procrastinate reads them:
    ``"0 3 * * *"`` is 03:00 UTC daily) the task is also deferred on that schedule, once per
    due time however many workers run; its payload is then ``{"scheduled_for": <unix time>}``."""

    name: str
    handler: JobHandler
    max_attempts: int = 5
    backoff_s: float = 2.0
    max_backoff_s: float = 3600.0
    cron: str | None = None

    def retry_delay_s(self, attempt: int) -> float | None:
        """Seconds to wait after failed run number ``attempt`` (1-based); None: give up."""
        return retry_delay_s(attempt, self.max_attempts, self.backoff_s, self.max_backoff_s)


def retry_delay_s(
    attempt: int, max_attempts: int, backoff_s: float, max_backoff_s: float
) -> float | None:
    """Exponential backoff: ``backoff_s``, twice that, four times ... capped at
    ``max_backoff_s``; None once ``attempt`` reached ``max_attempts``."""
    if attempt >= max_attempts:
        return None
    return float(min(backoff_s * 2 ** (attempt - 1), max_backoff_s))
