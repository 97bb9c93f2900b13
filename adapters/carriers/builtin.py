"""The built-in carrier: the shop's own delivery and pickup at the counter. It registers
nothing anywhere; it numbers the parcels and renders their labels and the delivery note."""

from __future__ import annotations

from adapters.carriers.documents import delivery_note_html, labels_html, render_pdf
from domain.fulfilment.carriers import RegisteredParcel, Registration, ShipmentToRegister


class BuiltinCarrier:
    code = "builtin"

    async def register(self, shipment: ShipmentToRegister) -> Registration:
        """Parcel n gets the tracking number ``<shipment>-<n>`` (or staff's number with the
        suffix), printed on its label as a QR code."""
        base = shipment.tracking_number or shipment.shipment_number
        tracking = [f"{base}-{parcel.position}" for parcel in shipment.parcels]
        return Registration(
            parcels=[RegisteredParcel(code) for code in tracking],
            reference=shipment.shipment_number,
            labels_pdf=await render_pdf(labels_html(shipment, tracking)),
            delivery_note_pdf=await render_pdf(delivery_note_html(shipment)),
        )
