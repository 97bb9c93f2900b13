"""The shipping options of a portal user's cart to an address: what the checkout would
charge for each method (the same `shipping_quote` the shipping line is priced with)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from domain.accounts.viewer import Viewer
from domain.fulfilment.shipping import ShippingQuote, shipping_options
from domain.orders.cart import cart_lines, price_cart_line
from domain.orders.delivery import delivery_address
from domain.pricing.lines import LineKind, LineRequest, price_line
from domain.shared.uow import UnitOfWork


async def cart_shipping_options(
    uow: UnitOfWork,
    viewer: Viewer,
    *,
    country: str | None = None,
    address_id: int | None = None,
    ordered_at: dt.datetime | None = None,
) -> list[ShippingQuote]:
    """Requires a portal user (others have no cart: no options). The methods of the cart's
    channel that deliver its orderable lines to ``country`` (else the company's address
    ``address_id``, else its default shipping address), with cost and promised dates."""
    if not viewer.is_portal or viewer.company_id is None:
        return []
    lines = list(await cart_lines(uow, viewer))
    if not lines:
        return []
    if country is None:
        address = await delivery_address(uow, viewer.company_id, None, address_id)
        country = str(address.get("country", ""))
    priced = [await price_cart_line(uow, viewer, line) for line in lines]
    goods = [p for p in priced if p.orderable]
    return await shipping_options(
        uow, viewer, lines[0].channel_id, goods, country.upper(), ordered_at=ordered_at
    )


async def configuration_shipping_options(
    uow: UnitOfWork,
    viewer: Viewer,
    channel_id: int,
    product_id: int,
    values: Mapping[str, Any],
    quantity: int,
    country: str,
    *,
    ordered_at: dt.datetime | None = None,
) -> list[ShippingQuote]:
    """The shipping options of one configuration of a product (a price quote): the same
    quotes checkout would give a cart holding only it."""
    priced = await price_line(
        uow, viewer, LineRequest(LineKind.PRODUCT, channel_id, product_id, quantity, values)
    )
    if not priced.orderable:
        return []
    return await shipping_options(
        uow, viewer, channel_id, [priced], country.upper(), ordered_at=ordered_at
    )
