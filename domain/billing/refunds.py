"""A refund of money paid for an order: the credit note that corrects the order's invoice.

For the payments area (its `InvoiceLedger.refund_issued`): a refund is an amount VAT included,
so it is spread over the order's lines on the invoice in proportion to what is left of each
(largest remainder, so the lines add up to the refund to the cent), each credited at its own
VAT rate (`CreditLine.gross_amount`)."""

from __future__ import annotations

from sqlalchemy import select

from domain.billing.credit_notes import CreditLine, credited_per_line, issue_credit_note
from domain.billing.errors import BillingErrorCode
from domain.billing.models import CreditNote, Invoice, InvoiceLine
from domain.shared.errors import DomainError
from domain.shared.money import Money
from domain.shared.uow import UnitOfWork


def spread(amount: int, weights: list[int]) -> list[int]:
    """``amount`` split over ``weights`` in proportion (largest remainder): the parts add up
    to ``amount`` and none exceeds its weight when ``amount <= sum(weights)``."""
    total = sum(weights)
    if total == 0:
        return [0 for _ in weights]
    parts = [amount * w // total for w in weights]
    by_remainder = sorted(range(len(weights)), key=lambda i: (-(amount * weights[i] % total), i))
    for i in by_remainder[: amount - sum(parts)]:
        parts[i] += 1
    return parts


async def credit_order_refund(
    uow: UnitOfWork, order_id: int, amount: Money, reason: str, *, refund_reference: str
) -> CreditNote | None:
    """In the caller's transaction: the credit note over ``amount`` (VAT included) for a refund
    of money paid for an order, on the order's invoice, and the refunded money taken off the
    invoice's payments (at most what was recorded on it), so what is open stays the same.
    None while the order has no invoice (nothing billed, nothing to correct). The same
    ``refund_reference`` again answers the first credit note and changes nothing.

    Errors: CURRENCY_MISMATCH, INVALID_AMOUNT (not positive), EXCEEDS_INVOICE (more than is
    left to credit of the order's lines on its invoice)."""
    earlier = await uow.scalar(
        select(CreditNote).where(CreditNote.refund_reference == refund_reference)
    )
    if earlier is not None:
        return earlier  # type: ignore[no-any-return]
    lines = list(
        await uow.scalars(
            select(InvoiceLine)
            .where(InvoiceLine.order_id == order_id)
            .order_by(InvoiceLine.invoice_id, InvoiceLine.position)
        )
    )
    if not lines:
        return None
    # An order is billed on one invoice (unless its lines were split: then the first).
    invoice_id = lines[0].invoice_id
    lines = [line for line in lines if line.invoice_id == invoice_id]
    invoice = await uow.scalar(select(Invoice).where(Invoice.id == invoice_id).with_for_update())
    if amount.currency != invoice.currency:
        raise DomainError.single(
            BillingErrorCode.CURRENCY_MISMATCH, f"The invoice is in {invoice.currency}."
        )
    if amount.amount <= 0:
        raise DomainError.single(BillingErrorCode.INVALID_AMOUNT, "A refund is positive.")
    credited = await credited_per_line(uow, invoice_id)
    left = [line.net_amount + line.vat_amount - credited.get(line.id, (0, 0))[1] for line in lines]
    if amount.amount > sum(left):
        raise DomainError.single(
            BillingErrorCode.EXCEEDS_INVOICE,
            f"Only {sum(left)} of the order's invoice is left to credit.",
        )
    parts = spread(amount.amount, left)
    note = await issue_credit_note(
        uow,
        invoice_id,
        reason,
        [
            CreditLine(line.id, gross_amount=part)
            for line, part in zip(lines, parts, strict=True)
            if part > 0
        ],
        refund_reference=refund_reference,
    )
    invoice.paid_amount -= min(amount.amount, invoice.paid_amount)
    return note
