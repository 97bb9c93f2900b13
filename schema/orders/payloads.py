from __future__ import annotations

import strawberry
from strawberry import relay

from schema.orders.types import CartLine, Order, OrderError, Task
from schema.payments.types import OnlinePaymentAction


@strawberry.type
class CartLinePayload:
    cart_line: CartLine | None = None
    errors: list[OrderError] = strawberry.field(default_factory=list)


@strawberry.type
class CartLineRemovePayload:
    removed_id: relay.GlobalID | None = None
    errors: list[OrderError] = strawberry.field(default_factory=list)


@strawberry.type
class OrderPayload:
    order: Order | None = None
    payment: OnlinePaymentAction | None = strawberry.field(
        default=None,
        description="From `orderPlace` with an online method: what the storefront confirms.",
    )
    errors: list[OrderError] = strawberry.field(default_factory=list)


@strawberry.type
class TaskPayload:
    task: Task | None = None
    errors: list[OrderError] = strawberry.field(default_factory=list)
