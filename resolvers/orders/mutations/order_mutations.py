"""Cart, checkout, approval, lifecycle and task mutations."""

from __future__ import annotations

from strawberry import relay

from domain.orders import cart as carts
from domain.orders import checkout, lifecycle
from domain.orders import models as om
from domain.orders.delivery import DeliveryAddress
from domain.orders.errors import OrderErrorCode
from domain.payments import online as payments_online
from domain.production import models as pm
from domain.production import services as production
from resolvers.catalog.mutations.configuration_mutations import configuration_uuid
from resolvers.ids import optional_pk, require_pk
from resolvers.mutation import run
from resolvers.orders.queries import cart_line_view
from schema.context import Info
from schema.core import to_gid
from schema.fulfilment.shipping import ShippingMethod
from schema.laser.parts import Part
from schema.orders.inputs import CartLineAddInput, CartLineUpdateInput, OrderPlaceInput
from schema.orders.payloads import CartLinePayload, CartLineRemovePayload, OrderPayload, TaskPayload
from schema.orders.types import CartLine, Order, OrderError, Task
from schema.payments.types import OnlinePaymentAction

NF = OrderErrorCode.NOT_FOUND


async def cart_line_add(info: Info, input: CartLineAddInput) -> CartLinePayload:
    ctx = info.context

    async def action() -> dict[str, object]:
        cmd = carts.CartLineAdd(
            quantity=input.quantity,
            configuration_id=configuration_uuid(input.configuration_id, "configurationId")
            if input.configuration_id is not None
            else None,
            part_id=optional_pk(input.part_id, Part, "partId", NF),
            channel=input.channel,
            remarks=input.remarks,
            personalisation=input.personalisation
            if isinstance(input.personalisation, dict)
            else None,
        )
        line = await carts.cart_line_add(ctx.uow, ctx.viewer, cmd)
        return {"cart_line": await cart_line_view(info, line)}

    return await run(CartLinePayload, OrderError, action, lambda r: r)


async def cart_line_update(info: Info, input: CartLineUpdateInput) -> CartLinePayload:
    ctx = info.context

    async def action() -> dict[str, object]:
        cmd = carts.CartLineUpdate(
            quantity=input.quantity,
            remarks=input.remarks,
            personalisation=input.personalisation
            if isinstance(input.personalisation, dict)
            else None,
        )
        line = await carts.cart_line_update(
            ctx.uow, ctx.viewer, require_pk(input.id, CartLine, "id", NF), cmd
        )
        return {"cart_line": await cart_line_view(info, line)}

    return await run(CartLinePayload, OrderError, action, lambda r: r)


async def cart_line_remove(info: Info, id: relay.GlobalID) -> CartLineRemovePayload:
    ctx = info.context

    async def action() -> int:
        return await carts.cart_line_remove(ctx.uow, ctx.viewer, require_pk(id, CartLine, "id", NF))

    return await run(
        CartLineRemovePayload, OrderError, action, lambda pk: {"removed_id": to_gid("CartLine", pk)}
    )


async def order_place(info: Info, input: OrderPlaceInput) -> OrderPayload:
    ctx = info.context

    async def action() -> dict[str, object]:
        address = None
        if input.delivery_address is not None:
            a = input.delivery_address
            address = DeliveryAddress(
                name=a.name,
                street=a.street,
                postal_code=a.postal_code,
                city=a.city,
                country=a.country,
            )
        cmd = checkout.OrderPlace(
            idempotency_key=input.idempotency_key,
            customer_reference=input.customer_reference,
            desired_delivery_date=input.desired_delivery_date,
            delivery_address_id=None,
            delivery_address=address,
            payment_method=input.payment_method,
            remarks=input.remarks,
            cart_line_ids=[require_pk(g, CartLine, "cartLineIds", NF) for g in input.cart_line_ids]
            if input.cart_line_ids is not None
            else None,
            price_tokens={
                require_pk(t.cart_line_id, CartLine, "priceTokens", NF): t.price_token
                for t in input.price_tokens
            },
            accept_price_changes=input.accept_price_changes,
            shipping_method_id=optional_pk(
                input.shipping_method_id, ShippingMethod, "shippingMethodId", NF
            ),
        )
        order = await checkout.order_place(ctx.uow, ctx.viewer, ctx.services.price_tokens, cmd)
        online = await payments_online.online_payment_for_order(ctx.uow, order.id)
        return {
            "order": Order.from_model(order),
            "payment": OnlinePaymentAction.from_model(online) if online else None,
        }

    return await run(OrderPayload, OrderError, action, lambda r: r)


async def order_approve(info: Info, id: relay.GlobalID) -> OrderPayload:
    ctx = info.context
    return await run(
        OrderPayload,
        OrderError,
        lambda: lifecycle.order_approve(ctx.uow, ctx.viewer, require_pk(id, Order, "id", NF)),
        lambda o: {"order": Order.from_model(o)},
    )


async def order_reject(info: Info, id: relay.GlobalID, reason: str) -> OrderPayload:
    ctx = info.context

    async def action() -> om.Order:
        return await lifecycle.order_reject(
            ctx.uow, ctx.viewer, require_pk(id, Order, "id", NF), reason
        )

    return await run(OrderPayload, OrderError, action, lambda o: {"order": Order.from_model(o)})


async def order_cancel(info: Info, id: relay.GlobalID, reason: str = "") -> OrderPayload:
    ctx = info.context

    async def action() -> om.Order:
        return await lifecycle.order_cancel(
            ctx.uow, ctx.viewer, require_pk(id, Order, "id", NF), reason
        )

    return await run(OrderPayload, OrderError, action, lambda o: {"order": Order.from_model(o)})


async def order_deliver(info: Info, id: relay.GlobalID) -> OrderPayload:
    ctx = info.context

    async def action() -> om.Order:
        return await lifecycle.order_deliver(ctx.uow, ctx.viewer, require_pk(id, Order, "id", NF))

    return await run(OrderPayload, OrderError, action, lambda o: {"order": Order.from_model(o)})


async def task_start(info: Info, id: relay.GlobalID) -> TaskPayload:
    ctx = info.context

    async def action() -> pm.Task:
        return await production.task_start(ctx.uow, ctx.viewer, require_pk(id, Task, "id", NF))

    return await run(TaskPayload, OrderError, action, lambda t: {"task": Task.from_model(t)})


async def task_complete(info: Info, id: relay.GlobalID) -> TaskPayload:
    ctx = info.context

    async def action() -> pm.Task:
        return await production.task_complete(ctx.uow, ctx.viewer, require_pk(id, Task, "id", NF))

    return await run(TaskPayload, OrderError, action, lambda t: {"task": Task.from_model(t)})
