"""Jobs and tasks: created from a released order with nothing re-keyed (production hears of
the release through `domain.production.order_events`); staff complete tasks, the job's
status follows, and the order's through `domain.orders.progress`."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select

from domain.accounts.policies import require_staff_role
from domain.accounts.viewer import Viewer
from domain.catalog.models import Product, ProductKind
from domain.orders.errors import OrderErrorCode
from domain.orders.models import Order, OrderLine
from domain.orders.policies import PRODUCTION_ROLES
from domain.orders.progress import order_follow_production
from domain.pricing.lines import CHARGE_KINDS
from domain.production.models import Job, Requisition, RoutingStep, Task
from domain.production.sourcing import made_elsewhere, outside_work
from domain.production.state import (
    JobStatus,
    TaskStatus,
    job_status_from_tasks,
    production_progress,
)
from domain.shared.errors import DomainError
from domain.shared.models import utcnow
from domain.shared.uow import UnitOfWork

DEFAULT_ROUTINGS: dict[str, tuple[str, ...]] = {
    ProductKind.PRINT.value: ("Prepress", "Print", "Finishing", "Packing"),
    ProductKind.LASER_PART.value: ("Programming", "Cutting", "Deburring", "Packing"),
    ProductKind.SERVICE.value: ("Work", "Review"),
    ProductKind.STOCK_ITEM.value: ("Picking", "Packing"),
}


async def routing_for(uow: UnitOfWork, kind: str, product_id: int | None) -> list[str]:
    """The shop's routing for the product, else for its kind, else the built-in default."""
    rows = await uow.rows(
        select(RoutingStep.product_id, RoutingStep.name)
        .where(
            RoutingStep.product_kind == kind,
            (RoutingStep.product_id == product_id) | RoutingStep.product_id.is_(None),
        )
        .order_by(RoutingStep.position)
    )
    own = [name for pid, name in rows if pid is not None]
    general = [name for pid, name in rows if pid is None]
    return own or general or list(DEFAULT_ROUTINGS.get(kind, ("Work",)))


def requisitions_for(kind: str, line: OrderLine) -> list[tuple[str, Decimal, str]]:
    """Material to prepare, read from the line's specification."""
    spec: dict[str, Any] = line.specification or {}
    out: list[tuple[str, Decimal, str]] = []
    if kind == ProductKind.PRINT.value:
        for price_line in line.price_lines or []:
            # The engine's detail reads "<count> <unit> x <rate>", e.g. "125 sheets x 0.06".
            detail = (price_line.get("detail") or "").split()
            if price_line.get("code") == "paper" and len(detail) >= 2:
                try:
                    out.append((price_line["label"], Decimal(detail[0]), detail[1]))
                except ArithmeticError:
                    continue
        if not out:
            values = spec.get("values", {})
            paper = values.get("paper")
            out.append((f"Paper {paper}" if paper else "Paper", Decimal(line.quantity), "pieces"))
    elif kind == ProductKind.LASER_PART.value:
        part = spec.get("part", {})
        material = part.get("materialName") or part.get("material") or "Sheet metal"
        thickness = part.get("thicknessMm")
        weight_kg = part.get("weightKgTotal")
        name = f"{material} {thickness} mm" if thickness else str(material)
        if weight_kg:
            out.append((name, Decimal(str(weight_kg)), "kg"))
        else:
            out.append((name, Decimal(line.quantity), "parts"))
    elif kind == ProductKind.STOCK_ITEM.value and line.stock_item_id is not None:
        # A call-off picks the customer's own stock item.
        item = spec.get("stockItem", {})
        out.append((line.title, Decimal(line.quantity), str(item.get("unit", "PIECE")).lower()))
    return out


