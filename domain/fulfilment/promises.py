"""The promise stored on an order: when it leaves the shop and when it arrives.

Computed when the order is placed, and again when a proposal is approved or a prepaid order
is paid (production counts from the release), from its lines' turnaround options and its
shipping line's transit days, with the shop's calendar (domain/fulfilment/terms.py).
Subscribed before production, so the jobs made on release carry the promised dispatch date as
their due date."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select

from domain.fulfilment.rates import order_promise
from domain.fulfilment.terms import shop_terms
from domain.orders.models import Order, OrderLine
from domain.orders.signals import OrderStatusChanged
from domain.orders.state import OrderStatus
from domain.pricing.lines import CHARGE_KINDS, LineKind
from domain.shared import domain_events
from domain.shared.models import utcnow
from domain.shared.uow import UnitOfWork


def transit_days_of(lines: Sequence[OrderLine]) -> int:
    """The transit days of the order's shipping line (0 without one: collected or unknown)."""
    for line in lines:
        if line.kind == LineKind.SHIPPING.value:
            shipping = line.specification.get("shipping")
            if isinstance(shipping, Mapping):
                return int(shipping.get("transitDays", 0))
    return 0


def _values(line: OrderLine) -> Mapping[str, Any]:
    values = line.specification.get("values")
    return values if isinstance(values, Mapping) else {}


async def promise_order(uow: UnitOfWork, order: Order) -> None:
    """Store the promised dispatch and delivery dates of an order counting from now."""
    lines = list(await uow.scalars(select(OrderLine).where(OrderLine.order_id == order.id)))
    goods = [line for line in lines if line.kind not in CHARGE_KINDS]
    promised = order_promise(
        utcnow(), [_values(line) for line in goods], transit_days_of(lines), shop_terms()
    )
    order.promised_dispatch_on = promised.dispatch_on
    order.promised_delivery_on = promised.delivery_on


# Statuses an order waits in before its release: the promise counts again from the release.
WAITING = frozenset({OrderStatus.PENDING_APPROVAL, OrderStatus.AWAITING_PAYMENT})


async def on_order_status(uow: UnitOfWork, event: OrderStatusChanged) -> None:
    placed = event.previous is None
    waited = event.previous in WAITING and event.released
    if placed or waited:
        await promise_order(uow, event.order)


def subscribe() -> None:
    """Register the promise (idempotent); before production's subscriber."""
    domain_events.subscribe(OrderStatusChanged, on_order_status)
