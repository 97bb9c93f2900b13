"""Shipping methods and the shipping options of the cart."""

from __future__ import annotations

import datetime as dt

import strawberry

from domain.catalog.services import channel_for
from domain.fulfilment.cart_shipping import cart_shipping_options
from domain.fulfilment.shipping import channel_methods
from domain.shared.errors import DomainError
from schema.context import Info
from schema.fulfilment.shipping import ShippingMethod, ShippingOption


@strawberry.type
class FulfilmentQuery:
    @strawberry.field(
        description="The shipping methods of a channel (the first when omitted): the active "
        "ones, and for staff the inactive ones too; empty for a channel that does not exist."
    )
    async def shipping_methods(
        self, info: Info, channel: str | None = None
    ) -> list[ShippingMethod]:
        ctx = info.context
        try:
            found = await channel_for(ctx.uow, ctx.viewer, channel)
        except DomainError:  # a channel that does not exist (or is hidden) sells nothing
            return []
        rows = await channel_methods(ctx.uow, found.id, active_only=not ctx.viewer.is_staff)
        return [ShippingMethod.from_model(m, found.currency) for m in rows]

    @strawberry.field(
        description="The shipping methods that deliver the logged-in portal user's cart to "
        "`country` (an ISO code; else to the company's default shipping address), each with "
        "its cost and the promised dispatch and delivery dates of an order placed at "
        "`orderedAt` (default: now); checkout charges exactly this. Empty without a cart."
    )
    async def shipping_options(
        self,
        info: Info,
        country: str | None = None,
        ordered_at: dt.datetime | None = None,
    ) -> list[ShippingOption]:
        ctx = info.context
        try:
            quotes = await cart_shipping_options(
                ctx.uow, ctx.viewer, country=country, ordered_at=ordered_at
            )
        except DomainError:  # no address to ship to: nothing to offer yet
            return []
        return [ShippingOption.of(q) for q in quotes]
