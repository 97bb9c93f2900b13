"""Status transitions with history and events, approvals, cancellation, delivery."""

from __future__ import annotations

from sqlalchemy import select, update

from domain.accounts.models import PortalUser
from domain.accounts.policies import require_staff_role
from domain.accounts.viewer import Viewer
from domain.orders.errors import OrderErrorCode
from domain.orders.models import Order, OrderStatusChange
from domain.orders.policies import ORDER_DESK_ROLES, may_approve, order_scope
from domain.orders.state import Actor, JobStatus, OrderStatus, can_transition
from domain.production.models import Job
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
    the history with time, actor and reason, and published as an event."""
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
        },
    )
    if order.kind == "CALL_OFF":
        # Stock reserved by a call-off is released on reject/cancel, issued on delivery.
        from domain.stock.calloff import follow_call_off

        await follow_call_off(uow, viewer, order, target, system=system)


async def order_for_update(uow: UnitOfWork, viewer: Viewer, order_id: int) -> Order:
    order: Order | None = await uow.scalar(
        select(Order).where(Order.id == order_id, order_scope(viewer)).with_for_update()
    )
    if order is None:
        raise DomainError.single(OrderErrorCode.NOT_FOUND, "Order not found.", "id")
    return order


async def _mail_orderer(uow: UnitOfWork, order: Order, subject: str, body: str) -> None:
    if order.orderer_id is None:
        return
    user = await uow.session.get(PortalUser, order.orderer_id)
    if user is not None:
        uow.send_mail(user.email, subject, f"Hello {user.full_name},\n\n{body}\n")


async def order_approve(uow: UnitOfWork, viewer: Viewer, order_id: int) -> Order:
    """Requires APPROVE_ORDERS in the ordering company, and not for one's own proposal. The
    order becomes binding and production jobs are created; the proposer is told."""
    from domain.production.services import create_jobs

    async with uow:
        order = await order_for_update(uow, viewer, order_id)
        if not may_approve(viewer, order.company_id):
            raise DomainError.single(
                OrderErrorCode.PERMISSION_DENIED, "You need APPROVE_ORDERS for this."
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
        await create_jobs(uow, order)
        await _mail_orderer(
            uow,
            order,
            f"Order {order.number} approved",
            f"your order proposal {order.number} was approved and is now in our production queue.",
        )
        await uow.commit()
        return order


async def order_reject(uow: UnitOfWork, viewer: Viewer, order_id: int, reason: str) -> Order:
    """Requires APPROVE_ORDERS; a reason is required and sent to the proposer."""
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
        await _mail_orderer(
            uow,
            order,
            f"Order proposal {order.number} rejected",
            f"your order proposal {order.number} was not approved.\nReason: {reason.strip()}",
        )
        await uow.commit()
        return order


async def order_cancel(uow: UnitOfWork, viewer: Viewer, order_id: int, reason: str) -> Order:
    """Customers (the orderer, or PLACE_ORDERS with VIEW_COMPANY_ORDERS) may cancel until
    production starts; staff (ADMIN, SALES) until it is completed. Jobs are cancelled too."""
    from domain.accounts.rights import Right

    async with uow:
        order = await order_for_update(uow, viewer, order_id)
        if viewer.is_staff:
            require_staff_role(viewer, ORDER_DESK_ROLES)
        elif order.orderer_id != viewer.user_id and Right.PLACE_ORDERS not in viewer.rights:
            raise DomainError.single(
                OrderErrorCode.PERMISSION_DENIED, "Only the orderer or a buyer may cancel."
            )
        await transition(uow, viewer, order, OrderStatus.CANCELLED, reason.strip())
        await uow.session.execute(
            update(Job).where(Job.order_id == order.id).values(status=JobStatus.CANCELLED)
        )
        await uow.commit()
        return order


async def order_deliver(uow: UnitOfWork, viewer: Viewer, order_id: int) -> Order:
    """Staff (ADMIN, SALES, PRODUCTION) mark a completed order delivered."""
    from domain.accounts.rights import StaffRole

    require_staff_role(viewer, frozenset({StaffRole.ADMIN, StaffRole.SALES, StaffRole.PRODUCTION}))
    async with uow:
        order = await order_for_update(uow, viewer, order_id)
        await transition(uow, viewer, order, OrderStatus.DELIVERED, "")
        await uow.commit()
        return order
