"""The order state machine: which transitions exist, and who may make them."""

from __future__ import annotations

from enum import StrEnum


class OrderStatus(StrEnum):
    PENDING_APPROVAL = "PENDING_APPROVAL"  # a proposal waiting for a colleague with APPROVE_ORDERS
    RELEASED = "RELEASED"  # binding; jobs exist, production has not started
    IN_PRODUCTION = "IN_PRODUCTION"
    COMPLETED = "COMPLETED"  # every job done, ready to ship
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
    (OrderStatus.RELEASED, OrderStatus.IN_PRODUCTION): frozenset({Actor.SYSTEM, Actor.STAFF}),
    # A customer may still cancel while nothing has been produced.
    (OrderStatus.RELEASED, OrderStatus.CANCELLED): frozenset({Actor.CUSTOMER, Actor.STAFF}),
    (OrderStatus.IN_PRODUCTION, OrderStatus.COMPLETED): frozenset({Actor.SYSTEM, Actor.STAFF}),
    # Once production has started only the shop can cancel (it bears the cost).
    (OrderStatus.IN_PRODUCTION, OrderStatus.CANCELLED): frozenset({Actor.STAFF}),
    (OrderStatus.COMPLETED, OrderStatus.DELIVERED): frozenset({Actor.STAFF}),
}

TERMINAL = frozenset({OrderStatus.DELIVERED, OrderStatus.REJECTED, OrderStatus.CANCELLED})


def can_transition(current: OrderStatus, target: OrderStatus, actor: Actor) -> bool:
    return actor in TRANSITIONS.get((current, target), frozenset())


def allowed_targets(current: OrderStatus, actor: Actor) -> list[OrderStatus]:
    return [to for (frm, to), actors in TRANSITIONS.items() if frm is current and actor in actors]


class TaskStatus(StrEnum):
    PENDING = "PENDING"
    IN_PROGRESS = "IN_PROGRESS"
    DONE = "DONE"


class JobStatus(StrEnum):
    WAITING = "WAITING"  # released, no task started
    IN_PROGRESS = "IN_PROGRESS"
    ON_HOLD = "ON_HOLD"  # a file problem waits for the customer
    DONE = "DONE"
    CANCELLED = "CANCELLED"


def job_status_from_tasks(tasks: list[TaskStatus], on_hold: bool) -> JobStatus:
    """A job follows its tasks: none started -> WAITING, all done -> DONE, else IN_PROGRESS."""
    if on_hold:
        return JobStatus.ON_HOLD
    if tasks and all(t is TaskStatus.DONE for t in tasks):
        return JobStatus.DONE
    if any(t is not TaskStatus.PENDING for t in tasks):
        return JobStatus.IN_PROGRESS
    return JobStatus.WAITING


def order_status_from_jobs(current: OrderStatus, jobs: list[JobStatus]) -> OrderStatus:
    """RELEASED -> IN_PRODUCTION when any job starts; -> COMPLETED when every live job is done."""
    if current not in (OrderStatus.RELEASED, OrderStatus.IN_PRODUCTION):
        return current
    live = [j for j in jobs if j is not JobStatus.CANCELLED]
    if live and all(j is JobStatus.DONE for j in live):
        return OrderStatus.COMPLETED
    if any(j in (JobStatus.IN_PROGRESS, JobStatus.DONE, JobStatus.ON_HOLD) for j in live):
        return OrderStatus.IN_PRODUCTION
    return current
