"""Where jobs and tasks stand, and how a job follows its tasks."""

from __future__ import annotations

from enum import StrEnum

from domain.orders.state import ProductionProgress


class TaskStatus(StrEnum):
    PENDING = "PENDING"
    IN_PROGRESS = "IN_PROGRESS"
    DONE = "DONE"


class JobStatus(StrEnum):
    WAITING = "WAITING"  # released, no task started
    IN_PROGRESS = "IN_PROGRESS"
    ON_HOLD = "ON_HOLD"  # a file problem waits for the customer
    DONE = "DONE"
    CANCELLED = "CANCELLED"


def job_status_from_tasks(tasks: list[TaskStatus], on_hold: bool) -> JobStatus:
    """A job follows its tasks: none started -> WAITING, all done -> DONE, else IN_PROGRESS."""
    if on_hold:
        return JobStatus.ON_HOLD
    if tasks and all(t is TaskStatus.DONE for t in tasks):
        return JobStatus.DONE
    if any(t is not TaskStatus.PENDING for t in tasks):
        return JobStatus.IN_PROGRESS
    return JobStatus.WAITING


def production_progress(jobs: list[JobStatus]) -> ProductionProgress:
    """An order's progress as its jobs show it. A job on hold has not started by being held:
    once any of its tasks started, the order was already in production."""
    live = [j for j in jobs if j is not JobStatus.CANCELLED]
    return ProductionProgress(
        started=any(j in (JobStatus.IN_PROGRESS, JobStatus.DONE) for j in live),
        finished=bool(live) and all(j is JobStatus.DONE for j in live),
    )
