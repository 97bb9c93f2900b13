"""The retry schedule of background jobs (domain/shared/jobs.py)."""

from __future__ import annotations

from domain.shared.jobs import JobRun, JobTask, retry_delay_s


async def _noop(run: JobRun, payload: dict[str, object]) -> None:
    return None


def test_backoff_doubles_until_the_cap_and_stops_at_the_last_attempt() -> None:
    delays = [retry_delay_s(a, 6, 30.0, 200.0) for a in range(1, 8)]
    assert delays == [30.0, 60.0, 120.0, 200.0, 200.0, None, None]


def test_a_task_retries_until_max_attempts() -> None:
    task = JobTask("t", _noop, max_attempts=3, backoff_s=0.5)
    assert [task.retry_delay_s(a) for a in (1, 2, 3)] == [0.5, 1.0, None]
    assert JobTask("t", _noop, max_attempts=1).retry_delay_s(1) is None


def test_a_run_knows_whether_it_is_the_last() -> None:
    assert [JobRun(1, a, 3).final for a in (1, 2, 3, 4)] == [False, False, True, True]
