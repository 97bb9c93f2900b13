"""Collective invoices: one per customer and period (ISO week or calendar month) covering
every order that reached the invoicing status by the period's end and has no invoice yet.

Run daily by the `billing.collective_run` job (it invoices the last complete period; orders
already invoiced are left out, so a repeated run issues nothing twice) and by staff with
`invoiceRunCollective`."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import and_, exists, or_, select

from domain.accounts.models import Company, CustomerGroup
from domain.accounts.rights import InvoiceSchedule
from domain.accounts.viewer import Viewer
from domain.billing.errors import BillingErrorCode
from domain.billing.issuing import issue_invoice
from domain.billing.models import Invoice, InvoiceKind, InvoiceLine
from domain.billing.parties import load_customer
from domain.billing.policies import require_billing_staff
from domain.billing.profile import seller_profile
from domain.orders.models import Order, OrderStatusChange
from domain.orders.state import OrderStatus
from domain.shared.errors import DomainError
from domain.shared.uow import UnitOfWork

COLLECTIVE = (InvoiceSchedule.WEEKLY, InvoiceSchedule.MONTHLY)


def last_complete_period(schedule: InvoiceSchedule, today: dt.date) -> tuple[dt.date, dt.date]:
    """The last ISO week (Monday to Sunday) or calendar month that ended before ``today``."""
    if schedule is InvoiceSchedule.WEEKLY:
        start = today - dt.timedelta(days=today.weekday() + 7)
        return start, start + dt.timedelta(days=6)
    if schedule is InvoiceSchedule.MONTHLY:
        end = today.replace(day=1) - dt.timedelta(days=1)
        return end.replace(day=1), end
    raise DomainError.single(
        BillingErrorCode.INVALID_PERIOD, "Collective invoices are WEEKLY or MONTHLY.", "schedule"
    )


def _billable_statuses() -> list[OrderStatus]:
    if seller_profile().invoice_on is OrderStatus.COMPLETED:
        return [OrderStatus.COMPLETED, OrderStatus.DELIVERED]
    return [OrderStatus.DELIVERED]


async def uninvoiced_orders(
    uow: UnitOfWork, schedule: InvoiceSchedule, until: dt.date, company_id: int | None = None
) -> list[Order]:
    """Orders of customers on ``schedule`` that reached the invoicing status before the end of
    ``until`` and have no invoice, oldest first."""
    end = dt.datetime.combine(until + dt.timedelta(days=1), dt.time(), dt.UTC)
    reached = exists().where(
        OrderStatusChange.order_id == Order.id,
        OrderStatusChange.to_status == seller_profile().invoice_on.value,
        OrderStatusChange.at < end,
    )
    invoiced = exists().where(InvoiceLine.order_id == Order.id)
    on_schedule = or_(
        Company.invoice_schedule == schedule,
        and_(Company.invoice_schedule.is_(None), CustomerGroup.invoice_schedule == schedule),
    )
    stmt = (
        select(Order)
        .join(Company, Company.id == Order.company_id)
        .outerjoin(CustomerGroup, CustomerGroup.id == Company.customer_group_id)
        .where(
            Order.status.in_(_billable_statuses()),
            ~Order.invoiced_externally,
            Order.gross_amount > 0,
            on_schedule,
            reached,
            ~invoiced,
        )
        .order_by(Order.company_id, Order.id)
    )
    if company_id is not None:
        stmt = stmt.where(Order.company_id == company_id)
    return list(await uow.scalars(stmt))


async def issue_collective_invoices(
    uow: UnitOfWork,
    schedule: InvoiceSchedule,
    today: dt.date,
    *,
    company_id: int | None = None,
    staff_id: int | None = None,
) -> list[Invoice]:
    """One invoice per customer (and currency) for the last complete period before ``today``."""
    period = last_complete_period(schedule, today)
    by_customer: dict[tuple[int, str], list[Order]] = defaultdict(list)
    for order in await uninvoiced_orders(uow, schedule, period[1], company_id):
        by_customer[(order.company_id, order.currency)].append(order)
    issued = []
    for (cid, _currency), orders in by_customer.items():
        customer = await load_customer(uow, cid)
        issued.append(
            await issue_invoice(
                uow,
                orders,
                kind=InvoiceKind.COLLECTIVE,
                period=period,
                staff_id=staff_id,
                today=today,
                customer=customer,
            )
        )
    return issued


async def invoice_run_collective(
    uow: UnitOfWork,
    viewer: Viewer,
    schedule: InvoiceSchedule,
    today: dt.date,
    company_id: int | None = None,
) -> list[Invoice]:
    """Staff: issue the collective invoices of the last complete period before ``today``."""
    require_billing_staff(viewer)
    async with uow:
        issued = await issue_collective_invoices(
            uow, schedule, today, company_id=company_id, staff_id=viewer.user_id
        )
        await uow.commit()
    return issued
