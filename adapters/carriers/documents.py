"""Shipping labels and delivery notes: HTML/CSS rendered to PDF by WeasyPrint.

A label is an A6 page per parcel (sender, recipient, parcel n of m, the shipment number as a
QR code and in plain text); a delivery note is an A4 page listing the lines and quantities in
the shipment (and what was ordered, for a partial shipment)."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from html import escape
from typing import Any

from domain.fulfilment.carriers import ParcelToShip, ShipmentToRegister

_LABEL_CSS = """
@page { size: 105mm 148mm; margin: 6mm; }
body { font-family: sans-serif; font-size: 9pt; }
.label { page-break-after: always; }
.label:last-child { page-break-after: auto; }
.from { font-size: 7pt; border-bottom: 0.3mm solid #000; padding-bottom: 2mm; }
.to { font-size: 12pt; margin: 6mm 0; line-height: 1.3; }
.parcel { font-size: 16pt; font-weight: bold; }
.code { margin-top: 4mm; text-align: center; }
.code svg { width: 38mm; height: 38mm; }
"""

_NOTE_CSS = """
@page { size: A4; margin: 18mm; }
body { font-family: sans-serif; font-size: 10pt; }
table { width: 100%; border-collapse: collapse; margin-top: 8mm; }
th, td { border-bottom: 0.2mm solid #999; padding: 2mm; text-align: left; }
td.qty, th.qty { text-align: right; }
.addresses { display: flex; justify-content: space-between; margin-top: 6mm; }
"""


def address_html(address: Mapping[str, Any]) -> str:
    parts = [
        address.get("name", ""),
        address.get("street", ""),
        f"{address.get('postalCode', '')} {address.get('city', '')}".strip(),
        address.get("country", ""),
    ]
    return "<br>".join(escape(str(p)) for p in parts if p)


def qr_svg(data: str) -> str:
    """The QR code of ``data`` as inline SVG (scanned at the counter or by the driver)."""
    import segno  # loaded with the first label, like the renderer

    return str(segno.make(data, error="m").svg_inline(scale=4, border=1))


def _label(shipment: ShipmentToRegister, parcel: ParcelToShip, tracking: str) -> str:
    count = len(shipment.parcels)
    return f"""
<section class="label">
  <div class="from">{address_html(shipment.sender)}</div>
  <div class="to">{address_html(shipment.recipient)}</div>
  <div class="parcel">Parcel {parcel.position} of {count}</div>
  <div>Shipment {escape(shipment.shipment_number)} · Order {escape(shipment.order_number)}</div>
  <div>Weight {parcel.weight_g / 1000:.2f} kg</div>
  <div class="code">{qr_svg(tracking)}<div>{escape(tracking)}</div></div>
</section>"""


def labels_html(shipment: ShipmentToRegister, tracking: list[str]) -> str:
    body = "".join(
        _label(shipment, parcel, code)
        for parcel, code in zip(shipment.parcels, tracking, strict=True)
    )
    return f"<html><head><style>{_LABEL_CSS}</style></head><body>{body}</body></html>"


def delivery_note_html(shipment: ShipmentToRegister) -> str:
    rows = "".join(
        f"<tr><td>{escape(line.title)}</td><td class='qty'>{line.quantity}</td>"
        f"<td class='qty'>{line.ordered}</td></tr>"
        for line in shipment.lines
    )
    return f"""<html><head><style>{_NOTE_CSS}</style></head><body>
<h1>Delivery note {escape(shipment.shipment_number)}</h1>
<div>Order {escape(shipment.order_number)} · {len(shipment.parcels)} parcel(s)</div>
<div class="addresses">
  <div><strong>From</strong><br>{address_html(shipment.sender)}</div>
  <div><strong>To</strong><br>{address_html(shipment.recipient)}</div>
</div>
<table><thead><tr><th>Item</th><th class="qty">Delivered</th><th class="qty">Ordered</th></tr>
</thead><tbody>{rows}</tbody></table>
</body></html>"""


def _render(html: str) -> bytes:
    # WeasyPrint (with fontTools and Pillow, ~40 MiB) loads on the first document, not in
    # every process that serves requests (tests/unit/test_start_up_imports.py).
    import weasyprint

    return bytes(weasyprint.HTML(string=html).write_pdf())


async def render_pdf(html: str) -> bytes:
    """Render off the event loop: layout is CPU work of tens of milliseconds."""
    return await asyncio.to_thread(_render, html)
