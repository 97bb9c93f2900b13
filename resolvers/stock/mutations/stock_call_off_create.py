"""stockCallOffCreate: a portal user calls off the company's stock."""

from __future__ import annotations

from domain.orders import models as om
from domain.orders.delivery import DeliveryAddress
from domain.stock import calloff
from resolvers.mutation import run
from resolvers.stock.ids import line_pks
from schema.context import Info
from schema.orders.types import Order
from schema.stock.inputs import StockCallOffCreateInput
from schema.stock.payloads import StockCallOffCreatePayload
from schema.stock.types import StockError


async def stock_call_off_create(
    info: Info, input: StockCallOffCreateInput
) -> StockCallOffCreatePayload:
    ctx = info.context

    async def action() -> om.Order:
        a = input.delivery_address
        cmd = calloff.CallOffCreate(
            idempotency_key=input.idempotency_key,
            lines=[
                calloff.CallOffLine(stock_item_id=pk, quantity=quantity)
                for pk, quantity in line_pks(input.lines)
            ],
            customer_reference=input.customer_reference,
            desired_delivery_date=input.desired_delivery_date,
            remarks=input.remarks,
            delivery_address=DeliveryAddress(
                name=a.name,
                street=a.street,
                postal_code=a.postal_code,
                city=a.city,
                country=a.country,
            )
            if a is not None
            else None,
        )
        return await calloff.stock_call_off_create(ctx.uow, ctx.viewer, cmd)

    return await run(
        StockCallOffCreatePayload, StockError, action, lambda o: {"order": Order.from_model(o)}
    )
