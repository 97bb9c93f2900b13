"""Staff use cases on background jobs."""

from __future__ import annotations

from domain.accounts.policies import is_staff_with
from domain.accounts.rights import StaffRole
from domain.accounts.viewer import Viewer
from domain.jobs.errors import JobErrorCode
from domain.shared.errors import DomainError
from domain.shared.jobs import JobInfo, JobState
from domain.shared.uow import UnitOfWork

# Retrying runs a job's side effects again (a mail, a supplier order): admins only.
RETRY_ROLES = frozenset({StaffRole.ADMIN})


async def jobs_list(
    uow: UnitOfWork,
    viewer: Viewer,
    state: JobState | None,
    task: str | None,
    offset: int,
    limit: int,
) -> tuple[list[JobInfo], int]:
    """Background jobs, newest first, for staff; nobody else sees any."""
    if not viewer.is_staff:
        return [], 0
    return await uow.jobs.list_jobs(state, task, offset, limit)


async def job_retry(uow: UnitOfWork, viewer: Viewer, job_id: int | None) -> JobInfo:
    """Make a failed job due again now, for one more attempt. Requires the ADMIN staff role."""
    if not is_staff_with(viewer, RETRY_ROLES):
        raise DomainError.single(
            JobErrorCode.PERMISSION_DENIED, "Only administrators may retry background jobs."
        )
    async with uow:
        job = await uow.jobs.get(job_id) if job_id is not None else None
        if job is None:
            raise DomainError.single(JobErrorCode.NOT_FOUND, "No such background job.", "id")
        if job.state is not JobState.FAILED or not await uow.jobs.retry(job.id):
            raise DomainError.single(
                JobErrorCode.NOT_FAILED,
                f"Only a failed job can be retried (this one: {job.state.value}).",
                "id",
            )
        await uow.commit()
        retried = await uow.jobs.get(job.id)
    assert retried is not None
    return retried
