"""Shipments: goods of an order on their way, in one or more parcels, with partial quantities
per line; registered with the carrier of the order's shipping method (domain/fulfilment/
carriers.py); the order's status follows through its state machine (partially shipped,
shipped, delivered) as a system change.

Staff create shipments with `shipment_create`; a supplier's channel calls `create_shipment`
inside its own command (it has checked the supplier may ship that order)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select

from domain.accounts.models import PortalUser
from domain.accounts.policies import require_staff_role
from domain.accounts.rights import StaffRole
from domain.accounts.viewer import Viewer
from domain.fulfilment.carriers import (
    CarrierError,
    LineToShip,
    ParcelToShip,
    Registration,
    ShipmentToRegister,
    carrier,
)
from domain.fulfilment.errors import FulfilmentErrorCode
from domain.fulfilment.models import Parcel, Shipment, ShipmentLine, ShipmentStatus
from domain.fulfilment.signals import ShipmentStatusChanged
from domain.fulfilment.terms import shop_terms
from domain.fulfilment.weights import Goods, line_weight_g
from domain.orders.lifecycle import order_for_update, transition
from domain.orders.models import Order, OrderLine
from domain.orders.state import OrderStatus
from domain.pricing.lines import CHARGE_KINDS, LineKind
from domain.shared import domain_events
from domain.shared.errors import DomainError, ErrorCollector
from domain.shared.ports import FileStorage
from domain.shared.uow import UnitOfWork

SHIPPING_ROLES = frozenset({StaffRole.ADMIN, StaffRole.SALES, StaffRole.PRODUCTION})
MAX_PARCELS = 50
SHIPPABLE = frozenset(
    {
        OrderStatus.RELEASED,
        OrderStatus.IN_PRODUCTION,
        OrderStatus.COMPLETED,
        OrderStatus.PARTIALLY_SHIPPED,
    }
)


@dataclass(frozen=True, slots=True)
class ShipmentLineInput:
    """A line of the order, by id or by its position on the order (1, 2, ...)."""

    quantity: int
    order_line_id: int | None = None
    position: int | None = None


@dataclass(frozen=True, slots=True)
class ShipmentCreate:
    order_id: int
    # The lines and quantities in the shipment; empty: everything not shipped yet.
    lines: Sequence[ShipmentLineInput] = ()
    # Parcel weights in grams; None for a parcel: its share of the goods' weight.
    parcels: Sequence[int | None] = (None,)
    carrier: str | None = None  # default: the order's shipping method's carrier, else built-in
    tracking_number: str = ""


async def shipped_quantities(uow: UnitOfWork, order_id: int) -> dict[int, int]:
    """Per order line, the quantity in shipments that did not fail."""
    rows = await uow.rows(
        select(ShipmentLine.order_line_id, func.sum(ShipmentLine.quantity))
        .join(Shipment, Shipment.id == ShipmentLine.shipment_id)
        .where(Shipment.order_id == order_id, Shipment.status != ShipmentStatus.FAILED)
        .group_by(ShipmentLine.order_line_id)
    )
    return {int(line_id): int(quantity) for line_id, quantity in rows}


def _chosen(
    goods: Sequence[OrderLine], shipped: Mapping[int, int], wanted: Sequence[ShipmentLineInput]
) -> list[tuple[OrderLine, int]]:
    """The lines and quantities to ship, each checked against what is left to ship."""
    left = {line.id: line.quantity - shipped.get(line.id, 0) for line in goods}
    by_id = {line.id: line for line in goods}
    by_position = {line.position: line for line in goods}
    if not wanted:
        chosen = [(line, left[line.id]) for line in goods if left[line.id] > 0]
        if not chosen:
            raise DomainError.single(
                FulfilmentErrorCode.NOTHING_TO_SHIP, "Everything is shipped.", "lines"
            )
        return chosen
    errors = ErrorCollector()
    chosen = []
    seen: set[int] = set()
    for index, item in enumerate(wanted):
        path = ("lines", str(index))
        line = (
            by_id.get(item.order_line_id)
            if item.order_line_id is not None
            else by_position.get(item.position or 0)
        )
        if line is None or line.id in seen:
            errors.add(FulfilmentErrorCode.NOT_FOUND, "Not a line of this order.", path)
            continue
        seen.add(line.id)
        if not 1 <= item.quantity <= left[line.id]:
            errors.add(
                FulfilmentErrorCode.INVALID_QUANTITY,
                f"From 1 to {left[line.id]} (not shipped yet).",
                (*path, "quantity"),
            )
            continue
        chosen.append((line, item.quantity))
    errors.raise_if_any()
    return chosen


def _parcel_weights(
    chosen: Sequence[tuple[OrderLine, int]], given: Sequence[int | None]
) -> list[int]:
    if not 1 <= len(given) <= MAX_PARCELS:
        raise DomainError.single(
            FulfilmentErrorCode.INVALID, f"From 1 to {MAX_PARCELS} parcels.", "parcels"
        )
    if any(w is not None and w < 0 for w in given):
        raise DomainError.single(FulfilmentErrorCode.INVALID, "Not negative.", "parcels")
    total = sum(line_weight_g(Goods(ln.kind, ln.specification, q)) for ln, q in chosen)
    known = sum(w for w in given if w is not None)
    unknown = sum(1 for w in given if w is None)
    share = max(0, round((total - known) / unknown)) if unknown else 0
    return [w if w is not None else share for w in given]


def _shipping_of(lines: Sequence[OrderLine]) -> Mapping[str, object]:
    for line in lines:
        if line.kind == LineKind.SHIPPING.value:
            shipping = line.specification.get("shipping")
            if isinstance(shipping, Mapping):
                return shipping
    return {}


async def _recipient_email(uow: UnitOfWork, order: Order) -> tuple[str, str]:
    if order.orderer_id is None:
        return "", ""
    user = await uow.session.get(PortalUser, order.orderer_id)
    return (user.email, user.full_name) if user is not None else ("", "")


def _tracking_url(template: str, tracking: str) -> str:
    return template.replace("{tracking}", tracking) if template and tracking else ""


async def create_shipment(
    uow: UnitOfWork,
    viewer: Viewer,
    order: Order,
    cmd: ShipmentCreate,
    *,
    files: FileStorage | None,
    source: str = "staff",
    tracking_url_template: str = "",
) -> Shipment:
    """Inside the caller's command, on a locked order the caller may ship: register the
    shipment with its carrier, store its labels and delivery note, move the order to
    partially shipped or shipped, record the `shipment.status_changed` event and mail the
    orderer the tracking links."""
    if order.status not in SHIPPABLE:
        raise DomainError.single(
            FulfilmentErrorCode.INVALID_TRANSITION,
            f"An order that is {order.status.value} cannot be shipped.",
            "orderId",
        )
    lines = list(
        await uow.scalars(
            select(OrderLine).where(OrderLine.order_id == order.id).order_by(OrderLine.position)
        )
    )
    goods = [line for line in lines if line.kind not in CHARGE_KINDS]
    shipped = await shipped_quantities(uow, order.id)
    chosen = _chosen(goods, shipped, cmd.lines)
    weights = _parcel_weights(chosen, cmd.parcels)
    shipping = _shipping_of(lines)
    code = cmd.carrier or str(shipping.get("carrier") or "builtin")
    adapter = carrier(code)
    if adapter is None:
        raise DomainError.single(FulfilmentErrorCode.UNKNOWN_CARRIER, "No such carrier.", "carrier")
    count = await uow.scalar(select(func.count(Shipment.id)).where(Shipment.order_id == order.id))
    number = f"{order.number}-S{int(count or 0) + 1}"
    email, _ = await _recipient_email(uow, order)
    request = ShipmentToRegister(
        shipment_number=number,
        order_number=order.number,
        sender=shop_terms().sender,
        recipient=order.delivery_address,
        parcels=[ParcelToShip(i, w) for i, w in enumerate(weights, start=1)],
        lines=[LineToShip(line.title, q, line.quantity) for line, q in chosen],
        service=str(shipping.get("carrierService") or ""),
        tracking_number=cmd.tracking_number.strip(),
        recipient_email=email,
    )
    try:
        registration = await adapter.register(request)
    except CarrierError as exc:
        raise DomainError.single(FulfilmentErrorCode.CARRIER_FAILED, str(exc)[:300]) from None
    shipment = await _store(
        uow, order, request, registration, code, files, source, viewer, tracking_url_template
    )
    for line, quantity in chosen:
        uow.session.add(
            ShipmentLine(shipment_id=shipment.id, order_line_id=line.id, quantity=quantity)
        )
        shipped[line.id] = shipped.get(line.id, 0) + quantity
    everything = all(shipped.get(line.id, 0) >= line.quantity for line in goods)
    target = OrderStatus.SHIPPED if everything else OrderStatus.PARTIALLY_SHIPPED
    if order.status is not target:
        await transition(uow, viewer, order, target, f"shipment {number}", system=True)
    await announce(uow, viewer, order, shipment, None)
    _tell_shipped(uow, order, shipment, registration)
    return shipment


async def _store(
    uow: UnitOfWork,
    order: Order,
    request: ShipmentToRegister,
    registration: Registration,
    code: str,
    files: FileStorage | None,
    source: str,
    viewer: Viewer,
    tracking_url_template: str,
) -> Shipment:
    labels = delivery_note = None
    if files is not None and registration.labels_pdf is not None:
        labels, _ = await files.put(registration.labels_pdf)
    if files is not None and registration.delivery_note_pdf is not None:
        delivery_note, _ = await files.put(registration.delivery_note_pdf)
    first = registration.parcels[0] if registration.parcels else None
    tracking = first.tracking_number if first else request.tracking_number
    shipment = Shipment(
        number=request.shipment_number,
        order_id=order.id,
        company_id=order.company_id,
        status=ShipmentStatus.CREATED,
        carrier=code,
        carrier_service=request.service,
        carrier_reference=registration.reference,
        tracking_number=tracking,
        tracking_url=(first.tracking_url if first else "")
        or _tracking_url(tracking_url_template, tracking),
        delivery_address=dict(order.delivery_address),
        label_key=labels,
        delivery_note_key=delivery_note,
        created_by_staff_id=viewer.user_id if viewer.is_staff else None,
        source=source,
    )
    uow.session.add(shipment)
    await uow.session.flush()
    for parcel, registered in zip(request.parcels, registration.parcels, strict=False):
        uow.session.add(
            Parcel(
                shipment_id=shipment.id,
                position=parcel.position,
                weight_g=parcel.weight_g,
                tracking_number=registered.tracking_number,
                tracking_url=registered.tracking_url
                or _tracking_url(tracking_url_template, registered.tracking_number),
            )
        )
    return shipment


def _tell_shipped(
    uow: UnitOfWork, order: Order, shipment: Shipment, registration: Registration
) -> None:
    """`shipment.shipped`, for the orderer's notification (domain/notifications/kinds.py:
    its template, language and preferences) with every parcel's tracking."""
    parcels = [
        {"trackingNumber": p.tracking_number, "trackingUrl": p.tracking_url or ""}
        for p in registration.parcels
        if p.tracking_number
    ]
    if not parcels and shipment.tracking_number:
        parcels = [
            {"trackingNumber": shipment.tracking_number, "trackingUrl": shipment.tracking_url}
        ]
    uow.record_event(
        "shipment.shipped",
        order.company_id,
        {
            "orderId": order.id,
            "number": order.number,
            "ordererId": order.orderer_id,
            "shipmentId": shipment.id,
            "shipmentNumber": shipment.number,
            "partial": order.status is OrderStatus.PARTIALLY_SHIPPED,
            "carrier": shipment.carrier,
            "trackingNumber": shipment.tracking_number,
            "trackingUrl": shipment.tracking_url,
            "parcels": parcels,
        },
    )


