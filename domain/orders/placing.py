"""What every way of placing an order shares: its first history entry, jobs for a binding
order, the `order.placed` event, and the price lines kept on an order line."""

from __future__ import annotations

from typing import Any

from domain.accounts.viewer import Viewer
from domain.orders.models import Order, OrderStatusChange
from domain.orders.state import OrderStatus
from domain.pricing.result import PriceResult
from domain.shared.uow import UnitOfWork


def price_lines_json(result: PriceResult) -> list[dict[str, Any]]:
    """The engine's lines as stored on an order line (production reads paper counts there)."""
    return [
        {"code": p.code, "label": p.label, "amount": p.amount.amount, "detail": p.detail}
        for p in result.lines
    ]


async def record_placed(uow: UnitOfWork, viewer: Viewer, order: Order, reason: str) -> None:
    """Inside the placing command, after the order and its lines are added."""
    from domain.production.services import create_jobs

    uow.session.add(
        OrderStatusChange(
            order_id=order.id,
            from_status=None,
            to_status=order.status.value,
            actor_kind="STAFF" if viewer.is_staff else "CUSTOMER",
            portal_user_id=viewer.user_id if viewer.is_portal else None,
            staff_user_id=viewer.user_id if viewer.is_staff else None,
            reason=reason,
        )
    )
    await uow.session.flush()
    if order.status is OrderStatus.RELEASED:
        await create_jobs(uow, order)
    uow.record_event(
        "order.placed",
        order.company_id,
        {
            "orderId": order.id,
            "number": order.number,
            "status": order.status.value,
            "ordererId": order.orderer_id,
            "kind": order.kind,
        },
    )
