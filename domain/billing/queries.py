"""Reading invoices and credit notes, scoped to the viewer (`finances_scope`): another
company's documents, or any for a user without VIEW_FINANCES, answer like missing ones."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.sql import Select

from domain.accounts.models import Company, CustomerGroup
from domain.accounts.rights import InvoiceSchedule
from domain.accounts.viewer import Viewer
from domain.billing.models import CreditNote, CreditNoteLine, Invoice, InvoiceLine
from domain.billing.policies import finances_scope
from domain.shared.uow import UnitOfWork


class InvoiceStatus(StrEnum):
    OPEN = "OPEN"  # something is open, not yet due
    OVERDUE = "OVERDUE"  # something is open past the due date
    PAID = "PAID"  # settled by payments (and credit notes)
    CREDITED = "CREDITED"  # settled by credit notes alone


def invoice_status(invoice: Invoice, today: dt.date) -> InvoiceStatus:
    if invoice.open_amount > 0:
        return InvoiceStatus.OVERDUE if invoice.due_date < today else InvoiceStatus.OPEN
    return InvoiceStatus.PAID if invoice.paid_amount > 0 else InvoiceStatus.CREDITED


@dataclass(frozen=True, slots=True)
class InvoiceFilter:
    company_id: int | None = None
    order_id: int | None = None
    status: InvoiceStatus | None = None
    issued_from: dt.date | None = None
    issued_to: dt.date | None = None
    number: str | None = None


def _invoices(viewer: Viewer, f: InvoiceFilter, today: dt.date) -> Select[Any]:
    stmt = select(Invoice).where(finances_scope(viewer, Invoice.company_id))
    if f.company_id is not None:
        stmt = stmt.where(Invoice.company_id == f.company_id)
    if f.order_id is not None:
        stmt = stmt.where(
            Invoice.id.in_(select(InvoiceLine.invoice_id).where(InvoiceLine.order_id == f.order_id))
        )
    if f.issued_from is not None:
        stmt = stmt.where(Invoice.issue_date >= f.issued_from)
    if f.issued_to is not None:
        stmt = stmt.where(Invoice.issue_date <= f.issued_to)
    if f.number:
        stmt = stmt.where(Invoice.number == f.number)
    is_open = Invoice.gross_amount > Invoice.paid_amount + Invoice.credited_amount
    if f.status is InvoiceStatus.OPEN:
        stmt = stmt.where(is_open, Invoice.due_date >= today)
    elif f.status is InvoiceStatus.OVERDUE:
        stmt = stmt.where(is_open, Invoice.due_date < today)
    elif f.status is InvoiceStatus.PAID:
        stmt = stmt.where(~is_open, Invoice.paid_amount > 0)
    elif f.status is InvoiceStatus.CREDITED:
        stmt = stmt.where(~is_open, Invoice.paid_amount == 0)
    return stmt


async def invoices_list(
    uow: UnitOfWork, viewer: Viewer, f: InvoiceFilter, offset: int, limit: int, today: dt.date
) -> tuple[list[Invoice], int]:
    """A page of the invoices the viewer may see, newest first, and how many match."""
    stmt = _invoices(viewer, f, today)
    total = await uow.scalar(select(func.count()).select_from(stmt.subquery()))
    page = await uow.scalars(
        stmt.order_by(Invoice.issue_date.desc(), Invoice.id.desc()).offset(offset).limit(limit)
    )
    return list(page), int(total or 0)


async def credit_notes_list(
    uow: UnitOfWork, viewer: Viewer, invoice_id: int | None, offset: int, limit: int
) -> tuple[list[CreditNote], int]:
    stmt = select(CreditNote).where(finances_scope(viewer, CreditNote.company_id))
    if invoice_id is not None:
        stmt = stmt.where(CreditNote.invoice_id == invoice_id)
    total = await uow.scalar(select(func.count()).select_from(stmt.subquery()))
    page = await uow.scalars(stmt.order_by(CreditNote.id.desc()).offset(offset).limit(limit))
    return list(page), int(total or 0)


async def invoices_by_id(uow: UnitOfWork, viewer: Viewer, ids: Sequence[int]) -> list[Invoice]:
    return list(
        await uow.scalars(
            select(Invoice).where(Invoice.id.in_(ids), finances_scope(viewer, Invoice.company_id))
        )
    )


async def credit_notes_by_id(
    uow: UnitOfWork, viewer: Viewer, ids: Sequence[int]
) -> list[CreditNote]:
    return list(
        await uow.scalars(
            select(CreditNote).where(
                CreditNote.id.in_(ids), finances_scope(viewer, CreditNote.company_id)
            )
        )
    )


async def invoice_lines(uow: UnitOfWork, invoice_ids: Sequence[int]) -> list[InvoiceLine]:
    return list(
        await uow.scalars(
            select(InvoiceLine)
            .where(InvoiceLine.invoice_id.in_(invoice_ids))
            .order_by(InvoiceLine.invoice_id, InvoiceLine.position)
        )
    )


async def credit_note_lines(uow: UnitOfWork, note_ids: Sequence[int]) -> list[CreditNoteLine]:
    return list(
        await uow.scalars(
            select(CreditNoteLine)
            .where(CreditNoteLine.credit_note_id.in_(note_ids))
            .order_by(CreditNoteLine.credit_note_id, CreditNoteLine.position)
        )
    )


class OrderInvoicing(StrEnum):
    """Where an order stands in billing."""

    INVOICED = "INVOICED"
    EXTERNAL = "EXTERNAL"  # billed from the shop's own accounting system
    PENDING = "PENDING"  # will be invoiced (on delivery, or on the next collective run)


async def order_invoicing(
    uow: UnitOfWork, orders: Sequence[tuple[int, int, bool]]
) -> dict[int, tuple[OrderInvoicing, int | None]]:
    """For (order id, company id, invoiced externally) triples: the billing state and the id of
    the invoice, in two statements whatever their number."""
    order_ids = [o for o, _, _ in orders]
    invoiced = dict(
        await uow.rows(
            select(InvoiceLine.order_id, func.min(InvoiceLine.invoice_id))
            .where(InvoiceLine.order_id.in_(order_ids))
            .group_by(InvoiceLine.order_id)
        )
    )
    external_companies = set(
        await uow.scalars(
            select(Company.id).where(
                Company.id.in_({c for _, c, _ in orders}),
                Company.invoice_schedule == InvoiceSchedule.EXTERNAL,
            )
        )
    )
    grouped = await _group_external(uow, {c for _, c, _ in orders} - external_companies)
    out: dict[int, tuple[OrderInvoicing, int | None]] = {}
    for order_id, company_id, external in orders:
        if order_id in invoiced:
            out[order_id] = (OrderInvoicing.INVOICED, int(invoiced[order_id]))
        elif external or company_id in external_companies or company_id in grouped:
            out[order_id] = (OrderInvoicing.EXTERNAL, None)
        else:
            out[order_id] = (OrderInvoicing.PENDING, None)
    return out


async def _group_external(uow: UnitOfWork, company_ids: set[int]) -> set[int]:
    rows = await uow.scalars(
        select(Company.id)
        .join(CustomerGroup, CustomerGroup.id == Company.customer_group_id)
        .where(
            Company.id.in_(company_ids),
            Company.invoice_schedule.is_(None),
            CustomerGroup.invoice_schedule == InvoiceSchedule.EXTERNAL,
        )
    )
    return set(rows)
