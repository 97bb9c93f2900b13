"""What fulfilment tells the areas built on it (billing may invoice on shipping), as
in-process domain events (domain/shared/domain_events.py)."""

from __future__ import annotations

from dataclasses import dataclass

from domain.accounts.viewer import Viewer
from domain.fulfilment.models import Shipment, ShipmentStatus
from domain.orders.models import Order


@dataclass(frozen=True, slots=True)
class ShipmentStatusChanged:
    """A shipment was created (``previous`` is None) or moved."""

    shipment: Shipment
    order: Order
    previous: ShipmentStatus | None
    status: ShipmentStatus
    viewer: Viewer
