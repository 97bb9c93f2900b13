"""Call-off orders: a portal user calls off stock held for the company. The order follows the
usual flow (binding with PLACE_ORDERS, a proposal with REQUEST_ORDERS), numbered c-… from the
shared sequence; the quantities are reserved the moment it is created, released when it is
rejected or cancelled, and issued when it is delivered."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from domain.accounts.viewer import Viewer
from domain.catalog.models import Channel
from domain.orders.delivery import DeliveryAddress, check_delivery_address, delivery_address
from domain.orders.models import Order
from domain.orders.placing import (
    LineToPlace,
    OrderDraft,
    add_order,
    check_delivery_date,
    check_idempotency_key,
    record_placed,
)
from domain.orders.policies import places_binding
from domain.orders.signals import OrderStatusChanged
from domain.orders.state import OrderKind, OrderStatus
from domain.pricing.lines import LineKind, LineRequest
from domain.shared import domain_events
from domain.shared.errors import DomainError, ErrorCollector
from domain.shared.idempotency import request_fingerprint
from domain.shared.models import utcnow
from domain.shared.uow import UnitOfWork
from domain.stock.errors import StockErrorCode
from domain.stock.ledger import lock_items, outstanding_reservations, post_movement, reload
from domain.stock.line_pricing import StockItemLinePricing
from domain.stock.models import MovementKind, StockItem
from domain.stock.policies import require_call_off, stock_scope
from domain.stock.rules import available, check_lines, check_text

CALL_OFF = "CALL_OFF"


@dataclass(frozen=True, slots=True)
class CallOffLine:
    stock_item_id: int
    quantity: int


@dataclass(frozen=True, slots=True)
class CallOffCreate:
    idempotency_key: str
    lines: Sequence[CallOffLine] = field(default_factory=tuple)
    customer_reference: str = ""
    desired_delivery_date: dt.date | None = None
    remarks: str = ""
    delivery_address: DeliveryAddress | None = None


def validate_call_off(cmd: CallOffCreate, today: dt.date) -> None:
    """Every input problem at once, before anything is read or locked."""
    errors = ErrorCollector()
    check_idempotency_key(errors, cmd.idempotency_key, StockErrorCode.REQUIRED)
    check_lines(
        errors,
        [(line.stock_item_id, line.quantity) for line in cmd.lines],
        id_field="stockItemId",
    )
    check_delivery_date(errors, cmd.desired_delivery_date, today, StockErrorCode.INVALID_DATE)
    check_text(errors, cmd.customer_reference, "customerReference", limit=100)
    check_text(errors, cmd.remarks, "remarks", limit=2000)
    check_delivery_address(errors, cmd.delivery_address, StockErrorCode.INVALID_ADDRESS)
    errors.raise_if_any()


async def stock_call_off_create(uow: UnitOfWork, viewer: Viewer, cmd: CallOffCreate) -> Order:
    """Requires PLACE_ORDERS (released at once with a picking job) or REQUEST_ORDERS (a
    proposal for a colleague with APPROVE_ORDERS). Either way the quantities are reserved at
    once, or the whole call-off is refused with INSUFFICIENT_STOCK per short line. The same
    idempotency key gives the same call-off, never two."""
    require_call_off(viewer)
    assert viewer.company_id is not None
    validate_call_off(cmd, utcnow().date())
    async with uow:
        existing = await _existing(uow, viewer.company_id, cmd)
        if existing is not None:
            return existing
        try:
            order = await _place(uow, viewer, cmd)
            await uow.commit()
        except IntegrityError:
            # The same key placed concurrently: answer with the call-off that won.
            await uow.rollback()
            winner = await _existing(uow, viewer.company_id, cmd)
            if winner is None:
                raise
            return winner
        return order


async def _existing(uow: UnitOfWork, company_id: int, cmd: CallOffCreate) -> Order | None:
    order: Order | None = await uow.scalar(
        select(Order).where(
            Order.company_id == company_id, Order.idempotency_key == cmd.idempotency_key
        )
    )
    if order is not None and order.kind != CALL_OFF:
        raise DomainError.single(
            StockErrorCode.IDEMPOTENCY_KEY_REUSED,
            "This idempotency key was used for another kind of order.",
            "idempotencyKey",
        )
    if order is not None and order.idempotency_fingerprint not in (None, request_fingerprint(cmd)):
        raise DomainError.single(
            StockErrorCode.IDEMPOTENCY_KEY_REUSED,
            "This idempotency key was used for a different call-off; use a new key for a new "
            "request.",
            "idempotencyKey",
        )
    return order


async def _place(uow: UnitOfWork, viewer: Viewer, cmd: CallOffCreate) -> Order:
    """Through the shared order placement: the items as zero-priced lines, reserved before
    the order is recorded as placed."""
    assert viewer.company_id is not None
    await _items(uow, viewer, cmd.lines)
    pricing = StockItemLinePricing()
    lines = [
        LineToPlace(
            await pricing.price(
                uow,
                viewer,
                LineRequest(LineKind.STOCK_ITEM, None, None, line.quantity, {}, line.stock_item_id),
            ),
            0,
        )
        for line in cmd.lines
    ]
    binding = places_binding(viewer)
    draft = OrderDraft(
        kind=OrderKind.CALL_OFF,
        company_id=viewer.company_id,
        orderer_id=viewer.user_id,
        status=OrderStatus.RELEASED if binding else OrderStatus.PENDING_APPROVAL,
        idempotency_key=cmd.idempotency_key,
        idempotency_fingerprint=request_fingerprint(cmd),
        customer_reference=cmd.customer_reference.strip(),
        desired_delivery_date=cmd.desired_delivery_date,
        delivery_address=await delivery_address(
            uow,
            viewer.company_id,
            cmd.delivery_address,
            missing_code=StockErrorCode.INVALID_ADDRESS,
        ),
        remarks=cmd.remarks,
        # The stock is the customer's own: a call-off costs nothing by itself.
        currency=await _currency(uow),
    )
    order = await add_order(uow, draft, lines)
    await _reserve(uow, viewer, order, cmd.lines)
    await record_placed(uow, viewer, order, "called off" if binding else "proposed")
    return order


async def _items(
    uow: UnitOfWork, viewer: Viewer, lines: Sequence[CallOffLine]
) -> dict[int, StockItem]:
    """The company's items; another company's answers exactly like a missing one."""
    rows = await uow.scalars(
        select(StockItem).where(
            StockItem.id.in_([line.stock_item_id for line in lines]), stock_scope(viewer)
        )
    )
    found = {r.id: r for r in rows}
    errors = ErrorCollector()
    for index, line in enumerate(lines):
        if line.stock_item_id not in found:
            errors.add(
                StockErrorCode.NOT_FOUND,
                "Stock item not found.",
                ("lines", str(index), "stockItemId"),
            )
    errors.raise_if_any()
    return found


async def _reserve(
    uow: UnitOfWork, viewer: Viewer, order: Order, lines: Sequence[CallOffLine]
) -> None:
    errors = ErrorCollector()
    # Ascending item id: concurrent call-offs lock rows in one order and never deadlock.
    for index, line in sorted(enumerate(lines), key=lambda p: p[1].stock_item_id):
        levels = await post_movement(
            uow,
            viewer,
            line.stock_item_id,
            MovementKind.CALL_OFF_RESERVATION,
            reserved_delta=line.quantity,
            order_id=order.id,
            reason=f"call-off {order.number}",
        )
        if levels is None:
            item = await reload(uow, line.stock_item_id)
            left = available(item.on_hand, item.reserved, item.unlimited)
            errors.add(
                StockErrorCode.INSUFFICIENT_STOCK,
                f"Only {left} {item.unit.value.lower()} of {item.sku} can be called off.",
                ("lines", str(index), "quantity"),
            )
    errors.raise_if_any()


async def _currency(uow: UnitOfWork) -> str:
    currency: str | None = await uow.scalar(
        select(Channel.currency).where(Channel.is_active.is_(True)).order_by(Channel.id).limit(1)
    )
    return currency or "EUR"


async def on_order_status(uow: UnitOfWork, event: OrderStatusChanged) -> None:
    """Subscribed at start-up to every order's status change (see `subscribe`): a call-off
    follows its order."""
    if event.order.kind == OrderKind.CALL_OFF and event.previous is not None:
        await follow_call_off(uow, event.viewer, event.order, event.status, system=event.system)


def subscribe() -> None:
    """Register the call-off's handler (idempotent)."""
    domain_events.subscribe(OrderStatusChanged, on_order_status)


