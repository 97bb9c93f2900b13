"""Recording money received, exactly once: a payment is identified by its provider and the
provider's reference (a PaymentIntent id, a bank statement line, a staff entry's key), and
inserted with ON CONFLICT DO NOTHING, so a replayed webhook or a re-imported statement finds
the payment already there. A payment for an order waiting for payment releases it once the
order is paid in full."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert

from domain.accounts.viewer import ANONYMOUS, Viewer
from domain.orders.lifecycle import transition
from domain.orders.models import Order
from domain.orders.state import OrderStatus
from domain.payments.invoice_link import allocate_payment
from domain.payments.models import BalanceEntry, Payment
from domain.shared.models import utcnow
from domain.shared.money import Money
from domain.shared.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class PaymentIn:
    company_id: int
    amount: int
    currency: str
    method: str
    provider: str
    provider_reference: str
    order_id: int | None = None  # None: a top-up of the prepaid balance
    reference: str = ""
    staff_user_id: int | None = None
    received_at: dt.datetime | None = None


async def paid_on_order(uow: UnitOfWork, order_id: int) -> int:
    """What was paid for an order, less refunds."""
    total = await uow.scalar(
        select(func.coalesce(func.sum(Payment.amount - Payment.refunded_amount), 0)).where(
            Payment.order_id == order_id
        )
    )
    return int(total)


async def record_payment(
    uow: UnitOfWork, payment_in: PaymentIn, viewer: Viewer = ANONYMOUS
) -> tuple[Payment, bool]:
    """Inside a command: the payment, and whether it is new (False: recorded before)."""
    values = {
        "company_id": payment_in.company_id,
        "order_id": payment_in.order_id,
        "method": payment_in.method,
        "amount": payment_in.amount,
        "refunded_amount": 0,
        "currency": payment_in.currency,
        "provider": payment_in.provider,
        "provider_reference": payment_in.provider_reference,
        "reference": payment_in.reference,
        "recorded_by_staff_id": payment_in.staff_user_id,
        "received_at": payment_in.received_at or utcnow(),
        "created_at": utcnow(),
    }
    new_id = await uow.scalar(
        insert(Payment)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["provider", "provider_reference"])
        .returning(Payment.id)
    )
    if new_id is None:
        existing: Payment = await uow.scalar(
            select(Payment).where(
                Payment.provider == payment_in.provider,
                Payment.provider_reference == payment_in.provider_reference,
            )
        )
        return existing, False
    payment: Payment = await uow.scalar(select(Payment).where(Payment.id == new_id))
    await _after_payment(uow, viewer, payment)
    return payment, True


async def _after_payment(uow: UnitOfWork, viewer: Viewer, payment: Payment) -> None:
    await _record_received(uow, payment)
    if payment.order_id is None:
        uow.session.add(
            BalanceEntry(
                company_id=payment.company_id,
                amount=payment.amount,
                currency=payment.currency,
                kind="TOP_UP",
                payment_id=payment.id,
            )
        )
        balance_changed(uow, payment.company_id)
        return
    await allocate_payment(uow, payment)
    await release_if_paid(uow, viewer, payment.order_id)


async def _record_received(uow: UnitOfWork, payment: Payment) -> None:
    """The `payment.received` event: what the accountChanged subscription, webhooks and the
    "payment received" notification read (the order's number and orderer name what it paid
    and whom to thank; a top-up has neither)."""
    number, orderer_id = None, None
    if payment.order_id is not None:
        row = (
            await uow.session.execute(
                select(Order.number, Order.orderer_id).where(Order.id == payment.order_id)
            )
        ).one()
        number, orderer_id = row.number, row.orderer_id
    uow.record_event(
        "payment.received",
        payment.company_id,
        {
            "paymentId": payment.id,
            "orderId": payment.order_id,
            "number": number,
            "ordererId": orderer_id,
            "amount": payment.amount,
            "currency": payment.currency,
            "amountText": Money(payment.amount, payment.currency).formatted(),
            "method": payment.method,
        },
    )


def balance_changed(uow: UnitOfWork, company_id: int) -> None:
    uow.record_event("balance.changed", company_id, {"companyId": company_id})


async def release_if_paid(uow: UnitOfWork, viewer: Viewer, order_id: int) -> None:
    """An order waiting for its payment is released once paid in full."""
    order: Order | None = await uow.scalar(
        select(Order).where(Order.id == order_id).with_for_update()
    )
    if order is None or order.status is not OrderStatus.AWAITING_PAYMENT:
        return
    if await paid_on_order(uow, order.id) >= order.gross_amount:
        await transition(uow, viewer, order, OrderStatus.RELEASED, "paid", system=True)
