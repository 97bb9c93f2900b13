"""Production's reactions to orders, subscribed at start-up (`server/domain_wiring.py`):
a released order gets its jobs, a cancelled one's jobs are cancelled, and a new file for a
line whose file was flagged sends its job back to work."""

from __future__ import annotations

from sqlalchemy import select, update

from domain.orders.signals import OrderFileReplaced, OrderStatusChanged
from domain.orders.state import OrderStatus
from domain.production.models import Job
from domain.production.services import create_jobs, follow_tasks
from domain.production.state import JobStatus
from domain.shared import domain_events
from domain.shared.uow import UnitOfWork


async def on_order_status(uow: UnitOfWork, event: OrderStatusChanged) -> None:
    if event.released:
        await create_jobs(uow, event.order)
    elif event.status is OrderStatus.CANCELLED:
        await uow.session.execute(
            update(Job).where(Job.order_id == event.order.id).values(status=JobStatus.CANCELLED)
        )


async def on_file_replaced(uow: UnitOfWork, event: OrderFileReplaced) -> None:
    job: Job | None = await uow.scalar(
        select(Job).where(Job.order_line_id == event.order_line_id).with_for_update()
    )
    if job is not None and job.hold_reason is not None:
        job.hold_reason = None
        event.order.on_hold_reason = None
        await follow_tasks(uow, event.viewer, job)


def subscribe() -> None:
    """Register production's handlers (idempotent)."""
    domain_events.subscribe(OrderStatusChanged, on_order_status)
    domain_events.subscribe(OrderFileReplaced, on_file_replaced)
