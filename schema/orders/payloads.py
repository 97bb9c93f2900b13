from __future__ import annotations

from decimal import Decimal

import strawberry
from strawberry import relay

from schema.orders.adjustments import OrderAdjustment
from schema.orders.types import CartLine, Order, OrderError, Task
from schema.payments.types import OnlinePaymentAction
from schema.pricing.types import Money


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


@strawberry.type(description="The VAT of the cart's lines at one rate.")
class VatShare:
    rate_percent: Decimal
    net: Money
    vat: Money


@strawberry.type(
    description="The cart's totals, computed exactly as checkout charges them (minor units); "
    "refetch after `cartLine*` mutations."
)
class CartTotals:
    net: Money | None
    vat: Money | None
    gross: Money | None
    vat_breakdown: list[VatShare]
    lines: int
    unavailable_lines: int = strawberry.field(
        description="Lines that cannot be ordered now (left out of the sums)."
    )
    shipping: Money | None = strawberry.field(
        default=None,
        description="The chosen shipping method's net (its VAT is in `vatBreakdown`); null "
        "when none was chosen or it cannot ship the cart.",
    )
    shipping_problem: str | None = strawberry.field(
        default=None,
        description="Why the chosen shipping method cannot ship the cart (checkout would "
        "answer SHIPPING_UNAVAILABLE); null otherwise.",
    )


@strawberry.type
class OrderAdjustmentPayload:
    adjustment: OrderAdjustment | None = None
    order: Order | None = None
    errors: list[OrderError] = strawberry.field(default_factory=list)
