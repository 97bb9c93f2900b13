"""How production reports its progress to orders: the one entry point areas that make what
an order sells call (production today; a supplier hand-off tomorrow). The order follows
through the state machine (RELEASED -> IN_PRODUCTION -> COMPLETED), recorded as a system
change."""

from __future__ import annotations

from domain.accounts.viewer import Viewer
from domain.orders.lifecycle import transition
from domain.orders.models import Order
from domain.orders.state import OrderStatus, ProductionProgress, order_status_from_production
from domain.shared.uow import UnitOfWork


async def order_follow_production(
    uow: UnitOfWork, viewer: Viewer, order: Order, progress: ProductionProgress
) -> None:
    """Inside the reporting command (the order locked by the caller): move the order to where
    its production stands, through IN_PRODUCTION when it completes straight from RELEASED."""
    target = order_status_from_production(order.status, progress)
    if target is OrderStatus.COMPLETED and order.status is OrderStatus.RELEASED:
        await transition(uow, viewer, order, OrderStatus.IN_PRODUCTION, "", system=True)
    if target is not order.status:
        await transition(uow, viewer, order, target, "", system=True)
