"""The payment methods, as strategies of the orders' payment seam
(domain/orders/payment_methods.py), registered by `register()` in server/domain_wiring.py:

- ON_ACCOUNT: released at once, unless the order would take the company past its credit limit:
  then it becomes a proposal that staff decide (CREDIT_LIMIT_EXCEEDED).
- BANK_TRANSFER: prepayment; the order waits for its payment (reference: the order number).
- CARD, IDEAL, SEPA_DEBIT: a provider payment intent (Stripe); the order waits for the
  provider's event that the payment succeeded (domain/payments/online.py).
- PREPAID_BALANCE: paid at once from the company's prepaid balance, or refused.

A method is offered where a `PaymentMethodOffer` names it for the channel and the company's
customer group; payment on account is offered everywhere while no offer names it.
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import select

from domain.accounts.models import Company
from domain.accounts.viewer import Viewer
from domain.orders.errors import OrderErrorCode
from domain.orders.models import Order
from domain.orders.payment_methods import PaymentDecision, register_payment_method
from domain.orders.policies import places_binding
from domain.orders.state import OrderStatus
from domain.payments.balance import lock_balance, prepaid_balance
from domain.payments.credit import credit_exceeded
from domain.payments.models import BalanceEntry, OnlinePayment, PaymentMethodOffer
from domain.payments.ports import ProviderUnavailable, card_gateway
from domain.payments.recording import PaymentIn, balance_changed, record_payment
from domain.shared.errors import DomainError
from domain.shared.uow import UnitOfWork


class PaymentMethodCode(StrEnum):
    ON_ACCOUNT = "ON_ACCOUNT"
    BANK_TRANSFER = "BANK_TRANSFER"
    CARD = "CARD"
    IDEAL = "IDEAL"
    SEPA_DEBIT = "SEPA_DEBIT"
    PREPAID_BALANCE = "PREPAID_BALANCE"


class StaffReviewReason(StrEnum):
    """Why an order became a proposal for staff (Order.staff_review_reason)."""

    CREDIT_LIMIT_EXCEEDED = "CREDIT_LIMIT_EXCEEDED"


# The provider's name of each online method.
PROVIDER_METHOD_TYPES = {
    PaymentMethodCode.CARD: "card",
    PaymentMethodCode.IDEAL: "ideal",
    PaymentMethodCode.SEPA_DEBIT: "sepa_debit",
}


async def is_offered(uow: UnitOfWork, viewer: Viewer, method: str, channel_id: int | None) -> bool:
    """Whether an offer names the method for this channel and the viewer's customer group;
    payment on account is offered everywhere while no offer names it."""
    rows = list(
        await uow.rows(
            select(PaymentMethodOffer.channel_id, PaymentMethodOffer.customer_group_id).where(
                PaymentMethodOffer.method == method
            )
        )
    )
    if not rows:
        return method == PaymentMethodCode.ON_ACCOUNT
    group_id = await uow.scalar(
        select(Company.customer_group_id).where(Company.id == viewer.company_id)
    )
    return any(ch in (None, channel_id) and grp in (None, group_id) for ch, grp in rows)


class _Method:
    code: str

    async def offered(self, uow: UnitOfWork, viewer: Viewer, channel_id: int | None) -> bool:
        return await is_offered(uow, viewer, self.code, channel_id)


class OnAccount(_Method):
    code = PaymentMethodCode.ON_ACCOUNT.value

    async def on_place(self, uow: UnitOfWork, viewer: Viewer, order: Order) -> PaymentDecision:
        if await credit_exceeded(uow, order):
            return PaymentDecision(
                OrderStatus.PENDING_APPROVAL,
                "credit limit exceeded: the shop decides",
                StaffReviewReason.CREDIT_LIMIT_EXCEEDED.value,
            )
        return PaymentDecision(OrderStatus.RELEASED)


class BankTransfer(_Method):
    code = PaymentMethodCode.BANK_TRANSFER.value

    async def on_place(self, uow: UnitOfWork, viewer: Viewer, order: Order) -> PaymentDecision:
        return PaymentDecision(
            OrderStatus.AWAITING_PAYMENT, f"awaiting bank transfer with reference {order.number}"
        )


class OnlineMethod(_Method):
    """Card, iDEAL, SEPA Direct Debit: a provider payment intent per order."""

    def __init__(self, code: PaymentMethodCode) -> None:
        self.code = code.value
        self.provider_type = PROVIDER_METHOD_TYPES[code]

    async def offered(self, uow: UnitOfWork, viewer: Viewer, channel_id: int | None) -> bool:
        # Paying online is for binding orders (a proposal is paid by whoever approves it).
        return (
            card_gateway() is not None
            and places_binding(viewer)
            and await super().offered(uow, viewer, channel_id)
        )

    async def on_place(self, uow: UnitOfWork, viewer: Viewer, order: Order) -> PaymentDecision:
        gateway = card_gateway()
        assert gateway is not None
        try:
            intent = await gateway.create_intent(
                order.gross_amount,
                order.currency,
                [self.provider_type],
                {"order_number": order.number, "company_id": str(order.company_id)},
                idempotency_key=f"pressroom-order-{order.number}",
            )
        except ProviderUnavailable as exc:
            raise DomainError.single(
                OrderErrorCode.PAYMENT_REFUSED,
                f"The payment provider is not available ({exc}); try again or pay otherwise.",
                "paymentMethod",
            ) from None
        uow.session.add(
            OnlinePayment(
                company_id=order.company_id,
                order_id=order.id,
                purpose="ORDER",
                provider=gateway.provider,
                intent_id=intent.intent_id,
                client_secret=intent.client_secret,
                method=self.code,
                amount=order.gross_amount,
                currency=order.currency,
                status=intent.status,
            )
        )
        return PaymentDecision(OrderStatus.AWAITING_PAYMENT, "awaiting online payment")


class PrepaidBalance(_Method):
    code = PaymentMethodCode.PREPAID_BALANCE.value

    async def offered(self, uow: UnitOfWork, viewer: Viewer, channel_id: int | None) -> bool:
        return places_binding(viewer) and await super().offered(uow, viewer, channel_id)

    async def on_place(self, uow: UnitOfWork, viewer: Viewer, order: Order) -> PaymentDecision:
        await lock_balance(uow, order.company_id)
        available = await prepaid_balance(uow, order.company_id)
        if available < order.gross_amount:
            raise DomainError.single(
                OrderErrorCode.PAYMENT_REFUSED,
                f"The prepaid balance ({available / 100:.2f} {order.currency}) does not cover "
                f"this order ({order.gross_amount / 100:.2f}); top it up or pay otherwise.",
                "paymentMethod",
            )
        payment, _ = await record_payment(
            uow,
            PaymentIn(
                company_id=order.company_id,
                order_id=order.id,
                amount=order.gross_amount,
                currency=order.currency,
                method=self.code,
                provider="balance",
                provider_reference=f"order-{order.id}",
                reference=order.number,
            ),
            viewer,
        )
        uow.session.add(
            BalanceEntry(
                company_id=order.company_id,
                amount=-order.gross_amount,
                currency=order.currency,
                kind="ORDER",
                order_id=order.id,
                payment_id=payment.id,
            )
        )
        balance_changed(uow, order.company_id)
        return PaymentDecision(OrderStatus.RELEASED, "paid from the prepaid balance")


def register() -> None:
    """Register every payment method with the orders' payment seam (idempotent)."""
    register_payment_method(OnAccount())
    register_payment_method(BankTransfer())
    for code in PROVIDER_METHOD_TYPES:
        register_payment_method(OnlineMethod(code))
    register_payment_method(PrepaidBalance())


__all__ = ["PaymentMethodCode", "StaffReviewReason", "register"]
