"""What a shop that bills from its own accounting system needs of the orders invoiced
externally (the order's mark, or its customer's EXTERNAL schedule): one row per order line
of every such order that reached the invoicing status in the period, with the customer, the
VAT treatment this system would have applied, and the amounts. An export source
(`domain/billing/export.py`: ``source=external_orders``, and a sheet of the XLSX)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import and_, or_, select

from domain.accounts.models import Company, CustomerGroup
from domain.accounts.rights import InvoiceSchedule
from domain.billing.lines import line_amounts
from domain.billing.parties import load_customer
from domain.billing.profile import seller_profile
from domain.orders.models import Order, OrderLine, OrderStatusChange
from domain.shared.uow import UnitOfWork

EXTERNAL_COLUMNS = (
    "order_number",
    "reached_at",
    "customer_code",
    "customer_name",
    "customer_vat_id",
    "customer_country",
    "customer_reference",
    "vat_treatment",
    "vat_note",
    "line",
    "description",
    "quantity",
    "net_amount",
    "vat_category",
    "vat_rate_percent",
    "vat_amount",
    "gross_amount",
    "currency",
    "payment_method",
)


async def external_order_rows(
    uow: UnitOfWork, start: dt.date, end: dt.date
) -> list[dict[str, Any]]:
    status = seller_profile().invoice_on.value
    since = dt.datetime.combine(start, dt.time(), dt.UTC)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), dt.UTC)
    external = or_(
        Order.invoiced_externally,
        Company.invoice_schedule == InvoiceSchedule.EXTERNAL,
        and_(
            Company.invoice_schedule.is_(None),
            CustomerGroup.invoice_schedule == InvoiceSchedule.EXTERNAL,
        ),
    )
    rows = await uow.rows(
        select(Order, OrderStatusChange.at)
        .join(OrderStatusChange, OrderStatusChange.order_id == Order.id)
        .join(Company, Company.id == Order.company_id)
        .outerjoin(CustomerGroup, CustomerGroup.id == Company.customer_group_id)
        .where(
            OrderStatusChange.to_status == status,
            OrderStatusChange.at >= since,
            OrderStatusChange.at < until,
            external,
        )
        .order_by(Order.id)
    )
    orders = {order.id: (order, at) for order, at in rows}
    lines = await uow.scalars(
        select(OrderLine)
        .where(OrderLine.order_id.in_(list(orders)))
        .order_by(OrderLine.order_id, OrderLine.position)
    )
    out: list[dict[str, Any]] = []
    customers: dict[int, Any] = {}
    for line in lines:
        order, at = orders[line.order_id]
        if order.company_id not in customers:
            customers[order.company_id] = await load_customer(uow, order.company_id)
        customer = customers[order.company_id]
        party = customer.as_party()
        treatment = customer.treatment(seller_profile())
        amounts = line_amounts(line.net_amount, line.vat_rate_percent, order.currency, treatment)
        out.append(
            {
                "order_number": order.number,
                "reached_at": at.isoformat(),
                "customer_code": party["code"],
                "customer_name": party["name"],
                "customer_vat_id": party["vatId"] or "",
                "customer_country": party["country"],
                "customer_reference": order.customer_reference,
                "vat_treatment": treatment.kind.value,
                "vat_note": treatment.note,
                "line": line.position,
                "description": line.title,
                "quantity": line.quantity,
                "net_amount": amounts.net,
                "vat_category": amounts.category,
                "vat_rate_percent": f"{amounts.rate:.2f}",
                "vat_amount": amounts.vat,
                "gross_amount": amounts.net + amounts.vat,
                "currency": order.currency,
                "payment_method": order.payment_method,
            }
        )
    return out
