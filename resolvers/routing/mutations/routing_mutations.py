"""Staff manage routing: rules, supplier channels, a line's override, supplier jobs."""

from __future__ import annotations

import strawberry
from strawberry import relay

from domain.routing import setup, supplier_jobs
from domain.routing.errors import RoutingErrorCode
from domain.routing.models import SupplierJob as SupplierJobModel
from domain.shared.errors import DomainError
from domain.shared.unset import UNSET
from resolvers.mutation import run
from schema.catalog.types import Product
from schema.context import Info
from schema.core import decode_gid, error_list
from schema.orders.types import Order
from schema.routing.inputs import (
    OrderLineRouteSetInput,
    RoutingRuleSetInput,
    SupplierChannelSetInput,
)
from schema.routing.payloads import (
    OrderLineRoutePayload,
    RoutingRuleDeletePayload,
    RoutingRulePayload,
    SupplierChannelPayload,
    SupplierJobPayload,
)
from schema.routing.types import RoutingError, RoutingRule, SupplierChannel, SupplierJob
from schema.stock.types import Supplier


def _id(gid: relay.GlobalID | None, type_: type, field: str) -> int | None:
    """The primary key of an optional ID argument; an ID of another type is not found."""
    if gid is None:
        return None
    pk = decode_gid(gid, type_)
    if pk is None:
        raise DomainError.single(RoutingErrorCode.NOT_FOUND, "Not found.", field)
    return pk


async def job_fields(info: Info, job: SupplierJobModel) -> dict[str, object]:
    [view] = await supplier_jobs.supplier_job_views(info.context.uow, [job])
    return {"supplier_job": SupplierJob.from_view(view, staff=info.context.viewer.is_staff)}


async def routing_rule_set(info: Info, input: RoutingRuleSetInput) -> RoutingRulePayload:
    ctx = info.context

    async def action():  # type: ignore[no-untyped-def]
        return await setup.routing_rule_set(
            ctx.uow,
            ctx.viewer,
            product_id=_id(input.product_id, Product, "productId"),
            laser_material_code=input.laser_material_code,
            supplier_id=_id(input.supplier_id, Supplier, "supplierId"),
        )

    return await run(
        RoutingRulePayload, RoutingError, action, lambda r: {"rule": RoutingRule.from_model(r)}
    )


async def routing_rule_delete(info: Info, id: relay.GlobalID) -> RoutingRuleDeletePayload:
    ctx = info.context

    async def action() -> int:
        pk = id.node_id if id.type_name == "RoutingRule" and id.node_id.isdigit() else None
        if pk is None:
            raise DomainError.single(RoutingErrorCode.NOT_FOUND, "Rule not found.", "id")
        return await setup.routing_rule_delete(ctx.uow, ctx.viewer, int(pk))

    return await run(
        RoutingRuleDeletePayload, RoutingError, action, lambda _: {"deleted_id": str(id)}
    )


async def supplier_channel_set(
    info: Info, input: SupplierChannelSetInput
) -> SupplierChannelPayload:
    ctx = info.context

    async def action():  # type: ignore[no-untyped-def]
        supplier_id = _id(input.supplier_id, Supplier, "supplierId")
        assert supplier_id is not None
        settings = input.settings if isinstance(input.settings, dict) else {}
        cmd = setup.ChannelSet(
            supplier_id=supplier_id,
            kind=input.kind,
            settings=settings,
            automation=input.automation,
            delay_s=input.delay_seconds,
            secret=UNSET if input.secret is strawberry.UNSET else input.secret,
        )
        return await setup.supplier_channel_set(ctx.uow, ctx.viewer, cmd)

    return await run(
        SupplierChannelPayload,
        RoutingError,
        action,
        lambda c: {"channel": SupplierChannel.from_model(c)},
    )


async def order_line_route_set(info: Info, input: OrderLineRouteSetInput) -> OrderLineRoutePayload:
    ctx = info.context

    async def action():  # type: ignore[no-untyped-def]
        order_id = _id(input.order_id, Order, "orderId")
        assert order_id is not None
        line_id = await setup.order_line_id(ctx.uow, order_id, input.position)
        if line_id is None:
            raise DomainError.single(
                RoutingErrorCode.NOT_FOUND, "Order line not found.", "position"
            )
        return await setup.order_line_route_set(
            ctx.uow,
            ctx.viewer,
            line_id,
            supplier_id=_id(input.supplier_id, Supplier, "supplierId"),
            own_production=input.own_production,
        )

    return await run(OrderLineRoutePayload, RoutingError, action, lambda _: {"ok": True})


def _job_id(id: relay.GlobalID) -> int:
    pk = decode_gid(id, SupplierJob)
    if pk is None:
        raise DomainError.single(RoutingErrorCode.NOT_FOUND, "Supplier job not found.", "id")
    return pk


async def _job_action(info: Info, use_case) -> SupplierJobPayload:  # type: ignore[no-untyped-def]
    try:
        job = await use_case()
    except DomainError as exc:
        return SupplierJobPayload(errors=error_list(RoutingError, exc))
    return SupplierJobPayload(**await job_fields(info, job), errors=[])  # type: ignore[arg-type]


async def supplier_job_release(info: Info, id: relay.GlobalID) -> SupplierJobPayload:
    ctx = info.context
    return await _job_action(
        info, lambda: supplier_jobs.supplier_job_release(ctx.uow, ctx.viewer, _job_id(id))
    )


async def supplier_job_cancel(info: Info, id: relay.GlobalID) -> SupplierJobPayload:
    ctx = info.context
    return await _job_action(
        info, lambda: supplier_jobs.supplier_job_cancel(ctx.uow, ctx.viewer, _job_id(id))
    )


async def supplier_job_reroute(
    info: Info, id: relay.GlobalID, supplier_id: relay.GlobalID | None = None
) -> SupplierJobPayload:
    ctx = info.context

    async def action() -> SupplierJobModel:
        return await supplier_jobs.supplier_job_reroute(
            ctx.uow, ctx.viewer, _job_id(id), _id(supplier_id, Supplier, "supplierId")
        )

    return await _job_action(info, action)
