"""Issuing invoices: per order when it is delivered (or completed), or collectively per
customer and period. Numbers are given at issue, gapless (domain/billing/numbering.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select

from domain.billing.errors import BillingErrorCode
from domain.billing.events import InvoiceIssued
from domain.billing.lines import line_amounts, totals
from domain.billing.models import Invoice, InvoiceKind, InvoiceLine
from domain.billing.numbering import format_number, next_number
from domain.billing.parties import Customer, load_customer
from domain.billing.profile import seller_profile
from domain.billing.reminders import format_amount
from domain.orders.models import Order, OrderLine
from domain.shared import domain_events
from domain.shared.errors import DomainError
from domain.shared.models import utcnow
from domain.shared.uow import UnitOfWork

# The background job that renders an issued invoice and mails it (payload {"invoice_id"}).
INVOICE_MAIL_TASK = "billing.invoice_mail"
# The event-stream topic of an issued invoice (the invoiceIssued subscription, webhooks and
# the "invoice issued" notification follow it).
INVOICE_ISSUED_TOPIC = "invoice.issued"


def issued_payload(invoice: Invoice, order_ids: Sequence[int]) -> dict[str, object]:
    """The ``invoice.issued`` event's payload. ``orderId`` only for an invoice of one order
    (a notification then uses that order's channel templates); ``total`` for display."""
    payload: dict[str, object] = {
        "invoiceId": invoice.id,
        "number": invoice.number,
        "grossAmount": invoice.gross_amount,
        "currency": invoice.currency,
        "total": format_amount(invoice.gross_amount, invoice.currency),
        "dueDate": invoice.due_date.isoformat(),
        "orderIds": list(order_ids),
    }
    if len(order_ids) == 1:
        payload["orderId"] = order_ids[0]
    return payload


def _fail(code: BillingErrorCode, message: str, field: str | None = None) -> DomainError:
    return DomainError.single(code, message, field)


async def invoiced_order_ids(uow: UnitOfWork, order_ids: Sequence[int]) -> set[int]:
    """Which of ``order_ids`` already have an invoice."""
    if not order_ids:
        return set()
    rows = await uow.scalars(
        select(InvoiceLine.order_id).where(InvoiceLine.order_id.in_(order_ids)).distinct()
    )
    return set(rows)


async def issue_invoice(
    uow: UnitOfWork,
    orders: Sequence[Order],
    *,
    kind: InvoiceKind = InvoiceKind.SINGLE,
    period: tuple[dt.date, dt.date] | None = None,
    staff_id: int | None = None,
    today: dt.date | None = None,
    customer: Customer | None = None,
) -> Invoice:
    """Issue one invoice for ``orders`` (one company, one currency) in the caller's
    transaction: lines copied from the order lines with VAT per line under the customer's VAT
    treatment, due date from the payment terms, the next number of the invoice series. The
    PDF is rendered and mailed by a job after commit; `InvoiceIssued` is published."""
    if not orders:
        raise _fail(BillingErrorCode.NOTHING_TO_INVOICE, "There is no order to invoice.")
    company_id, currency = orders[0].company_id, orders[0].currency
    if any(o.company_id != company_id for o in orders):
        raise _fail(BillingErrorCode.INVALID_LINE, "An invoice bills one company's orders.")
    if any(o.currency != currency for o in orders):
        raise _fail(BillingErrorCode.CURRENCY_MISMATCH, "An invoice has one currency.")
    if any(o.invoiced_externally for o in orders):
        raise _fail(BillingErrorCode.INVOICED_EXTERNALLY, "The order is invoiced externally.")
    order_ids = [o.id for o in orders]
    if await invoiced_order_ids(uow, order_ids):
        raise _fail(BillingErrorCode.ALREADY_INVOICED, "The order has an invoice already.")
    customer = customer or await load_customer(uow, company_id)
    if customer is None:
        raise _fail(BillingErrorCode.NOT_FOUND, "The customer does not exist.")
    seller = seller_profile()
    treatment = customer.treatment(seller)
    order_lines = await uow.scalars(
        select(OrderLine)
        .where(OrderLine.order_id.in_(order_ids))
        .order_by(OrderLine.order_id, OrderLine.position)
    )
    numbers = {o.id: o.number for o in orders}
    lines = []
    for position, ol in enumerate(order_lines, start=1):
        amounts = line_amounts(ol.net_amount, ol.vat_rate_percent, currency, treatment)
        lines.append(
            InvoiceLine(
                position=position,
                description=ol.title[:300],
                quantity=ol.quantity,
                net_amount=amounts.net,
                vat_rate_percent=amounts.rate,
                vat_amount=amounts.vat,
                vat_category=amounts.category,
                order_id=ol.order_id,
                order_line_id=ol.id,
                order_number=numbers[ol.order_id],
            )
        )
    if not lines:
        raise _fail(BillingErrorCode.NOTHING_TO_INVOICE, "The orders have no lines.")
    net, vat, gross = totals(lines)
    now = utcnow()
    issue_date = today or now.date()
    sequence = await next_number(uow, seller.invoice_series, issue_date.year)
    invoice = Invoice(
        company_id=company_id,
        kind=kind,
        series=seller.invoice_series,
        year=issue_date.year,
        sequence=sequence,
        number=format_number(seller.invoice_series, issue_date.year, sequence),
        issue_date=issue_date,
        issued_at=now,
        due_date=issue_date + dt.timedelta(days=customer.payment_terms_days),
        payment_terms_days=customer.payment_terms_days,
        period_start=period[0] if period else None,
        period_end=period[1] if period else None,
        currency=currency,
        net_amount=net,
        vat_amount=vat,
        gross_amount=gross,
        paid_amount=0,
        credited_amount=0,
        reminders_sent=0,
        vat_treatment=treatment.kind,
        vat_note=treatment.note,
        seller=seller.as_party(),
        buyer=customer.as_party(),
        issued_by_staff_id=staff_id,
    )
    uow.session.add(invoice)
    await uow.session.flush()
    for line in lines:
        line.invoice_id = invoice.id
    uow.session.add_all(lines)
    await uow.session.flush()
    uow.record_event(INVOICE_ISSUED_TOPIC, company_id, issued_payload(invoice, order_ids))
    await uow.jobs.defer(
        INVOICE_MAIL_TASK, {"invoice_id": invoice.id}, idempotency_key=f"invoice-mail:{invoice.id}"
    )
    await domain_events.publish(uow, InvoiceIssued(invoice, tuple(order_ids)))
    return invoice
