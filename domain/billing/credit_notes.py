"""Credit notes: the only correction of an issued invoice. A credit note refers to its
invoice, credits it whole or per line (a line in full, or part of its net), carries the
invoice's VAT treatment, and is numbered in its own gapless series."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

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
    (``net_amount`` and ``gross_amount`` None), this part of its net, or this part of its gross
    (VAT included, as a refund is: the net is the gross at the line's rate, rounded half up,
    the VAT the rest)."""

    invoice_line_id: int | None = None
    net_amount: int | None = None
    position: int | None = None
    gross_amount: int | None = None


def net_of_gross(gross: int, rate_percent: Decimal) -> int:
    """The net within ``gross`` at ``rate_percent``, rounded half up to the minor unit."""
    net = Decimal(gross) * 100 / (100 + rate_percent)
    return int(net.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _fail(code: BillingErrorCode, message: str, field: str | None = None) -> DomainError:
    return DomainError.single(code, message, field)


async def credited_per_line(uow: UnitOfWork, invoice_id: int) -> dict[int, tuple[int, int]]:
    """(net, gross) credited so far per invoice line."""
    rows = await uow.rows(
        select(CreditNoteLine.invoice_line_id, CreditNoteLine.net_amount, CreditNoteLine.vat_amount)
        .join(CreditNote, CreditNote.id == CreditNoteLine.credit_note_id)
        .where(CreditNote.invoice_id == invoice_id)
    )
    out: dict[int, tuple[int, int]] = {}
    for line_id, net, vat in rows:
        if line_id is not None:
            before = out.get(line_id, (0, 0))
            out[line_id] = (before[0] + net, before[1] + net + vat)
    return out


def _credit_line(
    source: InvoiceLine, want: CreditLine, credited: tuple[int, int], currency: str, field: str
) -> tuple[int, int]:
    """(net, VAT) to credit of ``source`` for ``want``; raises when it is not positive or more
    than is left of the line."""
    left = source.net_amount - credited[0]
    if want.gross_amount is not None:
        left_gross = source.net_amount + source.vat_amount - credited[1]
        gross = want.gross_amount
        if gross <= 0:
            raise _fail(BillingErrorCode.INVALID_AMOUNT, "Credit a positive amount.", field)
        if gross > left_gross:
            raise _fail(
                BillingErrorCode.EXCEEDS_INVOICE,
                f"Only {left_gross} of this line (VAT included) is left to credit.",
                field,
            )
        # What is left in full: exactly the rest of the net, so the line ends at zero.
        net = (
            left if gross == left_gross else min(net_of_gross(gross, source.vat_rate_percent), left)
        )
        return net, gross - net
    net = left if want.net_amount is None else want.net_amount
    if want.net_amount is not None and net <= 0:
        raise _fail(BillingErrorCode.INVALID_AMOUNT, "Credit a positive amount.", field)
    if net > left:
        raise _fail(
            BillingErrorCode.EXCEEDS_INVOICE, f"Only {left} of this line is left to credit.", field
        )
    vat = (
        source.vat_amount
        if net == source.net_amount
        else vat_on(Money(net, currency), source.vat_rate_percent).amount
    )
    return net, vat


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
    credited = await credited_per_line(uow, invoice.id)
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
        field = f"lines.{i}.{'grossAmount' if want.gross_amount is not None else 'netAmount'}"
        net, vat = _credit_line(
            source, want, credited.get(source.id, (0, 0)), invoice.currency, field
        )
        if net == 0 and vat == 0:
            continue
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
