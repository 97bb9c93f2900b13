"""Inputs and payloads of shipping methods and shipments."""

from __future__ import annotations

import strawberry
from strawberry import relay

from schema.fulfilment.shipping import (
    FulfilmentError,
    Shipment,
    ShipmentStatus,
    ShippingKind,
    ShippingMethod,
)


@strawberry.input(description="A price of a method for a zone, up to a weight.")
class ShippingRateInput:
    zone: str = strawberry.field(description="A name for the group of countries, e.g. `EU`.")
    net: int = strawberry.field(description="Net price in minor units.")
    countries: list[str] = strawberry.field(
        default_factory=list, description="ISO country codes; empty: every country."
    )
    up_to_weight_g: int | None = strawberry.field(default=None, description="Null: any weight.")


@strawberry.input
class ShippingMethodInput:
    code: str
    name: str
    kind: ShippingKind
    rates: list[ShippingRateInput]
    carrier: str = strawberry.field(default="builtin", description="builtin or sendcloud.")
    carrier_service: str = strawberry.field(
        default="", description="The carrier's service, e.g. a Sendcloud shipping method id."
    )
    transit_days: int = 0
    free_above_net: int | None = strawberry.field(
        default=None, description="Goods worth this much (net, minor units) ship free."
    )
    tracking_url_template: str = strawberry.field(
        default="", description="A tracking page URL with `{tracking}` for the number."
    )
    position: int = 0
    is_active: bool = True


@strawberry.input(description="A quantity of the order line at `position`.")
class ShipmentLineInput:
    position: int
    quantity: int


@strawberry.input
class ShipmentCreateInput:
    order_id: relay.GlobalID
    lines: list[ShipmentLineInput] = strawberry.field(
        default_factory=list, description="Empty: everything not shipped yet."
    )
    parcel_weights_g: list[int | None] = strawberry.field(
        default_factory=lambda: [None],
        description="One entry per parcel: its weight in grams, or null for its share of the "
        "goods' computed weight.",
    )
    carrier: str | None = strawberry.field(
        default=None, description="Default: the carrier of the order's shipping method."
    )
    tracking_number: str = ""


@strawberry.type
class ShippingMethodPayload:
    shipping_method: ShippingMethod | None = None
    errors: list[FulfilmentError]


@strawberry.type
class ShipmentPayload:
    shipment: Shipment | None = None
    errors: list[FulfilmentError]


__all__ = ["ShipmentStatus"]
