from __future__ import annotations

import datetime as dt
from enum import Enum

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from schema.orders.types import OrderKind, OrderStatus


@strawberry.input(description="Add a configuration (or a saved laser part) to the cart.")
class CartLineAddInput:
    quantity: int
    configuration_id: relay.GlobalID | None = None
    part_id: relay.GlobalID | None = None
    channel: str | None = strawberry.field(default=None, description="For parts: channel code.")
    remarks: str = ""
    personalisation: JSON | None = strawberry.field(
        default=None, description="Per-line data for production, e.g. names on business cards."
    )


@strawberry.input
class CartLineUpdateInput:
    id: relay.GlobalID
    quantity: int | None = None
    remarks: str | None = None
    personalisation: JSON | None = None


@strawberry.input
class DeliveryAddressInput:
    name: str
    street: str
    postal_code: str
    city: str
    country: str


@strawberry.input(description="A price token to honour for one cart line.")
class CartLinePriceTokenInput:
    cart_line_id: relay.GlobalID
    price_token: str


@strawberry.input(description="Check out the cart (or some of its lines).")
class OrderPlaceInput:
    idempotency_key: str = strawberry.field(
        description="Unique per intended order: sending the same key again returns the same order."
    )
    customer_reference: str = ""
    desired_delivery_date: dt.date | None = None
    delivery_address: DeliveryAddressInput | None = strawberry.field(
        default=None,
        description="Where to deliver; the company's default shipping address if omitted.",
    )
    payment_method: str = strawberry.field(default="ON_ACCOUNT", description="ON_ACCOUNT for now.")
    remarks: str = ""
    cart_line_ids: list[relay.GlobalID] | None = strawberry.field(
        default=None, description="Only these lines; the whole cart when omitted."
    )
    price_tokens: list[CartLinePriceTokenInput] = strawberry.field(default_factory=list)
    accept_price_changes: bool = strawberry.field(
        default=False, description="Order at the current prices even if they changed."
    )
    shipping_method_id: relay.GlobalID | None = strawberry.field(
        default=None,
        description="The channel's shipping method (see `shippingOptions`): its cost for the "
        "goods becomes a shipping line with VAT, its transit days count in the promised date.",
    )


@strawberry.input
class OrderFilter:
    statuses: list[OrderStatus] | None = None
    kinds: list[OrderKind] | None = strawberry.field(
        default=None, description="Web orders, staff-entered orders, stock call-offs."
    )
    search: str | None = strawberry.field(
        default=None, description="Order number or customer reference."
    )
    mine_only: bool = False


@strawberry.enum(description="How to sort orders.")
class OrderSort(Enum):
    NEWEST = "NEWEST"
    OLDEST = "OLDEST"
    DESIRED_DATE = "DESIRED_DATE"
    NUMBER = "NUMBER"