async def announce(
    uow: UnitOfWork,
    viewer: Viewer,
    order: Order,
    shipment: Shipment,
    previous: ShipmentStatus | None,
) -> None:
    uow.record_event(
        "shipment.status_changed",
        order.company_id,
        {
            "shipmentId": shipment.id,
            "orderId": order.id,
            "number": shipment.number,
            "from": previous.value if previous else None,
            "status": shipment.status.value,
            "ordererId": order.orderer_id,
            "trackingNumber": shipment.tracking_number,
            "trackingUrl": shipment.tracking_url,
        },
    )
    if shipment.status is ShipmentStatus.DELIVERED:
        uow.record_event(
            "shipment.delivered",
            order.company_id,
            {
                "orderId": order.id,
                "number": order.number,
                "ordererId": order.orderer_id,
                "shipmentId": shipment.id,
                "shipmentNumber": shipment.number,
                "trackingNumber": shipment.tracking_number,
            },
        )
    await domain_events.publish(
        uow, ShipmentStatusChanged(shipment, order, previous, shipment.status, viewer)
    )


async def shipment_create(
    uow: UnitOfWork,
    viewer: Viewer,
    cmd: ShipmentCreate,
    *,
    files: FileStorage | None,
    tracking_url_template: str = "",
) -> Shipment:
    """Requires staff role ADMIN, SALES or PRODUCTION. A shipment of the order's goods (all
    that is left, or the given quantities) in the given parcels."""
    require_staff_role(viewer, SHIPPING_ROLES)
    async with uow:
        order = await order_for_update(uow, viewer, cmd.order_id)
        shipment = await create_shipment(
            uow, viewer, order, cmd, files=files, tracking_url_template=tracking_url_template
        )
        await uow.commit()
        return shipment
