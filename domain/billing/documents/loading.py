"""Loading an issued document with its lines into a `DocumentView`."""

from __future__ import annotations

from sqlalchemy import select

from domain.billing.documents.view import DocumentView, credit_note_view, invoice_view
from domain.billing.models import CreditNote, Invoice
from domain.billing.queries import credit_note_lines, invoice_lines
from domain.shared.uow import UnitOfWork


async def invoice_document(uow: UnitOfWork, invoice: Invoice) -> DocumentView:
    return invoice_view(invoice, await invoice_lines(uow, [invoice.id]))


async def credit_note_document(uow: UnitOfWork, note: CreditNote) -> DocumentView:
    invoice = await uow.scalar(select(Invoice).where(Invoice.id == note.invoice_id))
    return credit_note_view(note, await credit_note_lines(uow, [note.id]), invoice)
