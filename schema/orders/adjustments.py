"""The final price after execution: an order's adjustments with their reasons."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import strawberry
from strawberry import relay

from domain.orders import models as om
from schema.core import to_gid
from schema.pricing.types import Money


@strawberry.type(description="One change of a line: quantity delivered, price, or an extra line.")
class OrderPriceChange:
    position: int | None = strawberry.field(
        description="The line; null: an extra line not yet applied."
    )
    title: str
    quantity_before: int = strawberry.field(description="0 for an extra line.")
    quantity_after: int
    net_before: Money
    net_after: Money
    vat_rate_percent: Decimal
    repriced: bool = strawberry.field(description="Priced by the engine (else set by hand).")
    reason: str


@strawberry.type(
    description="Staff's change of an order's lines after production, with the original and "
    "final price: APPLIED (within the customer group's tolerance, or approved), "
    "PENDING_CUSTOMER (waiting for the customer's approval) or REJECTED."
)
class OrderAdjustment:
    id: relay.GlobalID
    status: str
    original_net: Money
    original_gross: Money
    final_net: Money
    final_gross: Money
    changes: list[OrderPriceChange]
    created_at: dt.datetime
    decided_at: dt.datetime | None

    @classmethod
    def from_model(cls, a: om.OrderAdjustment, currency: str) -> OrderAdjustment:
        def money(amount: int) -> Money:
            return Money(amount=amount, currency=currency)

        return cls(
            id=to_gid("OrderAdjustment", a.id),
            status=a.status,
            original_net=money(a.original_net),
            original_gross=money(a.original_gross),
            final_net=money(a.final_net),
            final_gross=money(a.final_gross),
            changes=[
                OrderPriceChange(
                    position=c["position"],
                    title=c["title"],
                    quantity_before=c["quantityBefore"],
                    quantity_after=c["quantityAfter"],
                    net_before=money(c["netBefore"]),
                    net_after=money(c["netAfter"]),
                    vat_rate_percent=Decimal(c["vatRatePercent"]),
                    repriced=c["repriced"],
                    reason=c["reason"],
                )
                for c in a.changes
            ],
            created_at=a.created_at,
            decided_at=a.decided_at,
        )


@strawberry.input(description="One change: of a line (`position`) or an extra line (no position).")
class LineAdjustmentInput:
    reason: str
    position: int | None = None
    quantity: int | None = strawberry.field(default=None, description="The quantity delivered.")
    net: int | None = strawberry.field(
        default=None, description="Set by hand (minor units); omitted: re-priced by the engine."
    )
    title: str = strawberry.field(default="", description="An extra line's title.")
    vat_rate_percent: Decimal | None = None
