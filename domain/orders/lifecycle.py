"""Status transitions with history and events, approvals, cancellation, delivery.

What other areas do when an order moves (jobs made on release and cancelled with the order,
call-off stock released or issued) they do as subscribers of `OrderStatusChanged`
(domain/orders/signals.py), registered at start-up; this module imports none of them."""

from __future__ import annotations

from sqlalchemy import select

from domain.accounts.policies import require_staff_role
from domain.accounts.rights import Right, StaffRole
from domain.accounts.viewer import Viewer
from domain.orders.errors import OrderErrorCode
from domain.orders.models import Order, OrderStatusChange
from domain.orders.policies import ORDER_DESK_ROLES, may_approve, order_scope
from domain.orders.signals import OrderStatusChanged
from domain.orders.state import Actor, OrderStatus, can_transition
from domain.shared import domain_events
from domain.shared.errors import DomainError
from domain.shared.uow import UnitOfWork


def _actor(viewer: Viewer, system: bool) -> Actor:
    if system:
        return Actor.SYSTEM
    return Actor.STAFF if viewer.is_staff else Actor.CUSTOMER


async def transition(
    uow: UnitOfWork,
    viewer: Viewer,
    order: Order,
    target: OrderStatus,
    reason: str,
    *,
    system: bool = False,
) -> None:
    """The only way an order changes status: checked against the state machine, recorded in
    the history with time, actor and reason, published as an outbox event, and handed to the
    subscribers of `OrderStatusChanged` in the same transaction."""
    actor = _actor(viewer, system)
    if not can_transition(order.status, target, actor):
        raise DomainError.single(
            OrderErrorCode.INVALID_TRANSITION,
            f"An order that is {order.status.value} cannot become {target.value}"
            + ("" if actor is Actor.STAFF else " by you")
            + ".",
            "id",
        )
    previous = order.status
    order.status = target
    uow.session.add(
        OrderStatusChange(
            order_id=order.id,
            from_status=previous.value,
            to_status=target.value,
            actor_kind=actor.value,
            portal_user_id=viewer.user_id if viewer.is_portal and not system else None,
            staff_user_id=viewer.user_id if viewer.is_staff and not system else None,
            reason=reason,
        )
    )
    uow.record_event(
        "order.status_changed",
        order.company_id,
        {
            "orderId": order.id,
            "number": order.number,
            "from": previous.value,
            "status": target.value,
            "ordererId": order.orderer_id,
            "reason": reason,
            # Moved by the system (a shipment made or delivered), not by a person.
            "system": system,
        },
    )
    await domain_events.publish(
        uow, OrderStatusChanged(order, previous, target, viewer, system=system)
    )


async def order_for_update(uow: UnitOfWork, viewer: Viewer, order_id: int) -> Order:
    order: Order | None = await uow.scalar(
        select(Order).where(Order.id == order_id, order_scope(viewer)).with_for_update()
    )
    if order is None:
        raise DomainError.single(OrderErrorCode.NOT_FOUND, "Order not found.", "id")
    return order


async def order_approve(uow: UnitOfWork, viewer: Viewer, order_id: int) -> Order:
    """Requires APPROVE_ORDERS in the ordering company, and not for one's own proposal. The
    order becomes binding (production makes its jobs on the release); the proposer is told
    (domain/notifications follows the status change)."""
    async with uow:
        order = await order_for_update(uow, viewer, order_id)
        await approve(uow, viewer, order)
        await uow.commit()
        return order


async def approve(uow: UnitOfWork, viewer: Viewer, order: Order) -> None:
    """The approval of a loaded (locked) proposal, inside the approving command."""
    if not may_approve(viewer, order.company_id):
        raise DomainError.single(
            OrderErrorCode.PERMISSION_DENIED, "You need APPROVE_ORDERS for this."
        )
    if order.staff_review_reason is not None:
        raise DomainError.single(
            OrderErrorCode.STAFF_DECISION,
            f"The shop decides on this order ({order.staff_review_reason}).",
            "id",
        )
    if order.orderer_id == viewer.user_id:
        raise DomainError.single(
            OrderErrorCode.OWN_PROPOSAL, "A colleague must approve your own proposal.", "id"
        )
    if order.status is not OrderStatus.PENDING_APPROVAL:
        raise DomainError.single(
            OrderErrorCode.ALREADY_DECIDED,
            f"This order is {order.status.value}, not waiting for approval.",
            "id",
        )
    order.approved_by_id = viewer.user_id
    await transition(uow, viewer, order, OrderStatus.RELEASED, "approved")


async def order_reject(uow: UnitOfWork, viewer: Viewer, order_id: int, reason: str) -> Order:
    """Requires APPROVE_ORDERS; a reason is required and sent to the proposer (by
    domain/notifications, from the status change's ``reason``)."""
    if not reason.strip():
        raise DomainError.single(OrderErrorCode.REQUIRED, "Give a reason.", "reason")
    async with uow:
        order = await order_for_update(uow, viewer, order_id)
        if not may_approve(viewer, order.company_id):
            raise DomainError.single(
                OrderErrorCode.PERMISSION_DENIED, "You need APPROVE_ORDERS for this."
            )
        if order.status is not OrderStatus.PENDING_APPROVAL:
            raise DomainError.single(
                OrderErrorCode.ALREADY_DECIDED,
                f"This order is {order.status.value}, not waiting for approval.",
                "id",
            )
        await transition(uow, viewer, order, OrderStatus.REJECTED, reason.strip())
        await uow.commit()
        return order


async def order_cancel(uow: UnitOfWork, viewer: Viewer, order_id: int, reason: str) -> Order:
    """Customers (the orderer, or PLACE_ORDERS with VIEW_COMPANY_ORDERS) may cancel until
    production starts; staff (ADMIN, SALES) until it is completed. Production cancels the
    jobs when it hears of it."""
    async with uow:
        order = await order_for_update(uow, viewer, order_id)
        if viewer.is_staff:
            require_staff_role(viewer, ORDER_DESK_ROLES)
        elif order.orderer_id != viewer.user_id and Right.PLACE_ORDERS not in viewer.rights:
            raise DomainError.single(
                OrderErrorCode.PERMISSION_DENIED, "Only the orderer or a buyer may cancel."
            )
        await transition(uow, viewer, order, OrderStatus.CANCELLED, reason.strip())
        await uow.commit()
        return order


async def order_deliver(uow: UnitOfWork, viewer: Viewer, order_id: int) -> Order:
    """Staff (ADMIN, SALES, PRODUCTION) mark a completed order delivered."""
    require_staff_role(viewer, frozenset({StaffRole.ADMIN, StaffRole.SALES, StaffRole.PRODUCTION}))
    async with uow:
        order = await order_for_update(uow, viewer, order_id)
        await transition(uow, viewer, order, OrderStatus.DELIVERED, "")
        await uow.commit()
        return order
