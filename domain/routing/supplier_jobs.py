"""Supplier jobs after the split: staff release, re-route or cancel them while nothing was
sent; the supplier reports its progress (with its API key, or the e-mail's confirm link); the
order follows all its parts through production's progress report."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, func, select

from domain.accounts.tokens import token_digest
from domain.accounts.viewer import Viewer
from domain.orders.models import Order, OrderLine
from domain.production.services import create_jobs, report_order_progress
from domain.routing.errors import RoutingErrorCode
from domain.routing.events import record_status
from domain.routing.handoff_schedule import schedule_handoff
from domain.routing.models import HandoffAttempt, SupplierJob, SupplierJobLine
from domain.routing.policies import (
    SUPPLIER_JOB_ROLES,
    require_routing_role,
    require_supplier,
    supplier_job_scope,
)
from domain.routing.setup import require_active_supplier
from domain.routing.state import NOT_SENT, SupplierJobStatus, may_report
from domain.shared.errors import DomainError, ErrorCollector
from domain.shared.uow import UnitOfWork


def _not_found() -> DomainError:
    return DomainError.single(RoutingErrorCode.NOT_FOUND, "Supplier job not found.", "id")


async def _job_for_update(uow: UnitOfWork, viewer: Viewer, job_id: int) -> SupplierJob:
    job: SupplierJob | None = await uow.scalar(
        select(SupplierJob)
        .where(SupplierJob.id == job_id, supplier_job_scope(viewer))
        .with_for_update()
    )
    if job is None:
        raise _not_found()
    return job


def _require_not_sent(job: SupplierJob) -> None:
    if job.status not in NOT_SENT:
        raise DomainError.single(
            RoutingErrorCode.INVALID_TRANSITION,
            f"The job is {job.status.value.lower().replace('_', ' ')}: it can no longer change.",
            "id",
        )


async def supplier_job_release(uow: UnitOfWork, viewer: Viewer, job_id: int) -> SupplierJob:
    """Requires staff role ADMIN, SALES or PRODUCTION. Hands a job waiting for release (or on
    hold after a failed hand-off) to its channel now."""
    require_routing_role(viewer, SUPPLIER_JOB_ROLES)
    async with uow:
        job = await _job_for_update(uow, viewer, job_id)
        if job.status not in (SupplierJobStatus.AWAITING_RELEASE, SupplierJobStatus.ON_HOLD):
            raise DomainError.single(
                RoutingErrorCode.INVALID_TRANSITION,
                "Only a job awaiting release or on hold can be released.",
                "id",
            )
        previous = job.status.value
        job.generation += 1
        await schedule_handoff(uow, job, automatic=False)
        if job.status is SupplierJobStatus.AWAITING_RELEASE:
            raise DomainError.single(RoutingErrorCode.NO_CHANNEL, job.hold_reason or "", "id")
        record_status(uow, job, previous)
        await uow.commit()
        return job


async def supplier_job_reroute(
    uow: UnitOfWork, viewer: Viewer, job_id: int, supplier_id: int | None
) -> SupplierJob:
    """Requires staff role ADMIN, SALES or PRODUCTION. While nothing was sent (waiting for
    release, during the delay, on hold): give the job to another supplier (scheduled per that
    supplier's channel), or with no supplier cancel it and make its lines in-house."""
    require_routing_role(viewer, SUPPLIER_JOB_ROLES)
    async with uow:
        job = await _job_for_update(uow, viewer, job_id)
        _require_not_sent(job)
        previous = job.status.value
        job.generation += 1
        if supplier_id is None:
            job.status = SupplierJobStatus.CANCELLED
            await uow.session.execute(
                delete(SupplierJobLine).where(SupplierJobLine.supplier_job_id == job.id)
            )
            order = await uow.session.get(Order, job.order_id, with_for_update=True)
            assert order is not None
            await create_jobs(uow, order)  # the lines now routed nowhere are made in-house
        else:
            await require_active_supplier(uow, supplier_id, "supplierId")
            job.supplier_id = supplier_id
            job.hold_reason = None
            await schedule_handoff(uow, job, automatic=True)
        record_status(uow, job, previous)
        await uow.commit()
        return job


async def supplier_job_cancel(uow: UnitOfWork, viewer: Viewer, job_id: int) -> SupplierJob:
    """Requires staff role ADMIN, SALES or PRODUCTION. Cancels a job nothing was sent of, and
    its lines are made by no one (the order's other parts go on)."""
    require_routing_role(viewer, SUPPLIER_JOB_ROLES)
    async with uow:
        job = await _job_for_update(uow, viewer, job_id)
        _require_not_sent(job)
        previous = job.status.value
        job.status = SupplierJobStatus.CANCELLED
        job.generation += 1
        record_status(uow, job, previous)
        order = await uow.session.get(Order, job.order_id, with_for_update=True)
        assert order is not None
        await report_order_progress(uow, viewer, order)
        await uow.commit()
        return job


@dataclass(frozen=True, slots=True)
class SupplierReport:
    number: str  # the supplier job number the supplier received
    status: SupplierJobStatus
    carrier: str | None = None
    tracking_number: str | None = None
    tracking_url: str | None = None
    message: str | None = None
    reference: str | None = None  # the supplier's own reference


def _check_report(cmd: SupplierReport) -> None:
    errors = ErrorCollector()
    if cmd.status not in (
        SupplierJobStatus.ACCEPTED,
        SupplierJobStatus.IN_PRODUCTION,
        SupplierJobStatus.SHIPPED,
        SupplierJobStatus.PROBLEM,
    ):
        errors.add(
            RoutingErrorCode.INVALID,
            "Report ACCEPTED, IN_PRODUCTION, SHIPPED or PROBLEM.",
            "status",
        )
    if cmd.status is SupplierJobStatus.SHIPPED and not (cmd.tracking_number or "").strip():
        errors.add(
            RoutingErrorCode.REQUIRED, "A shipment needs its tracking number.", "trackingNumber"
        )
    if cmd.status is SupplierJobStatus.PROBLEM and not (cmd.message or "").strip():
        errors.add(RoutingErrorCode.REQUIRED, "Say what the problem is.", "message")
    if cmd.tracking_url and not cmd.tracking_url.startswith(("https://", "http://")):
        errors.add(RoutingErrorCode.INVALID_URL, "An http(s) URL.", "trackingUrl")
    for name, value, limit in (
        ("carrier", cmd.carrier, 60),
        ("trackingNumber", cmd.tracking_number, 100),
        ("trackingUrl", cmd.tracking_url, 500),
        ("reference", cmd.reference, 100),
        ("message", cmd.message, 2000),
    ):
        if value is not None and len(value) > limit:
            errors.add(RoutingErrorCode.INVALID, f"At most {limit} characters.", name)
    errors.raise_if_any()


async def _apply(uow: UnitOfWork, viewer: Viewer, job: SupplierJob, cmd: SupplierReport) -> None:
    if not may_report(job.status, cmd.status):
        raise DomainError.single(
            RoutingErrorCode.INVALID_TRANSITION,
            f"The job is {job.status.value}; it cannot become {cmd.status.value}.",
            "status",
        )
    previous = job.status
    job.status = cmd.status
    job.problem = cmd.message if cmd.status is SupplierJobStatus.PROBLEM else None
    if cmd.carrier:
        job.carrier = cmd.carrier
    if cmd.tracking_number:
        job.tracking_number = cmd.tracking_number.strip()
    if cmd.tracking_url:
        job.tracking_url = cmd.tracking_url
    if cmd.reference:
        job.supplier_reference = cmd.reference
    if previous is not job.status or cmd.tracking_number:
        record_status(uow, job, previous.value)
    order = await uow.session.get(Order, job.order_id, with_for_update=True)
    assert order is not None
    await report_order_progress(uow, viewer, order)


async def supplier_job_report(uow: UnitOfWork, viewer: Viewer, cmd: SupplierReport) -> SupplierJob:
    """Requires a supplier API key. The supplier reports a job it received (by its number):
    accepted, in production, shipped (with the tracking number) or a problem. Another
    supplier's job answers NOT_FOUND, like one that does not exist."""
    supplier_id = require_supplier(viewer)
    _check_report(cmd)
    async with uow:
        job: SupplierJob | None = await uow.scalar(
            select(SupplierJob)
            .where(SupplierJob.number == cmd.number, SupplierJob.supplier_id == supplier_id)
            .with_for_update()
        )
        if job is None:
            raise DomainError.single(
                RoutingErrorCode.NOT_FOUND, "Supplier job not found.", "number"
            )
        await _apply(uow, viewer, job, cmd)
        await uow.commit()
        return job


async def supplier_job_confirm(uow: UnitOfWork, viewer: Viewer, token: str) -> SupplierJob:
    """The e-mail channel's link: the supplier accepts the job (again: no change)."""
    async with uow:
        job: SupplierJob | None = await uow.scalar(
            select(SupplierJob)
            .where(SupplierJob.confirm_token_digest == token_digest(token))
            .with_for_update()
        )
        if job is None:
            raise DomainError.single(
                RoutingErrorCode.TOKEN_INVALID, "This link is not valid.", "token"
            )
        if job.status is SupplierJobStatus.SENT:
            await _apply(uow, viewer, job, SupplierReport(job.number, SupplierJobStatus.ACCEPTED))
        await uow.commit()
        return job


async def supplier_jobs_list(
    uow: UnitOfWork,
    viewer: Viewer,
    status: SupplierJobStatus | None,
    order_id: int | None,
    offset: int,
    limit: int,
) -> tuple[list[SupplierJobView], int]:
    """Staff: every supplier job; a supplier: its own; newest first."""
    where = [supplier_job_scope(viewer)]
    if status is not None:
        where.append(SupplierJob.status == status)
    if order_id is not None:
        where.append(SupplierJob.order_id == order_id)
    total = await uow.scalar(select(func.count()).select_from(SupplierJob).where(*where))
    rows = await uow.scalars(
        select(SupplierJob)
        .where(*where)
        .order_by(SupplierJob.id.desc())
        .offset(offset)
        .limit(limit)
    )
    return await supplier_job_views(uow, list(rows)), int(total or 0)


async def handoff_attempts(uow: UnitOfWork, job_ids: list[int]) -> dict[int, list[HandoffAttempt]]:
    rows = await uow.scalars(
        select(HandoffAttempt)
        .where(HandoffAttempt.supplier_job_id.in_(job_ids))
        .order_by(HandoffAttempt.id)
    )
    out: dict[int, list[HandoffAttempt]] = {i: [] for i in job_ids}
    for row in rows:
        out[row.supplier_job_id].append(row)
    return out


def delayed_until(job: SupplierJob) -> dt.datetime | None:
    return job.send_after if job.status is SupplierJobStatus.SCHEDULED else None


@dataclass(frozen=True, slots=True)
class SupplierJobView:
    """A supplier job with its lines and hand-off attempts, loaded for a page at once."""

    job: SupplierJob
    lines: list[tuple[int, str, int]]  # position, title, quantity
    attempts: list[HandoffAttempt]


async def supplier_job_views(uow: UnitOfWork, jobs: list[SupplierJob]) -> list[SupplierJobView]:
    """Lines and attempts of ``jobs`` in two statements, whatever their number."""
    ids = [j.id for j in jobs]
    lines: dict[int, list[tuple[int, str, int]]] = {i: [] for i in ids}
    for job_id, position, title, quantity in await uow.rows(
        select(
            SupplierJobLine.supplier_job_id, OrderLine.position, OrderLine.title, OrderLine.quantity
        )
        .join(OrderLine, OrderLine.id == SupplierJobLine.order_line_id)
        .where(SupplierJobLine.supplier_job_id.in_(ids))
        .order_by(OrderLine.position)
    ):
        lines[job_id].append((position, title, quantity))
    attempts = await handoff_attempts(uow, ids)
    return [SupplierJobView(j, lines[j.id], attempts[j.id]) for j in jobs]


async def supplier_jobs_by_ids(
    uow: UnitOfWork, viewer: Viewer, ids: list[int]
) -> list[SupplierJobView | None]:
    """For node lookups: in the order of ``ids``, None for what the viewer may not see."""
    rows = await uow.scalars(
        select(SupplierJob).where(SupplierJob.id.in_(ids), supplier_job_scope(viewer))
    )
    views = {v.job.id: v for v in await supplier_job_views(uow, list(rows))}
    return [views.get(i) for i in ids]
