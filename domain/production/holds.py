"""Holds: staff flag a missing or defective file, the job waits for the customer."""

from __future__ import annotations

from sqlalchemy import select

from domain.accounts.policies import require_staff_role
from domain.accounts.viewer import Viewer
from domain.orders.errors import OrderErrorCode
from domain.orders.lifecycle import order_for_update
from domain.orders.models import OrderFile
from domain.orders.policies import PRODUCTION_ROLES
from domain.orders.state import TERMINAL
from domain.production.models import Job
from domain.production.services import follow_tasks
from domain.shared.errors import DomainError
from domain.shared.uow import UnitOfWork


async def order_file_flag_problem(
    uow: UnitOfWork, viewer: Viewer, file_id: int | None, job_id: int | None, problem: str
) -> Job:
    """Staff (PRODUCTION or ADMIN) flag a missing or defective file: the job waits, the
    customer is e-mailed (the ``order.file_problem`` event, which notifications follow), and
    the order shows why."""
    require_staff_role(viewer, PRODUCTION_ROLES)
    if not problem.strip():
        raise DomainError.single(OrderErrorCode.REQUIRED, "Describe the problem.", "problem")
    job: Job | None
    async with uow:
        if file_id is not None:
            f = await uow.session.get(OrderFile, file_id, with_for_update=True)
            if f is None:
                raise DomainError.single(OrderErrorCode.NOT_FOUND, "File not found.", "fileId")
            f.status, f.problem = "PROBLEM", problem.strip()
            job = await uow.scalar(
                select(Job).where(Job.order_line_id == f.order_line_id).with_for_update()
            )
        else:
            job = await uow.scalar(select(Job).where(Job.id == job_id).with_for_update())
        if job is None:
            raise DomainError.single(OrderErrorCode.NOT_FOUND, "Job not found.", "jobId")
        order = await order_for_update(uow, viewer, job.order_id)
        if order.status in TERMINAL:
            raise DomainError.single(
                OrderErrorCode.INVALID_TRANSITION, f"The order is {order.status.value}.", "jobId"
            )
        job.hold_reason = problem.strip()
        order.on_hold_reason = f"{job.number}: {problem.strip()}"
        await follow_tasks(uow, viewer, job)
        # The customer is told by domain/notifications, which follows this topic.
        uow.record_event(
            "order.file_problem",
            order.company_id,
            {
                "orderId": order.id,
                "number": order.number,
                "ordererId": order.orderer_id,
                "jobId": job.id,
                "jobTitle": job.title,
                "problem": problem.strip(),
            },
        )
        await uow.commit()
        return job
