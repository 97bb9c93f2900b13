"""Shipping methods, shipping options at checkout, and shipments as the API shows them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TypeAlias

import strawberry
from strawberry import relay

from domain.fulfilment import models as fm
from domain.fulfilment.errors import FulfilmentErrorCode as _FulfilmentErrorCode
from domain.fulfilment.shipping import ShippingQuote
from schema.accounts.types import _resolve_by_loader
from schema.context import Info
from schema.core import UserError
from schema.pricing.types import Money

ShippingKind: TypeAlias = fm.ShippingKind
strawberry.enum(ShippingKind, description="Pickup at the shop, own delivery or a carrier.")
ShipmentStatus: TypeAlias = fm.ShipmentStatus
strawberry.enum(ShipmentStatus, description="Where a shipment stands.")
FulfilmentErrorCode: TypeAlias = _FulfilmentErrorCode
strawberry.enum(FulfilmentErrorCode, description="Why a shipping or shipment mutation failed.")


@strawberry.type(description="A failure of a shipping or shipment mutation.")
class FulfilmentError(UserError):
    code: FulfilmentErrorCode


@strawberry.type(description="One price of a shipping method: a zone up to a weight.")
class ShippingRate:
    zone: str
    countries: list[str] = strawberry.field(description="ISO codes; empty: every country.")
    up_to_weight_g: int | None = strawberry.field(description="Grams; null: any weight.")
    net: Money


@strawberry.type(description="How a channel's customers may receive their goods.")
class ShippingMethod(relay.Node):
    id: relay.NodeID[int]
    code: str
    name: str
    kind: ShippingKind
    carrier: str = strawberry.field(description="The carrier adapter, e.g. builtin, sendcloud.")
    carrier_service: str
    transit_days: int = strawberry.field(description="Working days from dispatch to delivery.")
    is_active: bool
    position: int
    tracking_url_template: str
    _model: strawberry.Private[fm.ShippingMethod]
    _currency: strawberry.Private[str] = "EUR"

    @classmethod
    def from_model(cls, m: fm.ShippingMethod, currency: str = "EUR") -> ShippingMethod:
        return cls(
            id=m.id,
            code=m.code,
            name=m.name,
            kind=m.kind,
            carrier=m.carrier,
            carrier_service=m.carrier_service,
            transit_days=m.transit_days,
            is_active=m.is_active,
            position=m.position,
            tracking_url_template=m.tracking_url_template,
            _model=m,
            _currency=currency,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[ShippingMethod | None]:
        return await _resolve_by_loader(cls, info, node_ids, "shipping_method", required)

    @strawberry.field(description="Goods worth at least this (net) ship free; null: never.")
    def free_above_net(self) -> Money | None:
        amount = self._model.free_above_net
        return None if amount is None else Money(amount=amount, currency=self._currency)

    @strawberry.field(description="The rates, in the order they are tried.")
    async def rates(self, info: Info) -> list[ShippingRate]:
        rows = await info.context.loaders.rates_by_method.load(self._model.id)
        return [
            ShippingRate(
                zone=r.zone,
                countries=list(r.countries),
                up_to_weight_g=r.up_to_weight_g,
                net=Money(amount=r.net_amount, currency=self._currency),
            )
            for r in rows
        ]


@strawberry.type(description="A shipping method for these goods to this address.")
class ShippingOption:
    method: ShippingMethod
    weight_g: int = strawberry.field(description="The goods' weight in grams.")
    net: Money
    vat: Money
    gross: Money
    free: bool = strawberry.field(description="Free because the goods reach the threshold.")
    dispatch_date: dt.date = strawberry.field(description="Promised dispatch (or pickup) day.")
    delivery_date: dt.date = strawberry.field(description="Promised delivery day.")

    @classmethod
    def of(cls, q: ShippingQuote) -> ShippingOption:
        return cls(
            method=ShippingMethod.from_model(q.method, q.net.currency),
            weight_g=q.weight_g,
            net=Money(amount=q.net.amount, currency=q.net.currency),
            vat=Money(amount=q.vat.amount, currency=q.vat.currency),
            gross=Money(amount=q.gross.amount, currency=q.gross.currency),
            free=q.free,
            dispatch_date=q.promise.dispatch_on,
            delivery_date=q.promise.delivery_on,
        )


@strawberry.type(description="One parcel of a shipment.")
class Parcel:
    position: int = strawberry.field(description="Parcel n of the shipment's parcels.")
    weight_g: int
    tracking_number: str
    tracking_url: str
    status: ShipmentStatus = strawberry.field(description="As the carrier last reported it.")


@strawberry.type(description="A quantity of an order line in a shipment.")
class ShipmentLine:
    position: int = strawberry.field(description="The order line's position.")
    title: str
    quantity: int


@strawberry.type(description="Goods of an order on their way, in one or more parcels.")
class Shipment(relay.Node):
    id: relay.NodeID[int]
    number: str
    status: ShipmentStatus
    carrier: str
    tracking_number: str
    tracking_url: str = strawberry.field(description="The carrier's tracking page, if any.")
    created_at: dt.datetime
    updated_at: dt.datetime
    _model: strawberry.Private[fm.Shipment]

    @classmethod
    def from_model(cls, s: fm.Shipment) -> Shipment:
        return cls(
            id=s.id,
            number=s.number,
            status=s.status,
            carrier=s.carrier,
            tracking_number=s.tracking_number,
            tracking_url=s.tracking_url,
            created_at=s.created_at,
            updated_at=s.updated_at,
            _model=s,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Shipment | None]:
        return await _resolve_by_loader(cls, info, node_ids, "shipment", required)

    @strawberry.field
    async def parcels(self, info: Info) -> list[Parcel]:
        rows = await info.context.loaders.parcels_by_shipment.load(self._model.id)
        return [
            Parcel(
                position=p.position,
                weight_g=p.weight_g,
                tracking_number=p.tracking_number,
                tracking_url=p.tracking_url,
                status=p.status,
            )
            for p in rows
        ]

    @strawberry.field
    async def lines(self, info: Info) -> list[ShipmentLine]:
        rows = await info.context.loaders.shipment_lines_by_shipment.load(self._model.id)
        order_lines = {
            line.id: line
            for line in await info.context.loaders.lines_by_order.load(self._model.order_id)
        }
        return [
            ShipmentLine(
                position=order_lines[r.order_line_id].position,
                title=order_lines[r.order_line_id].title,
                quantity=r.quantity,
            )
            for r in rows
            if r.order_line_id in order_lines
        ]

    @strawberry.field(description="The labels (a PDF page per parcel), for staff.")
    def labels_url(self, info: Info) -> str | None:
        if not info.context.viewer.is_staff or self._model.label_key is None:
            return None
        return f"/files/shipments/{self._model.id}/labels.pdf"

    @strawberry.field(description="The delivery note (PDF).")
    def delivery_note_url(self) -> str | None:
        if self._model.delivery_note_key is None:
            return None
        return f"/files/shipments/{self._model.id}/delivery-note.pdf"


@strawberry.type(description="A shipment was created or changed status.")
class ShipmentStatusEvent:
    event_id: int = strawberry.field(description="Pass as `after` to resume from here.")
    status: ShipmentStatus
    previous_status: ShipmentStatus | None
    tracking_number: str
    tracking_url: str
    shipment: Shipment | None
