"""The final price after execution: staff adjust, the customer decides above the tolerance."""

from __future__ import annotations

from strawberry import relay

from domain.orders import adjustments
from domain.orders.errors import OrderErrorCode
from domain.orders.models import Order as OrderRow
from resolvers.ids import require_pk
from resolvers.mutation import run
from schema.context import Info
from schema.orders.adjustments import LineAdjustmentInput, OrderAdjustment
from schema.orders.payloads import OrderAdjustmentPayload
from schema.orders.types import Order, OrderError

NF = OrderErrorCode.NOT_FOUND


async def _payload(info: Info, adjustment: adjustments.OrderAdjustmentRow) -> dict[str, object]:
    order = await info.context.uow.session.get(OrderRow, adjustment.order_id)
    assert order is not None
    return {
        "adjustment": OrderAdjustment.from_model(adjustment, order.currency),
        "order": Order.from_model(order),
    }


async def order_adjust(
    info: Info, id: relay.GlobalID, changes: list[LineAdjustmentInput]
) -> OrderAdjustmentPayload:
    ctx = info.context

    async def action() -> dict[str, object]:
        cmds = [
            adjustments.LineAdjustment(
                reason=c.reason,
                position=c.position,
                quantity=c.quantity,
                net=c.net,
                title=c.title,
                vat_rate_percent=c.vat_rate_percent,
            )
            for c in changes
        ]
        pk = require_pk(id, Order, "id", NF)
        return await _payload(info, await adjustments.order_adjust(ctx.uow, ctx.viewer, pk, cmds))

    return await run(OrderAdjustmentPayload, OrderError, action, lambda r: r)


async def order_adjustment_decide(
    info: Info, id: relay.GlobalID, accept: bool
) -> OrderAdjustmentPayload:
    ctx = info.context

    async def action() -> dict[str, object]:
        pk = require_pk(id, OrderAdjustment, "id", NF)
        decided = await adjustments.order_adjustment_decide(ctx.uow, ctx.viewer, pk, accept)
        return await _payload(info, decided)

    return await run(OrderAdjustmentPayload, OrderError, action, lambda r: r)
