"""When a supplier job is handed to its channel: at once, after the channel's delay, or when
staff release it. Each hand-off is a job on the queue keyed by the supplier job's generation,
so a change of routing during the delay leaves the old hand-off doing nothing."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from domain.routing.models import SupplierChannel, SupplierJob
from domain.routing.state import Automation, SupplierJobStatus
from domain.shared.models import utcnow
from domain.shared.uow import UnitOfWork

HANDOFF_TASK = "supplier.handoff"


async def schedule_handoff(uow: UnitOfWork, job: SupplierJob, *, automatic: bool) -> None:
    """Queue the hand-off of ``job`` per its channel's automation (``automatic``: on release;
    otherwise staff release it now). Without a channel the job waits for staff."""
    channel: SupplierChannel | None = await uow.scalar(
        select(SupplierChannel).where(SupplierChannel.supplier_id == job.supplier_id)
    )
    if channel is None:
        job.status = SupplierJobStatus.AWAITING_RELEASE
        job.hold_reason = "The supplier has no channel; set one, then release the job."
        return
    if automatic and channel.automation is Automation.MANUAL:
        job.status = SupplierJobStatus.AWAITING_RELEASE
        return
    delay_s = channel.delay_s if automatic and channel.automation is Automation.DELAYED else 0
    job.status = SupplierJobStatus.SCHEDULED
    job.hold_reason = None
    job.send_after = utcnow() + dt.timedelta(seconds=delay_s)
    await uow.session.flush()
    await uow.jobs.defer(
        HANDOFF_TASK,
        {"supplierJobId": job.id, "generation": job.generation},
        delay_s=delay_s or None,
        idempotency_key=f"{HANDOFF_TASK}:{job.id}:{job.generation}",
    )
