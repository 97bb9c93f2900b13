"""What the payments area needs of invoices: what is open, and recording a payment.

The payments area owns payment records; it calls these inside its own transaction (a
webhook, a bank-statement import, a staff entry) and may subscribe to `InvoiceIssued`
(domain/billing/events.py) to settle an invoice for an order it already holds a payment for.
A refund's credit note is `domain.billing.credit_notes.issue_credit_note(...,
refund_reference=...)`."""

from __future__ import annotations

from sqlalchemy import select

from domain.billing.errors import BillingErrorCode
from domain.billing.models import Invoice, InvoiceLine
from domain.shared.errors import DomainError
from domain.shared.models import utcnow
from domain.shared.money import Money
from domain.shared.uow import UnitOfWork


async def invoice_open_amount(uow: UnitOfWork, invoice_id: int) -> Money | None:
    """Gross less payments and credit notes; None if the invoice does not exist."""
    invoice = await uow.scalar(select(Invoice).where(Invoice.id == invoice_id))
    return Money(invoice.open_amount, invoice.currency) if invoice else None


async def invoices_of_order(uow: UnitOfWork, order_id: int) -> list[Invoice]:
    """The invoice(s) that bill an order (one, unless its lines were split)."""
    ids = select(InvoiceLine.invoice_id).where(InvoiceLine.order_id == order_id)
    return list(await uow.scalars(select(Invoice).where(Invoice.id.in_(ids)).order_by(Invoice.id)))


async def record_payment_on_invoice(uow: UnitOfWork, invoice_id: int, amount: Money) -> Invoice:
    """Add a received payment to the invoice (locked for the caller's transaction); once
    nothing is open it is paid (``paid_at``). The caller commits.

    Errors: NOT_FOUND, CURRENCY_MISMATCH, INVALID_AMOUNT (not positive), EXCEEDS_INVOICE (more
    than is open: book the rest as the customer's credit)."""
    invoice = await uow.scalar(select(Invoice).where(Invoice.id == invoice_id).with_for_update())
    if invoice is None:
        raise DomainError.single(BillingErrorCode.NOT_FOUND, "The invoice does not exist.")
    if amount.currency != invoice.currency:
        raise DomainError.single(
            BillingErrorCode.CURRENCY_MISMATCH, f"The invoice is in {invoice.currency}."
        )
    if amount.amount <= 0:
        raise DomainError.single(BillingErrorCode.INVALID_AMOUNT, "A payment is positive.")
    if amount.amount > invoice.open_amount:
        raise DomainError.single(
            BillingErrorCode.EXCEEDS_INVOICE, f"Only {invoice.open_amount} is open."
        )
    invoice.paid_amount += amount.amount
    if invoice.open_amount == 0:
        invoice.paid_at = utcnow()
    uow.record_event(
        "invoice.paid" if invoice.open_amount == 0 else "invoice.payment_recorded",
        invoice.company_id,
        {"invoiceId": invoice.id, "number": invoice.number, "openAmount": invoice.open_amount},
    )
    return invoice  # type: ignore[no-any-return]