async def follow_call_off(
    uow: UnitOfWork, viewer: Viewer, order: Order, target: OrderStatus, *, system: bool = False
) -> None:
    """Every transition of a call-off: rejected or cancelled releases what the order still
    holds, delivered issues it (the reservation becomes a withdrawal). Unlimited items issue
    from the shelf down to zero at most."""
    if target in (OrderStatus.REJECTED, OrderStatus.CANCELLED):
        kind = MovementKind.RELEASE
    elif target is OrderStatus.DELIVERED:
        kind = MovementKind.ISSUE
    else:
        return
    held = {k: v for k, v in (await outstanding_reservations(uow, order.id)).items() if v > 0}
    items = await lock_items(uow, held)
    for item_id in sorted(held):
        quantity = held[item_id]
        on_hand_delta = 0
        if kind is MovementKind.ISSUE:
            item = items[item_id]
            on_hand_delta = -(min(quantity, item.on_hand) if item.unlimited else quantity)
        levels = await post_movement(
            uow,
            viewer,
            item_id,
            kind,
            on_hand_delta=on_hand_delta,
            reserved_delta=-quantity,
            order_id=order.id,
            reason=f"{order.number} {target.value.lower()}",
            system=system,
        )
        if levels is None:  # the reservation is part of `reserved`, so this cannot happen
            raise RuntimeError(f"the ledger refused {kind.value} of item {item_id}")
