"""The one place where payments meet invoices.

A payment is recorded against an ORDER (or, for a top-up, the company's prepaid balance).
Billing (domain/billing/) owns invoices and credit notes; the `InvoiceLedger` registered here
(domain/payments/billing_ledger.py, on billing's services, from server/domain_wiring.py)
records every payment for an order on that order's invoice (`Payment.invoice_id`) and gives
every refund its credit note. Without a ledger (unit tests of payments alone), payments stand
against their orders only.
"""

from __future__ import annotations

from typing import Protocol

from domain.payments.models import Payment, Refund
from domain.shared.uow import UnitOfWork


class InvoiceLedger(Protocol):
    """What billing does when payments move (implemented by the billing area)."""

    async def payment_recorded(self, uow: UnitOfWork, payment: Payment) -> int | None:
        """Record the payment on the invoice of `payment.order_id`; answer the invoice id
        (None while the order has no invoice: billing allocates it when it issues one)."""
        ...

    async def refund_issued(self, uow: UnitOfWork, payment: Payment, refund: Refund) -> None:
        """Issue the credit note for a refund of a payment."""
        ...


_LEDGER: list[InvoiceLedger] = []


def register_invoice_ledger(ledger: InvoiceLedger | None) -> None:
    _LEDGER.clear()
    if ledger is not None:
        _LEDGER.append(ledger)


async def allocate_payment(uow: UnitOfWork, payment: Payment) -> None:
    """Inside the recording command: allocate an order's payment to its invoice, if billing
    is wired in."""
    if _LEDGER and payment.order_id is not None:
        payment.invoice_id = await _LEDGER[0].payment_recorded(uow, payment)


async def credit_refund(uow: UnitOfWork, payment: Payment, refund: Refund) -> None:
    """Inside the refund command: the credit note for the refund, if billing is wired in."""
    if _LEDGER:
        await _LEDGER[0].refund_issued(uow, payment, refund)
