"""Delivery dates as the API shows them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import strawberry
from graphql import GraphQLError

from domain.catalog.models import Channel
from domain.fulfilment.cart_shipping import configuration_shipping_options
from domain.fulfilment.turnaround import DeliveryQuote, delivery_quotes
from domain.shared.models import utcnow
from schema.context import Info
from schema.fulfilment.shipping import ShippingOption
from schema.pricing.types import Price

MAX_TRANSIT_DAYS = 60


@strawberry.type(description="A turnaround option of a product with its price and promised dates.")
class DeliveryOption:
    turnaround: str = strawberry.field(description="The option's key, e.g. `standard`, `express`.")
    label: str
    production_days: int = strawberry.field(description="Working days of production.")
    price: Price = strawberry.field(description="The configuration's price with this option.")
    dispatch_date: dt.date = strawberry.field(description="Promised dispatch (or pickup) day.")
    delivery_date: dt.date = strawberry.field(
        description="Promised delivery day, after the transit days (working days)."
    )

    @classmethod
    def of(cls, q: DeliveryQuote) -> DeliveryOption:
        p = q.promise
        return cls(
            turnaround=p.option.code,
            label=p.option.label,
            production_days=p.option.production_days,
            price=Price.of(q.price),
            dispatch_date=p.dispatch_on,
            delivery_date=p.delivery_on,
        )


@dataclass(frozen=True, slots=True)
class QuoteRequest:
    """What a price quote was asked for, kept to answer its delivery options."""

    channel: Channel
    product_id: int
    version_id: int
    values: Mapping[str, Any]
    quantity: int
    company_id: int | None


async def delivery_options(
    info: Info, request: QuoteRequest, transit_days: int, ordered_at: dt.datetime | None
) -> list[DeliveryOption]:
    if not 0 <= transit_days <= MAX_TRANSIT_DAYS:
        raise GraphQLError(
            f"transitDays must be 0 to {MAX_TRANSIT_DAYS}.", extensions={"code": "BAD_USER_INPUT"}
        )
    ctx = info.context
    quotes = await delivery_quotes(
        ctx.uow,
        ctx.viewer,
        request.channel,
        request.product_id,
        request.values,
        request.quantity,
        calendar=ctx.services.calendar,
        catalogue=ctx.services.turnarounds,
        ordered_at=ordered_at or utcnow(),
        transit_days=transit_days,
        version_id=request.version_id,
        company_id=request.company_id,
    )
    return [DeliveryOption.of(q) for q in quotes]


async def quote_shipping_options(
    info: Info, request: QuoteRequest, country: str, ordered_at: dt.datetime | None
) -> list[ShippingOption]:
    ctx = info.context
    quotes = await configuration_shipping_options(
        ctx.uow,
        ctx.viewer,
        request.channel.id,
        request.product_id,
        request.values,
        request.quantity,
        country,
        ordered_at=ordered_at,
    )
    return [ShippingOption.of(q) for q in quotes]
