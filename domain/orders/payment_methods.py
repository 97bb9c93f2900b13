"""The payment seam: how an order is paid, whatever the method.

`orders` knows payment methods only through this module, the way Vendure lets a
`PaymentMethodHandler` decide how a payment is taken. The payments area provides one
`OrderPaymentMethod` per method code (on account, bank transfer, card, prepaid balance) and
the server registers them at start-up (`server/domain_wiring.py`). Checkout asks the method
whether it is offered to the viewer in the channel (`offered`) and, once the order and its
totals exist, what becomes of the order (`on_place`): released at once, waiting for its
payment, or turned into a proposal that staff decide (with a typed reason).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from domain.accounts.viewer import Viewer
from domain.orders.models import Order
from domain.orders.state import OrderStatus
from domain.shared.uow import UnitOfWork

DEFAULT_METHOD = "ON_ACCOUNT"


@dataclass(frozen=True, slots=True)
class PaymentDecision:
    """What the payment method made of a newly placed binding order."""

    status: OrderStatus  # RELEASED, AWAITING_PAYMENT or PENDING_APPROVAL
    reason: str = "placed"  # the first history entry's reason
    staff_review_reason: str | None = None  # a typed code when staff must decide


class OrderPaymentMethod(Protocol):
    """One way of paying an order. Implemented by the payments area."""

    code: str

    async def offered(self, uow: UnitOfWork, viewer: Viewer, channel_id: int | None) -> bool:
        """Whether this viewer may choose the method in this channel (per channel and the
        company's customer group)."""
        ...

    async def on_place(self, uow: UnitOfWork, viewer: Viewer, order: Order) -> PaymentDecision:
        """Inside the placing command, after the order and its totals were added and before
        it is recorded as placed: take or prepare the payment and decide the order's status.
        Raise DomainError (OrderErrorCode.PAYMENT_REFUSED) to refuse the order."""
        ...


async def decide_payment(
    uow: UnitOfWork, viewer: Viewer, order: Order, method: OrderPaymentMethod
) -> PaymentDecision:
    """Inside a placing command, for a binding order whose lines and totals exist: let the
    method take or prepare the payment, and give the order the status it decided."""
    decision = await method.on_place(uow, viewer, order)
    order.status = decision.status
    order.staff_review_reason = decision.staff_review_reason
    return decision


_METHODS: dict[str, OrderPaymentMethod] = {}


def register_payment_method(method: OrderPaymentMethod) -> None:
    """Register (or replace) the method for `method.code`."""
    _METHODS[method.code] = method


def payment_method(code: str) -> OrderPaymentMethod | None:
    """The registered method for a code, or None."""
    return _METHODS.get(code)


def payment_method_codes() -> list[str]:
    return sorted(_METHODS)


class _OnAccountOnly:
    """Used until the payments area registers its methods (e.g. a unit test of checkout):
    payment on account, released at once."""

    code = DEFAULT_METHOD

    async def offered(self, uow: UnitOfWork, viewer: Viewer, channel_id: int | None) -> bool:
        return True

    async def on_place(self, uow: UnitOfWork, viewer: Viewer, order: Order) -> PaymentDecision:
        return PaymentDecision(OrderStatus.RELEASED)


def method_or_default(code: str) -> OrderPaymentMethod | None:
    """The method to use for a code: the registered one; on account when none is registered."""
    method = _METHODS.get(code)
    if method is None and code == DEFAULT_METHOD and not _METHODS:
        return _OnAccountOnly()
    return method
