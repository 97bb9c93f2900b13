"""What the payments area needs of invoices: what is open, and recording a payment.

The payments area owns payment records; it calls these inside its own transaction (a
webhook, a bank-statement import, a staff entry) and may subscribe to `InvoiceIssued`
(domain/billing/events.py) to settle an invoice for an order it already holds a payment for.
A refund is `domain.billing.refunds.credit_order_refund` (its credit note)."""

from __future__ import annotations

from sqlalchemy import Select, select

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
    ids = _invoice_ids_of_order(order_id)
    return list(await uow.scalars(select(Invoice).where(Invoice.id.in_(ids)).order_by(Invoice.id)))


async def record_payment_on_invoice(uow: UnitOfWork, invoice_id: int, amount: Money) -> Invoice:
    """Add a received payment to the invoice (locked for the caller's transaction); once
    nothing is open it is paid (``paid_at``). The caller commits.

    Errors: NOT_FOUND, CURRENCY_MISMATCH, INVALID_AMOUNT (not positive), EXCEEDS_INVOICE (more
    than is open: book the rest as the customer's credit)."""
    invoice = await uow.scalar(select(Invoice).where(Invoice.id == invoice_id).with_for_update())
    if invoice is None:
        raise DomainError.single(BillingErrorCode.NOT_FOUND, "The invoice does not exist.")
    _check_amount(invoice, amount)
    if amount.amount > invoice.open_amount:
        raise DomainError.single(
            BillingErrorCode.EXCEEDS_INVOICE, f"Only {invoice.open_amount} is open."
        )
    _add_payment(uow, invoice, amount.amount)
    return invoice  # type: ignore[no-any-return]


async def record_order_payment(uow: UnitOfWork, order_id: int, amount: Money) -> int | None:
    """A payment received for an order, recorded on the order's invoice in the caller's
    transaction (for the payments area: a provider's webhook, a bank-statement match, a staff
    entry). Answers the invoice's id, or None while the order has no invoice (call again when
    `InvoiceIssued` names the order). Records at most what is open, on the order's invoices
    oldest first (the rest stays with the payment, as the customer's credit); an invoice with
    nothing open left is paid (``paid_at``).

    Errors: CURRENCY_MISMATCH, INVALID_AMOUNT (not positive)."""
    invoices = list(
        await uow.scalars(
            select(Invoice)
            .where(Invoice.id.in_(_invoice_ids_of_order(order_id)))
            .order_by(Invoice.id)
            .with_for_update()
        )
    )
    if not invoices:
        return None
    left = amount.amount
    for invoice in invoices:
        _check_amount(invoice, amount)
        take = min(left, invoice.open_amount)
        if take > 0:
            _add_payment(uow, invoice, take)
            left -= take
    return int(invoices[0].id)


def _invoice_ids_of_order(order_id: int) -> Select[int]:
    return select(InvoiceLine.invoice_id).where(InvoiceLine.order_id == order_id)


def _check_amount(invoice: Invoice, amount: Money) -> None:
    if amount.currency != invoice.currency:
        raise DomainError.single(
            BillingErrorCode.CURRENCY_MISMATCH, f"The invoice is in {invoice.currency}."
        )
    if amount.amount <= 0:
        raise DomainError.single(BillingErrorCode.INVALID_AMOUNT, "A payment is positive.")


def _add_payment(uow: UnitOfWork, invoice: Invoice, amount: int) -> None:
    invoice.paid_amount += amount
    if invoice.open_amount == 0 and invoice.paid_at is None:
        invoice.paid_at = utcnow()
    uow.record_event(
        "invoice.paid" if invoice.open_amount == 0 else "invoice.payment_recorded",
        invoice.company_id,
        {"invoiceId": invoice.id, "number": invoice.number, "openAmount": invoice.open_amount},
    )
