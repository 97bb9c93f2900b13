"""What orders tell the areas built on them (production, stock, and next quotes, fulfilment
and billing), as in-process domain events (domain/shared/domain_events.py).

Subscribe at start-up (`server/domain_wiring.py`) with
``domain_events.subscribe(OrderStatusChanged, handler)``; a handler is
``async def handler(uow, event) -> None`` and runs inside the command that changed the order.
`orders` imports none of its subscribers.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.accounts.viewer import Viewer
from domain.orders.models import Order
from domain.orders.state import OrderStatus


@dataclass(frozen=True, slots=True)
class OrderStatusChanged:
    """An order entered ``status``: placed (``previous`` is None), or moved by the state
    machine. ``status is RELEASED`` is the order-released event production makes jobs from."""

    order: Order
    previous: OrderStatus | None
    status: OrderStatus
    viewer: Viewer
    system: bool = False  # derived from production progress, not asked for by anyone

    @property
    def released(self) -> bool:
        return self.status is OrderStatus.RELEASED


@dataclass(frozen=True, slots=True)
class OrderFileReplaced:
    """A customer uploaded a file for a line whose previous file was flagged as a problem."""

    order: Order
    order_line_id: int
    viewer: Viewer
