"""The split of a released order: lines routed to suppliers become one supplier job per
supplier (scheduled per the supplier channel's automation); production makes the rest
(domain/production/sourcing.py asks `RoutingSourcing`). Runs inside the releasing command."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from domain.orders.models import Order, OrderLine
from domain.orders.signals import OrderStatusChanged
from domain.orders.state import OrderStatus
from domain.production.state import JobStatus
from domain.routing.decisions import LineFacts, RuleBook, supplier_for
from domain.routing.events import record_status
from domain.routing.handoff_schedule import schedule_handoff
from domain.routing.models import RoutingRule, SupplierJob, SupplierJobLine
from domain.routing.state import SupplierJobStatus, as_production
from domain.shared.models import utcnow
from domain.shared.uow import UnitOfWork


async def rule_book(uow: UnitOfWork) -> RuleBook:
    rows = await uow.rows(
        select(RoutingRule.product_id, RoutingRule.laser_material_code, RoutingRule.supplier_id)
    )
    return RuleBook(
        by_product={p: s for p, _, s in rows if p is not None},
        by_material={m: s for _, m, s in rows if m is not None},
    )


def facts(line: OrderLine) -> LineFacts:
    return LineFacts(
        line_id=line.id,
        product_id=line.product_id,
        specification=line.specification or {},
        route_supplier_id=line.route_supplier_id,
        route_own_production=line.route_own_production,
    )


async def routed_lines(uow: UnitOfWork, order_id: int) -> set[int]:
    return set(
        await uow.scalars(
            select(SupplierJobLine.order_line_id)
            .join(SupplierJob, SupplierJob.id == SupplierJobLine.supplier_job_id)
            .where(SupplierJob.order_id == order_id)
        )
    )


async def split_order(uow: UnitOfWork, order: Order, lines: Sequence[OrderLine]) -> set[int]:
    """Make the supplier jobs of a released order once; answer the lines made elsewhere."""
    existing = await uow.scalar(select(SupplierJob.id).where(SupplierJob.order_id == order.id))
    if existing is not None:
        return await routed_lines(uow, order.id)
    rules = await rule_book(uow)
    by_supplier: dict[int, list[OrderLine]] = {}
    for line in lines:
        supplier_id = supplier_for(facts(line), rules)
        if supplier_id is not None:
            by_supplier.setdefault(supplier_id, []).append(line)
    now = utcnow()
    for n, (supplier_id, routed) in enumerate(sorted(by_supplier.items()), start=1):
        job = SupplierJob(
            number=f"{order.number}/S{n}",
            order_id=order.id,
            company_id=order.company_id,
            supplier_id=supplier_id,
            status=SupplierJobStatus.AWAITING_RELEASE,
            generation=1,
            created_at=now,
        )
        uow.session.add(job)
        await uow.session.flush()
        for line in routed:
            uow.session.add(SupplierJobLine(supplier_job_id=job.id, order_line_id=line.id))
        await schedule_handoff(uow, job, automatic=True)
        record_status(uow, job, None)
    await uow.session.flush()
    return {line.id for routed in by_supplier.values() for line in routed}


class RoutingSourcing:
    """Production's `Sourcing` port: which lines suppliers make, and how far they are."""

    async def made_elsewhere(
        self, uow: UnitOfWork, order: Order, lines: Sequence[OrderLine]
    ) -> set[int]:
        return await split_order(uow, order, lines)

    async def outside_work(self, uow: UnitOfWork, order_id: int) -> list[JobStatus]:
        statuses = await uow.scalars(
            select(SupplierJob.status).where(SupplierJob.order_id == order_id)
        )
        return [as_production(SupplierJobStatus(s)) for s in statuses]


async def on_order_status(uow: UnitOfWork, event: OrderStatusChanged) -> None:
    """A cancelled order cancels its supplier jobs (those already sent stay on record as
    cancelled; staff tell the supplier, the hand-off does not)."""
    if event.status is not OrderStatus.CANCELLED:
        return
    jobs = await uow.scalars(
        select(SupplierJob)
        .where(
            SupplierJob.order_id == event.order.id,
            SupplierJob.status != SupplierJobStatus.CANCELLED,
        )
        .with_for_update()
    )
    for job in jobs:
        previous = job.status.value
        job.status = SupplierJobStatus.CANCELLED
        job.generation += 1
        record_status(uow, job, previous)
