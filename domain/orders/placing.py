"""The one order-placement service every way of placing an order shares (checkout, staff
entry, call-offs): number the order, add it with its priced lines and totals, then record it
as placed (first history entry, the `OrderStatusChanged` domain event production makes jobs
from, and the `order.placed` outbox event)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from sqlalchemy import select, text

from domain.accounts.viewer import Viewer
from domain.orders.models import Order, OrderLine, OrderStatusChange
from domain.orders.signals import OrderStatusChanged
from domain.orders.state import INITIAL, OrderKind, OrderStatus
from domain.pricing.lines import LineKind, PricedLine
from domain.pricing.result import PriceResult
from domain.shared import domain_events
from domain.shared.errors import ErrorCollector
from domain.shared.money import Money
from domain.shared.uow import UnitOfWork

NUMBER_PREFIXES = {
    OrderKind.WEB: "i",
    OrderKind.QUOTE: "i",
    OrderKind.STAFF: "o",
    OrderKind.CALL_OFF: "c",
}


def check_idempotency_key(errors: ErrorCollector, key: str, code: Enum) -> None:
    """Every placing command carries a key (1-100 characters): the same key, the same order."""
    if not key.strip() or len(key) > 100:
        errors.add(code, "An idempotency key (1-100 characters) is required.", "idempotencyKey")


def check_delivery_date(
    errors: ErrorCollector, desired: dt.date | None, today: dt.date, code: Enum
) -> None:
    if desired is not None and desired < today:
        errors.add(code, "The desired delivery date is in the past.", "desiredDeliveryDate")


def price_lines_json(result: PriceResult) -> list[dict[str, Any]]:
    """The engine's lines as stored on an order line (production reads paper counts there)."""
    return [
        {"code": p.code, "label": p.label, "amount": p.amount.amount, "detail": p.detail}
        for p in result.lines
    ]


@dataclass(frozen=True, slots=True)
class OrderDraft:
    """The order's head, as the placing command decided it."""

    kind: OrderKind
    company_id: int
    status: OrderStatus
    currency: str
    channel_id: int | None = None
    orderer_id: int | None = None
    entered_by_staff_id: int | None = None
    idempotency_key: str | None = None
    # What the request said (domain/shared/idempotency.py): a key reused for another request
    # is refused instead of answering with this order.
    idempotency_fingerprint: str | None = None
    customer_reference: str = ""
    desired_delivery_date: dt.date | None = None
    delivery_address: Mapping[str, Any] = field(default_factory=dict)
    payment_method: str = "ON_ACCOUNT"
    remarks: str = ""


@dataclass(frozen=True, slots=True)
class LineToPlace:
    """A priced line and what is charged for it (the engine's net, or one a price token
    honours); VAT is computed from that net by pricing."""

    priced: PricedLine
    net: int
    remarks: str = ""
    personalisation: Mapping[str, Any] = field(default_factory=dict)
    # Where the line is made when the placing command already knows (an accepted quote's line
    # sourced from a partner); None: routing decides by its rules (domain/routing).
    route_supplier_id: int | None = None


def line_charge(priced: PricedLine, net: int, currency: str) -> tuple[int, int]:
    """What a line is charged: its net and the VAT on that net (the cart's totals use it too,
    domain/orders/cart_totals.py)."""
    return net, priced.vat(Money(net, currency)).amount


def _order_line(order: Order, position: int, line: LineToPlace) -> OrderLine:
    priced, request = line.priced, line.priced.request
    _, vat = line_charge(priced, line.net, order.currency)
    return OrderLine(
        order_id=order.id,
        position=position,
        kind=request.kind,
        product_id=priced.product_id,
        product_version_id=priced.version_id,
        part_id=request.item_id if request.kind == LineKind.LASER_PART else None,
        stock_item_id=request.item_id if request.kind == LineKind.STOCK_ITEM else None,
        title=priced.title,
        specification=priced.specification,
        personalisation=dict(line.personalisation),
        remarks=line.remarks,
        quantity=request.quantity,
        net_amount=line.net,
        vat_amount=vat,
        vat_rate_percent=priced.vat_rate_percent,
        price_lines=price_lines_json(priced.result) if priced.result is not None else [],
        route_supplier_id=line.route_supplier_id,
    )


async def add_order(uow: UnitOfWork, draft: OrderDraft, lines: Sequence[LineToPlace]) -> Order:
    """Number the order (one sequence, a prefix per kind), add it and its lines with totals."""
    assert draft.status in INITIAL
    number = await uow.scalar(select(text("nextval('order_number_seq')")))
    order = Order(
        number=f"{NUMBER_PREFIXES[draft.kind]}-{number}",
        kind=draft.kind.value,
        company_id=draft.company_id,
        orderer_id=draft.orderer_id,
        entered_by_staff_id=draft.entered_by_staff_id,
        channel_id=draft.channel_id,
        status=draft.status,
        idempotency_key=draft.idempotency_key,
        idempotency_fingerprint=draft.idempotency_fingerprint,
        customer_reference=draft.customer_reference.strip(),
        desired_delivery_date=draft.desired_delivery_date,
        delivery_address=dict(draft.delivery_address),
        payment_method=draft.payment_method,
        remarks=draft.remarks.strip(),
        currency=draft.currency,
        net_amount=0,
        vat_amount=0,
        gross_amount=0,
    )
    uow.session.add(order)
    await uow.session.flush()
    rows = [_order_line(order, position, line) for position, line in enumerate(lines, start=1)]
    uow.session.add_all(rows)
    order.net_amount = sum(row.net_amount for row in rows)
    order.vat_amount = sum(row.vat_amount for row in rows)
    order.gross_amount = order.net_amount + order.vat_amount
    return order


async def record_placed(uow: UnitOfWork, viewer: Viewer, order: Order, reason: str) -> None:
    """Inside the placing command, after the order and its lines are added: the first history
    entry, the domain event subscribers react to (a released order gets its jobs), and the
    `order.placed` event for outside watchers."""
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
    await domain_events.publish(uow, OrderStatusChanged(order, None, order.status, viewer))
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
