"""Payments meet billing's invoices: the `InvoiceLedger` (invoice_link.py) implemented with
billing's services, registered by `subscribe()` in server/domain_wiring.py.

- A payment recorded for an order is recorded on the order's invoice (billing marks it paid
  once nothing is open) and the payment remembers the invoice (`Payment.invoice_id`).
- A payment received before the invoice exists (prepayment, card) is recorded on it when
  billing issues it: a subscriber of billing's `InvoiceIssued`, in the issuing transaction.
- A refund of an order's payment gets its credit note on the order's invoice.

Billing refuses what it cannot book (another currency, more than is left to credit); a
refusal never loses a payment that was received: the payment stays recorded against its
order, unallocated. A refund that billing cannot credit is refused as a whole, before any
money moves at the provider (domain/payments/online.py)."""

from __future__ import annotations

from enum import Enum

from sqlalchemy import select

from domain.billing.errors import BillingErrorCode
from domain.billing.events import InvoiceIssued
from domain.billing.refunds import credit_order_refund
from domain.billing.settlement import record_order_payment
from domain.payments.errors import PaymentErrorCode
from domain.payments.invoice_link import register_invoice_ledger
from domain.payments.models import Payment, Refund
from domain.shared import domain_events
from domain.shared.errors import DomainError
from domain.shared.money import Money
from domain.shared.uow import UnitOfWork

# Billing's refusals of a refund's credit note, as the payments area's error codes.
_REFUND_CODES: dict[Enum, PaymentErrorCode] = {
    BillingErrorCode.CURRENCY_MISMATCH: PaymentErrorCode.CURRENCY_MISMATCH,
    BillingErrorCode.INVALID_AMOUNT: PaymentErrorCode.INVALID_AMOUNT,
    BillingErrorCode.EXCEEDS_INVOICE: PaymentErrorCode.EXCEEDS_INVOICE,
}


def _unrefunded(payment: Payment) -> Money:
    return Money(payment.amount - payment.refunded_amount, payment.currency)


async def _allocate(uow: UnitOfWork, payment: Payment) -> int | None:
    """Record what is left of the payment on its order's invoice; its id, or None."""
    assert payment.order_id is not None
    if payment.amount - payment.refunded_amount <= 0:
        return None
    try:
        return await record_order_payment(uow, payment.order_id, _unrefunded(payment))
    except DomainError:
        return None  # kept against its order; staff settle the invoice by hand


class BillingLedger:
    """The payments area's `InvoiceLedger` on billing's settlement and refund services."""

    async def payment_recorded(self, uow: UnitOfWork, payment: Payment) -> int | None:
        return await _allocate(uow, payment)

    async def refund_issued(self, uow: UnitOfWork, payment: Payment, refund: Refund) -> None:
        if payment.order_id is None:
            return  # a top-up paid back: nothing was invoiced
        try:
            await credit_order_refund(
                uow,
                payment.order_id,
                Money(refund.amount, refund.currency),
                refund.reason or "Refund",
                refund_reference=f"refund:{refund.id}",
            )
        except DomainError as exc:
            detail = exc.details[0]
            code = _REFUND_CODES.get(detail.code, PaymentErrorCode.INVALID)
            raise DomainError.single(code, detail.message, "amount") from None


async def on_invoice_issued(uow: UnitOfWork, event: InvoiceIssued) -> None:
    """Billing issued an invoice: the payments already received for its orders (and not yet
    on an invoice) are recorded on it, oldest first."""
    payments = await uow.scalars(
        select(Payment)
        .where(Payment.order_id.in_(event.order_ids), Payment.invoice_id.is_(None))
        .order_by(Payment.id)
        .with_for_update()
    )
    for payment in payments:
        payment.invoice_id = await _allocate(uow, payment)


def subscribe() -> None:
    """Register the ledger and the invoice subscriber (idempotent)."""
    register_invoice_ledger(BillingLedger())
    domain_events.subscribe(InvoiceIssued, on_invoice_issued)
