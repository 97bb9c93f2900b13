"""The order state machine: which transitions exist, and who may make them.

Status changes only through `domain.orders.lifecycle.transition` (checked against
`TRANSITIONS`); an order is created in one of the `INITIAL` states by
`domain.orders.placing`. Production reports its progress as a `ProductionProgress`
(`domain.orders.progress`), never by setting an order's status."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class OrderStatus(StrEnum):
    PENDING_APPROVAL = "PENDING_APPROVAL"  # a proposal waiting for a colleague with APPROVE_ORDERS
    AWAITING_PAYMENT = "AWAITING_PAYMENT"  # binding, released once paid (prepayment, card)
    RELEASED = "RELEASED"  # binding; jobs exist, production has not started
    IN_PRODUCTION = "IN_PRODUCTION"
    COMPLETED = "COMPLETED"  # every job done, ready to ship
    PARTIALLY_SHIPPED = "PARTIALLY_SHIPPED"  # some goods are on their way, not all
    SHIPPED = "SHIPPED"  # every line's full quantity is on its way
    DELIVERED = "DELIVERED"
    REJECTED = "REJECTED"  # a proposal the approver turned down
    CANCELLED = "CANCELLED"


class OrderKind(StrEnum):
    WEB = "WEB"  # placed by a customer online (i-)
    STAFF = "STAFF"  # entered by the shop on a customer's behalf (o-)
    CALL_OFF = "CALL_OFF"  # customer-held stock called off (c-)
    QUOTE = "QUOTE"  # an accepted quote (i-), at the quoted prices


class Actor(StrEnum):
    CUSTOMER = "CUSTOMER"  # a portal user of the ordering company
    STAFF = "STAFF"
    SYSTEM = "SYSTEM"  # derived from tasks


# (from, to) -> who may cause it
TRANSITIONS: dict[tuple[OrderStatus, OrderStatus], frozenset[Actor]] = {
    (OrderStatus.PENDING_APPROVAL, OrderStatus.RELEASED): frozenset({Actor.CUSTOMER, Actor.STAFF}),
    (OrderStatus.PENDING_APPROVAL, OrderStatus.REJECTED): frozenset({Actor.CUSTOMER, Actor.STAFF}),
    (OrderStatus.PENDING_APPROVAL, OrderStatus.CANCELLED): frozenset({Actor.CUSTOMER, Actor.STAFF}),
    # A prepaid order is released when its payment is recorded (webhook, bank import, staff).
    (OrderStatus.AWAITING_PAYMENT, OrderStatus.RELEASED): frozenset({Actor.SYSTEM, Actor.STAFF}),
    (OrderStatus.AWAITING_PAYMENT, OrderStatus.CANCELLED): frozenset({Actor.CUSTOMER, Actor.STAFF}),
    (OrderStatus.RELEASED, OrderStatus.IN_PRODUCTION): frozenset({Actor.SYSTEM, Actor.STAFF}),
    # A customer may still cancel while nothing has been produced.
    (OrderStatus.RELEASED, OrderStatus.CANCELLED): frozenset({Actor.CUSTOMER, Actor.STAFF}),
    (OrderStatus.IN_PRODUCTION, OrderStatus.COMPLETED): frozenset({Actor.SYSTEM, Actor.STAFF}),
    # Once production has started only the shop can cancel (it bears the cost).
    (OrderStatus.IN_PRODUCTION, OrderStatus.CANCELLED): frozenset({Actor.STAFF}),
    (OrderStatus.COMPLETED, OrderStatus.DELIVERED): frozenset({Actor.STAFF}),
    # Shipments (domain/fulfilment/shipments.py) move the order as a system change; a supplier
    # may ship its part while the rest is still made, so shipping may start before COMPLETED.
    **{
        (source, target): frozenset({Actor.SYSTEM})
        for source in (
            OrderStatus.RELEASED,
            OrderStatus.IN_PRODUCTION,
            OrderStatus.COMPLETED,
            OrderStatus.PARTIALLY_SHIPPED,
        )
        for target in (OrderStatus.PARTIALLY_SHIPPED, OrderStatus.SHIPPED)
        if source is not target
    },
    # Delivered when every shipment arrived (system), or when staff confirm it.
    (OrderStatus.SHIPPED, OrderStatus.DELIVERED): frozenset({Actor.SYSTEM, Actor.STAFF}),
}

# An order is created binding (RELEASED), binding but waiting for its payment
# (AWAITING_PAYMENT, decided by the payment method) or as a proposal (PENDING_APPROVAL).
INITIAL = frozenset(
    {OrderStatus.RELEASED, OrderStatus.AWAITING_PAYMENT, OrderStatus.PENDING_APPROVAL}
)

TERMINAL = frozenset({OrderStatus.DELIVERED, OrderStatus.REJECTED, OrderStatus.CANCELLED})


def can_transition(current: OrderStatus, target: OrderStatus, actor: Actor) -> bool:
    return actor in TRANSITIONS.get((current, target), frozenset())


def allowed_targets(current: OrderStatus, actor: Actor) -> list[OrderStatus]:
    return [to for (frm, to), actors in TRANSITIONS.items() if frm is current and actor in actors]


@dataclass(frozen=True, slots=True)
class ProductionProgress:
    """What production reports about an order's live (not cancelled) jobs."""

    started: bool  # work has begun on some job (a task started or done)
    finished: bool  # there are live jobs and every one is done


def order_status_from_production(current: OrderStatus, progress: ProductionProgress) -> OrderStatus:
    """RELEASED -> IN_PRODUCTION when work starts; -> COMPLETED when every live job is done. A
    job put on hold before any of its tasks started is no start of production."""
    if current not in (OrderStatus.RELEASED, OrderStatus.IN_PRODUCTION):
        return current
    if progress.finished:
        return OrderStatus.COMPLETED
    if progress.started:
        return OrderStatus.IN_PRODUCTION
    return current
