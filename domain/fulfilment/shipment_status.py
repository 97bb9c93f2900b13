"""A shipment's status moves (in transit, delivered, failed) and the shipment documents and
scope: who may see a shipment, and its labels and delivery note."""

from __future__ import annotations

from sqlalchemy import ColumnElement, func, select

from domain.accounts.policies import require_staff_role
from domain.accounts.viewer import Viewer
from domain.fulfilment.errors import FulfilmentErrorCode
from domain.fulfilment.models import Shipment, ShipmentStatus
from domain.fulfilment.shipments import SHIPPING_ROLES, announce
from domain.orders.lifecycle import order_for_update, transition
from domain.orders.models import Order
from domain.orders.policies import order_scope
from domain.orders.state import OrderStatus
from domain.shared.errors import DomainError
from domain.shared.ports import FileStorage
from domain.shared.uow import UnitOfWork

# Shipment status moves: forward only; a failed shipment's goods count as not shipped.
SHIPMENT_TRANSITIONS: dict[ShipmentStatus, frozenset[ShipmentStatus]] = {
    ShipmentStatus.CREATED: frozenset(
        {ShipmentStatus.IN_TRANSIT, ShipmentStatus.DELIVERED, ShipmentStatus.FAILED}
    ),
    ShipmentStatus.IN_TRANSIT: frozenset({ShipmentStatus.DELIVERED, ShipmentStatus.FAILED}),
    ShipmentStatus.DELIVERED: frozenset(),
    ShipmentStatus.FAILED: frozenset(),
}


async def shipment_set_status(
    uow: UnitOfWork, viewer: Viewer, shipment_id: int, status: ShipmentStatus
) -> Shipment:
    """Requires staff role ADMIN, SALES or PRODUCTION (or a carrier's tracking update through
    the server). When every shipment arrived and nothing is left to ship, the order is
    delivered."""
    require_staff_role(viewer, SHIPPING_ROLES)
    async with uow:
        shipment = await set_status(uow, viewer, shipment_id, status)
        await uow.commit()
        return shipment


async def set_status(
    uow: UnitOfWork, viewer: Viewer, shipment_id: int, status: ShipmentStatus
) -> Shipment:
    """Inside the caller's command: move a shipment, and the order when it is delivered."""
    shipment: Shipment | None = await uow.scalar(
        select(Shipment).where(Shipment.id == shipment_id).with_for_update()
    )
    if shipment is None:
        raise DomainError.single(FulfilmentErrorCode.NOT_FOUND, "Shipment not found.", "id")
    previous = shipment.status
    if status not in SHIPMENT_TRANSITIONS[previous]:
        raise DomainError.single(
            FulfilmentErrorCode.INVALID_TRANSITION,
            f"A shipment that is {previous.value} cannot become {status.value}.",
            "status",
        )
    order = await order_for_update(uow, viewer, shipment.order_id)
    shipment.status = status
    await uow.session.flush()
    await announce(uow, viewer, order, shipment, previous)
    if status is ShipmentStatus.DELIVERED and order.status is OrderStatus.SHIPPED:
        open_ = await uow.scalar(
            select(func.count(Shipment.id)).where(
                Shipment.order_id == order.id,
                Shipment.status.in_([ShipmentStatus.CREATED, ShipmentStatus.IN_TRANSIT]),
            )
        )
        if not open_:
            await transition(
                uow,
                viewer,
                order,
                OrderStatus.DELIVERED,
                f"shipment {shipment.number}",
                system=True,
            )
    return shipment


def shipment_scope(viewer: Viewer) -> ColumnElement[bool]:
    """Shipments of the orders the viewer may see (staff: all)."""
    return Shipment.order_id.in_(select(Order.id).where(order_scope(viewer)))


async def shipment_document(
    uow: UnitOfWork, viewer: Viewer, files: FileStorage, shipment_id: int, kind: str
) -> tuple[Shipment, bytes]:
    """A shipment's labels (``labels``: staff only) or delivery note (``delivery-note``: whoever
    sees the order); NOT_FOUND otherwise, exactly as for a shipment that does not exist."""
    shipment: Shipment | None = await uow.scalar(
        select(Shipment).where(Shipment.id == shipment_id, shipment_scope(viewer))
    )
    key = None
    if shipment is not None:
        if kind == "labels" and viewer.is_staff:
            key = shipment.label_key
        elif kind == "delivery-note":
            key = shipment.delivery_note_key
    if shipment is None or key is None:
        raise DomainError.single(FulfilmentErrorCode.NOT_FOUND, "Not found.", "id")
    return shipment, await files.get(key)