async def create_jobs(uow: UnitOfWork, order: Order) -> list[Job]:
    """Inside the releasing command: one job per line made in-house (`sourcing`), its tasks
    from the routing steps."""
    lines = await uow.scalars(
        select(OrderLine).where(OrderLine.order_id == order.id).order_by(OrderLine.position)
    )
    elsewhere = await made_elsewhere(uow, order, lines)
    # Called again when a supplier's lines come back in-house: those with a job keep it.
    elsewhere |= set(await uow.scalars(select(Job.order_line_id).where(Job.order_id == order.id)))
    jobs = []
    for line in lines:
        if line.kind in CHARGE_KINDS or line.id in elsewhere:  # shipping; supplier lines
            continue
        kind = ProductKind.STOCK_ITEM.value if line.stock_item_id else ProductKind.PRINT.value
        if line.product_id is not None:
            product = await uow.session.get(Product, line.product_id)
            if product is not None:
                kind = product.kind.value
        job = Job(
            number=f"{order.number}/{line.position}",
            title=f"{order.number} · {line.title}",
            order_id=order.id,
            order_line_id=line.id,
            company_id=order.company_id,
            status=JobStatus.WAITING,
            quantity=line.quantity,
            specification=line.specification,
            personalisation=line.personalisation,
            remarks="\n".join(x for x in (order.remarks, line.remarks) if x),
            # The date promised at checkout is when the goods must leave the shop.
            due_date=order.promised_dispatch_on or order.desired_delivery_date,
        )
        uow.session.add(job)
        await uow.session.flush()
        for position, name in enumerate(await routing_for(uow, kind, line.product_id), start=1):
            uow.session.add(
                Task(job_id=job.id, position=position, name=name, status=TaskStatus.PENDING)
            )
        for material, quantity, unit in requisitions_for(kind, line):
            uow.session.add(
                Requisition(
                    job_id=job.id,
                    material=material,
                    quantity=quantity,
                    unit=unit,
                    stock_item_id=line.stock_item_id,
                )
            )
        jobs.append(job)
        uow.record_event(
            "job.status_changed",
            order.company_id,
            {
                "jobId": job.id,
                "orderId": order.id,
                "status": job.status.value,
                "number": job.number,
                "ordererId": order.orderer_id,
            },
        )
    await uow.session.flush()
    return jobs


async def _task_for_update(uow: UnitOfWork, viewer: Viewer, task_id: int) -> tuple[Task, Job]:
    require_staff_role(viewer, PRODUCTION_ROLES)
    task: Task | None = await uow.scalar(select(Task).where(Task.id == task_id).with_for_update())
    if task is None:
        raise DomainError.single(OrderErrorCode.NOT_FOUND, "Task not found.", "id")
    job = await uow.session.get(Job, task.job_id, with_for_update=True)
    assert job is not None
    if job.status in (JobStatus.CANCELLED, JobStatus.ON_HOLD):
        raise DomainError.single(
            OrderErrorCode.INVALID_TRANSITION,
            f"The job is {job.status.value.lower().replace('_', ' ')}.",
            "id",
        )
    return task, job


async def task_start(uow: UnitOfWork, viewer: Viewer, task_id: int) -> Task:
    """Staff with role PRODUCTION (or ADMIN) start a task."""
    async with uow:
        task, job = await _task_for_update(uow, viewer, task_id)
        if task.status is not TaskStatus.PENDING:
            raise DomainError.single(
                OrderErrorCode.INVALID_TRANSITION, "Only a pending task can start.", "id"
            )
        task.status = TaskStatus.IN_PROGRESS
        task.started_at = utcnow()
        task.started_by_id = viewer.user_id
        await follow_tasks(uow, viewer, job, task)
        await uow.commit()
        return task


async def task_complete(uow: UnitOfWork, viewer: Viewer, task_id: int) -> Task:
    """Staff with role PRODUCTION (or ADMIN) complete a task (starting it if needed)."""
    async with uow:
        task, job = await _task_for_update(uow, viewer, task_id)
        if task.status is TaskStatus.DONE:
            raise DomainError.single(
                OrderErrorCode.INVALID_TRANSITION, "The task is already done.", "id"
            )
        now = utcnow()
        if task.started_at is None:
            task.started_at, task.started_by_id = now, viewer.user_id
        task.status = TaskStatus.DONE
        task.completed_at = now
        task.completed_by_id = viewer.user_id
        await follow_tasks(uow, viewer, job, task)
        await uow.commit()
        return task


async def follow_tasks(uow: UnitOfWork, viewer: Viewer, job: Job, task: Task | None = None) -> None:
    """Derive the job's status from its tasks and report the order's jobs to orders."""
    await uow.session.flush()
    statuses = [
        TaskStatus(s) for s in await uow.scalars(select(Task.status).where(Task.job_id == job.id))
    ]
    new = job_status_from_tasks(statuses, job.hold_reason is not None)
    order = await uow.session.get(Order, job.order_id, with_for_update=True)
    assert order is not None
    if new is not job.status or task is not None:
        # Also sent when only a task moved, so a customer can follow "Print done" live.
        job.status = new
        uow.record_event(
            "job.status_changed",
            job.company_id,
            {
                "jobId": job.id,
                "orderId": job.order_id,
                "status": new.value,
                "number": job.number,
                "ordererId": order.orderer_id,
                "task": {"name": task.name, "status": task.status.value} if task else None,
            },
        )
    await report_order_progress(uow, viewer, order)


async def report_order_progress(uow: UnitOfWork, viewer: Viewer, order: Order) -> None:
    """Tell orders where all of the order's work stands: its jobs here and the work made
    elsewhere (`sourcing.outside_work`). The order is locked by the caller."""
    jobs = [
        JobStatus(s) for s in await uow.scalars(select(Job.status).where(Job.order_id == order.id))
    ]
    jobs += await outside_work(uow, order.id)
    await order_follow_production(uow, viewer, order, production_progress(jobs))
