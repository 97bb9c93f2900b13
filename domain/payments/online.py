"""Online payments: the provider's events (webhooks) applied exactly once, and refunds.

Webhooks arrive late, twice, and out of order. Each event is handled once (its id is
remembered in `provider_event_seen`, inserted first, in the same transaction as its effect);
an intent's status never moves backwards (a `processing` event that arrives after
`succeeded` changes nothing); and the payment itself is keyed by the intent id, so even two
distinct `succeeded` events record one payment."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert

from domain.accounts.viewer import ANONYMOUS, Viewer
from domain.payments.credit import require_finance_staff
from domain.payments.errors import PaymentErrorCode
from domain.payments.invoice_link import credit_refund
from domain.payments.models import BalanceEntry, OnlinePayment, Payment, ProviderEventSeen, Refund
from domain.payments.ports import ProviderEvent, ProviderUnavailable, card_gateway
from domain.payments.recording import PaymentIn, balance_changed, record_payment
from domain.shared.errors import DomainError
from domain.shared.uow import UnitOfWork

# How far an intent has come; a later event never moves it back.
_PROGRESS = {
    "requires_payment_method": 0,
    "requires_confirmation": 1,
    "requires_action": 2,
    "processing": 3,
    "requires_capture": 4,
    "succeeded": 5,
    "canceled": 5,
}


def _advances(current: str, new: str) -> bool:
    return _PROGRESS.get(new, -1) > _PROGRESS.get(current, -1)


@dataclass(frozen=True, slots=True)
class EventOutcome:
    duplicate: bool  # seen before: nothing done
    payment_id: int | None = None  # the payment the event recorded (or had recorded)


async def apply_provider_event(
    uow: UnitOfWork, provider: str, event: ProviderEvent
) -> EventOutcome:
    """Apply one verified provider event, once. Events of intents that are not ours are
    remembered and otherwise ignored."""
    async with uow:
        first = await uow.scalar(
            insert(ProviderEventSeen)
            .values(provider=provider, event_id=event.event_id, event_type=event.event_type)
            .on_conflict_do_nothing()
            .returning(ProviderEventSeen.event_id)
        )
        if first is None:
            return EventOutcome(duplicate=True)
        online: OnlinePayment | None = await uow.scalar(
            select(OnlinePayment)
            .where(OnlinePayment.intent_id == event.intent_id)
            .with_for_update()
        )
        payment_id = None
        if online is not None:
            if _advances(online.status, event.intent_status):
                online.status = event.intent_status
            if event.intent_status == "succeeded":
                payment, _ = await record_payment(
                    uow,
                    PaymentIn(
                        company_id=online.company_id,
                        order_id=online.order_id,
                        amount=event.amount_received or event.amount,
                        currency=event.currency,
                        method=online.method,
                        provider=provider,
                        provider_reference=event.intent_id,
                    ),
                    ANONYMOUS,
                )
                payment_id = payment.id
        await uow.commit()
        return EventOutcome(duplicate=False, payment_id=payment_id)


async def online_payment_for_order(uow: UnitOfWork, order_id: int) -> OnlinePayment | None:
    """The order's payment intent (for the storefront's confirmation)."""
    online: OnlinePayment | None = await uow.scalar(
        select(OnlinePayment).where(OnlinePayment.order_id == order_id)
    )
    return online


async def payment_by_id(uow: UnitOfWork, payment_id: int) -> Payment:
    payment: Payment = await uow.scalar(select(Payment).where(Payment.id == payment_id))
    return payment


async def payment_refund(
    uow: UnitOfWork, viewer: Viewer, payment_id: int, amount: int | None, reason: str
) -> Refund:
    """Requires staff role ADMIN, ACCOUNTING or SALES. Refund a payment in full (no amount) or
    in part: through the provider for online payments, to the prepaid balance for payments
    from it, and as a record of money paid back otherwise."""
    require_finance_staff(viewer)
    async with uow:
        payment: Payment | None = await uow.scalar(
            select(Payment).where(Payment.id == payment_id).with_for_update()
        )
        if payment is None:
            raise DomainError.single(PaymentErrorCode.NOT_FOUND, "Payment not found.", "id")
        remaining = payment.amount - payment.refunded_amount
        amount = remaining if amount is None else amount
        if amount <= 0:
            raise DomainError.single(
                PaymentErrorCode.INVALID_AMOUNT, "A refund is more than 0.", "amount"
            )
        if amount > remaining:
            raise DomainError.single(
                PaymentErrorCode.REFUND_EXCEEDS_PAYMENT,
                f"At most {remaining / 100:.2f} {payment.currency} is left to refund.",
                "amount",
            )
        if payment.order_id is None:  # a top-up paid back leaves the prepaid balance
            uow.session.add(
                BalanceEntry(
                    company_id=payment.company_id,
                    amount=-amount,
                    currency=payment.currency,
                    kind="REFUND",
                    payment_id=payment.id,
                )
            )
            balance_changed(uow, payment.company_id)
        refund = Refund(
            payment_id=payment.id,
            company_id=payment.company_id,
            amount=amount,
            currency=payment.currency,
            reason=reason.strip(),
            staff_user_id=viewer.user_id,
        )
        uow.session.add(refund)
        await uow.session.flush()
        # The credit note first: a refund that billing refuses moves no money at the provider.
        await credit_refund(uow, payment, refund)
        refund.provider_reference = await _refund_at_provider(uow, payment, amount)
        payment.refunded_amount += amount
        uow.record_event(
            "payment.refunded",
            payment.company_id,
            {"paymentId": payment.id, "refundId": refund.id, "amount": amount},
        )
        await uow.commit()
        return refund


async def _refund_at_provider(uow: UnitOfWork, payment: Payment, amount: int) -> str | None:
    gateway = card_gateway()
    if gateway is not None and payment.provider == gateway.provider:
        try:
            created = await gateway.refund(
                payment.provider_reference,
                amount,
                idempotency_key=f"pressroom-refund-{payment.id}-{payment.refunded_amount}-{amount}",
            )
        except ProviderUnavailable as exc:
            raise DomainError.single(
                PaymentErrorCode.PROVIDER_ERROR, f"The provider refused the refund: {exc}", "id"
            ) from None
        return created.refund_id
    if payment.provider == "balance":
        uow.session.add(
            BalanceEntry(
                company_id=payment.company_id,
                amount=amount,
                currency=payment.currency,
                kind="REFUND",
                order_id=payment.order_id,
                payment_id=payment.id,
            )
        )
        balance_changed(uow, payment.company_id)
        return None
    if payment.provider not in ("bank", "staff"):
        raise DomainError.single(
            PaymentErrorCode.NOT_REFUNDABLE,
            f"Payments through {payment.provider} cannot be refunded here now.",
            "id",
        )
    return None  # paid back by bank transfer by the shop; recorded here
