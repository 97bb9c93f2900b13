"""Shipping method and shipment mutations."""

from __future__ import annotations

from strawberry import relay

from domain.fulfilment import models as fm
from domain.fulfilment import shipment_status, shipments, shipping
from domain.fulfilment.errors import FulfilmentErrorCode
from resolvers.ids import require_pk
from resolvers.mutation import run
from schema.context import Info
from schema.fulfilment.inputs import (
    ShipmentCreateInput,
    ShipmentPayload,
    ShippingMethodInput,
    ShippingMethodPayload,
)
from schema.fulfilment.shipping import FulfilmentError, Shipment, ShipmentStatus, ShippingMethod
from schema.orders.types import Order

NF = FulfilmentErrorCode.NOT_FOUND


def _method_input(input: ShippingMethodInput) -> shipping.ShippingMethodInput:
    return shipping.ShippingMethodInput(
        code=input.code,
        name=input.name,
        kind=input.kind,
        rates=[
            shipping.RateInput(r.zone, r.net, tuple(r.countries), r.up_to_weight_g)
            for r in input.rates
        ],
        carrier=input.carrier,
        carrier_service=input.carrier_service,
        transit_days=input.transit_days,
        free_above_net=input.free_above_net,
        tracking_url_template=input.tracking_url_template,
        position=input.position,
        is_active=input.is_active,
    )


def _method(m: fm.ShippingMethod) -> dict[str, object]:
    return {"shipping_method": ShippingMethod.from_model(m)}


async def shipping_method_create(
    info: Info, channel: str, input: ShippingMethodInput
) -> ShippingMethodPayload:
    ctx = info.context
    return await run(
        ShippingMethodPayload,
        FulfilmentError,
        lambda: shipping.shipping_method_create(ctx.uow, ctx.viewer, channel, _method_input(input)),
        _method,
    )


async def shipping_method_update(
    info: Info, id: relay.GlobalID, input: ShippingMethodInput
) -> ShippingMethodPayload:
    ctx = info.context

    async def action() -> fm.ShippingMethod:
        pk = require_pk(id, ShippingMethod, "id", NF)
        return await shipping.shipping_method_update(ctx.uow, ctx.viewer, pk, _method_input(input))

    return await run(ShippingMethodPayload, FulfilmentError, action, _method)


async def shipment_create(info: Info, input: ShipmentCreateInput) -> ShipmentPayload:
    ctx = info.context

    async def action() -> fm.Shipment:
        cmd = shipments.ShipmentCreate(
            order_id=require_pk(input.order_id, Order, "orderId", NF),
            lines=[
                shipments.ShipmentLineInput(line.quantity, position=line.position)
                for line in input.lines
            ],
            parcels=list(input.parcel_weights_g),
            carrier=input.carrier,
            tracking_number=input.tracking_number,
        )
        return await shipments.shipment_create(ctx.uow, ctx.viewer, cmd, files=ctx.services.files)

    return await run(
        ShipmentPayload, FulfilmentError, action, lambda s: {"shipment": Shipment.from_model(s)}
    )


async def shipment_status_update(
    info: Info, id: relay.GlobalID, status: ShipmentStatus
) -> ShipmentPayload:
    ctx = info.context

    async def action() -> fm.Shipment:
        pk = require_pk(id, Shipment, "id", NF)
        return await shipment_status.shipment_set_status(ctx.uow, ctx.viewer, pk, status)

    return await run(
        ShipmentPayload, FulfilmentError, action, lambda s: {"shipment": Shipment.from_model(s)}
    )
