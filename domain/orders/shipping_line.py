"""The chosen shipping method as an order line, priced through the line-pricing seam
(fulfilment's `ShippingLinePricing`): one function for checkout and the cart's totals, so the
shipping a cart shows is the shipping the order is charged."""

from __future__ import annotations

from collections.abc import Sequence

from domain.accounts.viewer import Viewer
from domain.orders.errors import OrderErrorCode
from domain.orders.placing import LineToPlace
from domain.pricing.lines import LineKind, LineRequest, price_line
from domain.shared.errors import DomainError
from domain.shared.uow import UnitOfWork


async def shipping_line(
    uow: UnitOfWork,
    viewer: Viewer,
    channel_id: int | None,
    method_id: int,
    country: str,
    goods: Sequence[LineToPlace],
) -> LineToPlace:
    """The method's line for these goods (their weight, and the net actually charged for the
    free-shipping threshold) to ``country``. Raises DomainError SHIPPING_UNAVAILABLE (field
    ``shippingMethodId``) when the method does not deliver them there."""
    request = LineRequest(
        LineKind.SHIPPING,
        channel_id,
        None,
        1,
        {"country": country, "goodsNet": sum(line.net for line in goods)},
        method_id,
        basket=tuple(line.priced for line in goods),
    )
    priced = await price_line(uow, viewer, request)
    if not priced.orderable or priced.result is None or priced.result.net is None:
        reason = priced.problems[0].message if priced.problems else "No such shipping method."
        raise DomainError.single(OrderErrorCode.SHIPPING_UNAVAILABLE, reason, "shippingMethodId")
    return LineToPlace(priced, priced.result.net.amount)
