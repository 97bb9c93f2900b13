"""Credit notes: the only correction of an issued invoice. A credit note refers to its
invoice, credits it whole or per line (a line in full, or part of its net), carries the
invoice's VAT treatment, and is numbered in its own gapless series."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from domain.accounts.viewer import Viewer
from domain.billing.errors import BillingErrorCode
from domain.billing.events import CreditNoteIssued
from domain.billing.lines import totals
from domain.billing.models import CreditNote, CreditNoteLine, Invoice, InvoiceLine
from domain.billing.numbering import format_number, next_number
from domain.billing.policies import require_billing_staff
from domain.billing.profile import seller_profile
from domain.pricing.lines import vat_on
from domain.shared import domain_events
from domain.shared.errors import DomainError
from domain.shared.models import utcnow
from domain.shared.money import Money
from domain.shared.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class CreditLine:
    """Credit an invoice line (by id, or by its ``position`` on the invoice): in full
    (``net_amount`` None) or this part of its net."""

    invoice_line_id: int | None = None
    net_amount: int | None = None
    position: int | None = None


def _fail(code: BillingErrorCode, message: str, field: str | None = None) -> DomainError:
    return DomainError.single(code, message, field)


async def _credited_per_line(uow: UnitOfWork, invoice_id: int) -> dict[int, int]:
    rows = await uow.rows(
        select(CreditNoteLine.invoice_line_id, CreditNoteLine.net_amount)
        .join(CreditNote, CreditNote.id == CreditNoteLine.credit_note_id)
        .where(CreditNote.invoice_id == invoice_id)
    )
    out: dict[int, int] = {}
    for line_id, net in rows:
        if line_id is not None:
            out[line_id] = out.get(line_id, 0) + net
    return out


async def issue_credit_note(
    uow: UnitOfWork,
    invoice_id: int,
    reason: str,
    lines: Sequence[CreditLine] | None = None,
    *,
    staff_id: int | None = None,
    refund_reference: str | None = None,
) -> CreditNote:
    """Issue a credit note for an invoice in the caller's transaction (the payments area calls
    it for a refund, with ``refund_reference``: the same reference twice returns the first
    credit note). ``lines`` None credits whatever of the invoice is not credited yet.

    Errors: NOT_FOUND, INVALID_LINE (not a line of this invoice), INVALID_AMOUNT (not
    positive), EXCEEDS_INVOICE (more than is left to credit on a line)."""
    if refund_reference is not None:
        earlier = await uow.scalar(
            select(CreditNote).where(CreditNote.refund_reference == refund_reference)
        )
        if earlier is not None:
            return earlier  # type: ignore[no-any-return]
    invoice = await uow.scalar(select(Invoice).where(Invoice.id == invoice_id).with_for_update())
    if invoice is None:
        raise _fail(BillingErrorCode.NOT_FOUND, "The invoice does not exist.", "invoiceId")
    if not reason.strip():
        raise _fail(BillingErrorCode.INVALID_LINE, "Give the reason for the credit.", "reason")
    invoice_lines = {
        line.id: line
        for line in await uow.scalars(
            select(InvoiceLine).where(InvoiceLine.invoice_id == invoice.id)
        )
    }
    by_position = {line.position: line for line in invoice_lines.values()}
    credited = await _credited_per_line(uow, invoice.id)
    wanted = [CreditLine(line_id) for line_id in invoice_lines] if lines is None else list(lines)
    new_lines: list[CreditNoteLine] = []
    for i, want in enumerate(wanted):
        source = (
            invoice_lines.get(want.invoice_line_id)
            if want.invoice_line_id is not None
            else by_position.get(want.position or 0)
        )
        if source is None:
            raise _fail(
                BillingErrorCode.INVALID_LINE,
                "Not a line of this invoice.",
                f"lines.{i}.invoiceLineId",
            )
        left = source.net_amount - credited.get(source.id, 0)
        net = left if want.net_amount is None else want.net_amount
        if want.net_amount is not None and net <= 0:
            raise _fail(
                BillingErrorCode.INVALID_AMOUNT, "Credit a positive amount.", f"lines.{i}.netAmount"
            )
        if net > left:
            raise _fail(
                BillingErrorCode.EXCEEDS_INVOICE,
                f"Only {left} of this line is left to credit.",
                f"lines.{i}.netAmount",
            )
        if net == 0:
            continue
        vat = (
            source.vat_amount
            if net == source.net_amount
            else vat_on(Money(net, invoice.currency), source.vat_rate_percent).amount
        )
        new_lines.append(
            CreditNoteLine(
                position=len(new_lines) + 1,
                description=source.description,
                quantity=source.quantity if net == source.net_amount else 1,
                net_amount=net,
                vat_rate_percent=source.vat_rate_percent,
                vat_amount=vat,
                vat_category=source.vat_category,
                invoice_line_id=source.id,
            )
        )
    if not new_lines:
        raise _fail(BillingErrorCode.EXCEEDS_INVOICE, "The invoice is credited in full already.")
    net_total, vat_total, gross_total = totals(new_lines)
    seller = seller_profile()
    now = utcnow()
    year = now.date().year
    sequence = await next_number(uow, seller.credit_note_series, year)
    note = CreditNote(
        company_id=invoice.company_id,
        invoice_id=invoice.id,
        series=seller.credit_note_series,
        year=year,
        sequence=sequence,
        number=format_number(seller.credit_note_series, year, sequence),
        issue_date=now.date(),
        issued_at=now,
        currency=invoice.currency,
        net_amount=net_total,
        vat_amount=vat_total,
        gross_amount=gross_total,
        vat_treatment=invoice.vat_treatment,
        vat_note=invoice.vat_note,
        seller=invoice.seller,
        buyer=invoice.buyer,
        issued_by_staff_id=staff_id,
        reason=reason.strip(),
        refund_reference=refund_reference,
    )
    uow.session.add(note)
    await uow.session.flush()
    for line in new_lines:
        line.credit_note_id = note.id
    uow.session.add_all(new_lines)
    invoice.credited_amount += gross_total
    await uow.session.flush()
    uow.record_event(
        "credit_note.issued",
        invoice.company_id,
        {"creditNoteId": note.id, "number": note.number, "invoiceId": invoice.id},
    )
    await domain_events.publish(uow, CreditNoteIssued(note, invoice))
    return note


async def credit_note_issue(
    uow: UnitOfWork,
    viewer: Viewer,
    invoice_id: int | None,
    reason: str,
    lines: Sequence[CreditLine] | None,
) -> CreditNote:
    """Staff (ACCOUNTING, ADMIN): issue a credit note, whole or per line, in one transaction."""
    require_billing_staff(viewer)
    if invoice_id is None:
        raise _fail(BillingErrorCode.NOT_FOUND, "The invoice does not exist.", "invoiceId")
    async with uow:
        note = await issue_credit_note(uow, invoice_id, reason, lines, staff_id=viewer.user_id)
        await uow.commit()
    return note
