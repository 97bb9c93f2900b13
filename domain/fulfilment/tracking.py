"""Tracking reported by a carrier (a webhook): a parcel's status, and the shipment's status
that follows from all its parcels: failed if one failed, else as far as its slowest parcel.

The carrier acts for the shop: its changes move shipments and orders as system changes."""

from __future__ import annotations

from sqlalchemy import select

from domain.accounts.rights import StaffRole
from domain.accounts.viewer import Viewer, ViewerKind
from domain.fulfilment.models import Parcel, Shipment, ShipmentStatus
from domain.fulfilment.shipment_status import SHIPMENT_TRANSITIONS, set_status
from domain.shared.uow import UnitOfWork

# The shop's own system acting on a carrier's report (no user; changes are SYSTEM changes).
CARRIER_VIEWER = Viewer(ViewerKind.STAFF, role=StaffRole.ADMIN)
_PROGRESS = (ShipmentStatus.CREATED, ShipmentStatus.IN_TRANSIT, ShipmentStatus.DELIVERED)


def shipment_status_of(parcels: list[ShipmentStatus]) -> ShipmentStatus:
    """Failed if any parcel failed; otherwise the least advanced parcel's status."""
    if ShipmentStatus.FAILED in parcels:
        return ShipmentStatus.FAILED
    return min(parcels, key=_PROGRESS.index, default=ShipmentStatus.CREATED)


async def carrier_parcel_status(
    uow: UnitOfWork, carrier: str, tracking_number: str, status: ShipmentStatus
) -> Shipment | None:
    """Inside the caller's command: record the carrier's status of the parcel it tracks as
    ``tracking_number`` and move its shipment (and order) when all parcels say so. None when
    no parcel of that carrier has the number (another system's parcel: ignored)."""
    found = (
        await uow.rows(
            select(Parcel, Shipment)
            .join(Shipment, Shipment.id == Parcel.shipment_id)
            .where(Parcel.tracking_number == tracking_number, Shipment.carrier == carrier)
            .with_for_update()
        )
        if tracking_number
        else []
    )
    if not found:
        return None
    parcel: Parcel = found[0][0]
    shipment: Shipment = found[0][1]
    if status not in _PROGRESS or _PROGRESS.index(status) > _PROGRESS.index(parcel.status):
        if parcel.status is not ShipmentStatus.FAILED:
            parcel.status = status
    await uow.session.flush()
    statuses = list(
        await uow.scalars(select(Parcel.status).where(Parcel.shipment_id == shipment.id))
    )
    target = shipment_status_of(statuses)
    if target in SHIPMENT_TRANSITIONS[shipment.status]:
        return await set_status(uow, CARRIER_VIEWER, shipment.id, target)
    return shipment
