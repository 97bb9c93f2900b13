"""Routing's place in the order flow, registered by `server/domain_wiring.py`."""

from __future__ import annotations

from domain.orders.signals import OrderStatusChanged
from domain.production.sourcing import register_sourcing
from domain.routing.split import RoutingSourcing, on_order_status
from domain.shared import domain_events


def subscribe() -> None:
    """Production asks routing which lines suppliers make; a cancelled order cancels its
    supplier jobs (idempotent)."""
    register_sourcing(RoutingSourcing())
    domain_events.subscribe(OrderStatusChanged, on_order_status)
