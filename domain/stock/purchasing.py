"""Suppliers, purchase orders with partial receipts, and reorder suggestions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, fields

from sqlalchemy import func, select, text

from domain.accounts.validation import EMAIL_RE
from domain.accounts.viewer import Viewer
from domain.shared.errors import DomainError, ErrorCollector
from domain.shared.models import utcnow
from domain.shared.unset import UNSET, Unset
from domain.shared.uow import UnitOfWork
from domain.stock.errors import StockErrorCode
from domain.stock.ledger import post_movement
from domain.stock.models import (
    MovementKind,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseOrderStatus,
    StockItem,
    Supplier,
)
from domain.stock.policies import RECEIVING_ROLES, STOCK_DESK_ROLES, require_stock_role
from domain.stock.rules import (
    check_lines,
    check_text,
    purchase_order_status,
    suggested_quantity,
)

NF = StockErrorCode.NOT_FOUND
OPEN_STATUSES = (PurchaseOrderStatus.OPEN, PurchaseOrderStatus.PARTIALLY_RECEIVED)


@dataclass(frozen=True, slots=True)
class SupplierData:
    name: str | Unset = UNSET
    email: str | Unset | None = UNSET
    lead_time_days: int | Unset = UNSET
    is_active: bool | Unset = UNSET


def _check_supplier(errors: ErrorCollector, values: dict[str, object]) -> None:
    if "name" in values:
        check_text(errors, str(values["name"]), "name", limit=200, required=True)
    email = values.get("email")
    if isinstance(email, str) and (not EMAIL_RE.fullmatch(email) or len(email) > 254):
        errors.add(StockErrorCode.INVALID_EMAIL, "Enter a valid e-mail address.", "email")
    lead = values.get("lead_time_days")
    if isinstance(lead, int) and not 0 <= lead <= 365:
        errors.add(StockErrorCode.INVALID, "From 0 to 365 days.", "leadTimeDays")


async def supplier_save(
    uow: UnitOfWork, viewer: Viewer, supplier_id: int | None, data: SupplierData
) -> Supplier:
    """Requires staff role ADMIN or SALES. Creates a supplier (``supplier_id`` None; a name is
    required) or changes the given fields of one."""
    require_stock_role(viewer, STOCK_DESK_ROLES)
    values = {f.name: getattr(data, f.name) for f in fields(data)}
    values = {
        k: v.strip() if isinstance(v, str) else v for k, v in values.items() if v is not UNSET
    }
    errors = ErrorCollector()
    if supplier_id is None and "name" not in values:
        errors.add(StockErrorCode.REQUIRED, "This field is required.", "name")
    _check_supplier(errors, values)
    errors.raise_if_any()
    async with uow:
        if supplier_id is None:
            supplier = Supplier(name="", lead_time_days=0, is_active=True)
            uow.session.add(supplier)
        else:
            found = await uow.session.get(Supplier, supplier_id, with_for_update=True)
            if found is None:
                raise DomainError.single(NF, "Supplier not found.", "id")
            supplier = found
        if "name" in values:
            clash = await uow.scalar(
                select(Supplier.id).where(
                    func.lower(Supplier.name) == str(values["name"]).lower(),
                    Supplier.id != (supplier_id or 0),
                )
            )
            if clash is not None:
                raise DomainError.single(
                    StockErrorCode.DUPLICATE_NAME, "A supplier has this name already.", "name"
                )
        for key, value in values.items():
            setattr(supplier, key, (value or None) if key == "email" else value)
        await uow.session.flush()
        await uow.commit()
        return supplier


@dataclass(frozen=True, slots=True)
class PurchaseOrderCreate:
    supplier_id: int
    lines: Sequence[tuple[int, int]] = field(default_factory=tuple)  # (stock item id, quantity)
    expected_date: dt.date | None = None
    remarks: str = ""


async def purchase_order_create(
    uow: UnitOfWork, viewer: Viewer, cmd: PurchaseOrderCreate
) -> PurchaseOrder:
    """Requires staff role ADMIN or SALES. Every item must be bought from this supplier; the
    expected date defaults to today plus the supplier's lead time."""
    require_stock_role(viewer, STOCK_DESK_ROLES)
    errors = ErrorCollector()
    check_lines(errors, cmd.lines, id_field="stockItemId")
    check_text(errors, cmd.remarks, "remarks", limit=2000)
    if cmd.expected_date is not None and cmd.expected_date < utcnow().date():
        errors.add(StockErrorCode.INVALID_DATE, "The expected date is in the past.", "expectedDate")
    errors.raise_if_any()
    async with uow:
        supplier = await uow.session.get(Supplier, cmd.supplier_id)
        if supplier is None:
            raise DomainError.single(NF, "Supplier not found.", "supplierId")
        if not supplier.is_active:
            raise DomainError.single(
                StockErrorCode.SUPPLIER_INACTIVE, "This supplier is inactive.", "supplierId"
            )
        items = {
            i.id: i
            for i in await uow.scalars(
                select(StockItem).where(StockItem.id.in_([item_id for item_id, _ in cmd.lines]))
            )
        }
        for index, (item_id, _) in enumerate(cmd.lines):
            path = ("lines", str(index), "stockItemId")
            if item_id not in items:
                errors.add(NF, "Stock item not found.", path)
            elif items[item_id].supplier_id != supplier.id:
                errors.add(
                    StockErrorCode.SUPPLIER_MISMATCH,
                    f"{items[item_id].sku} is not bought from {supplier.name}.",
                    path,
                )
        errors.raise_if_any()
        number = await uow.scalar(select(text("nextval('purchase_order_number_seq')")))
        order = PurchaseOrder(
            number=f"PO-{number}",
            supplier_id=supplier.id,
            status=PurchaseOrderStatus.OPEN,
            expected_date=cmd.expected_date
            or utcnow().date() + dt.timedelta(days=supplier.lead_time_days),
            remarks=cmd.remarks.strip(),
            created_by_id=viewer.user_id,
        )
        uow.session.add(order)
        await uow.session.flush()
        uow.session.add_all(
            PurchaseOrderLine(
                purchase_order_id=order.id,
                position=position,
                stock_item_id=item_id,
                quantity_ordered=quantity,
                quantity_received=0,
            )
            for position, (item_id, quantity) in enumerate(cmd.lines, start=1)
        )
        await uow.session.flush()
        await uow.commit()
        return order


async def _purchase_order_for_update(uow: UnitOfWork, order_id: int) -> PurchaseOrder:
    order = await uow.session.get(PurchaseOrder, order_id, with_for_update=True)
    if order is None:
        raise DomainError.single(NF, "Purchase order not found.", "id")
    if order.status not in OPEN_STATUSES:
        raise DomainError.single(
            StockErrorCode.INVALID_TRANSITION,
            f"The purchase order is {order.status.value.lower().replace('_', ' ')}.",
            "id",
        )
    return order


async def purchase_order_receive(
    uow: UnitOfWork,
    viewer: Viewer,
    order_id: int,
    lines: Sequence[tuple[int, int]],
    note: str = "",
) -> PurchaseOrder:
    """Requires staff role ADMIN, SALES or PRODUCTION. A delivery of some lines, possibly
    partial: each posts a RECEIPT; more than is still outstanding is refused (OVER_RECEIPT)."""
    require_stock_role(viewer, RECEIVING_ROLES)
    errors = ErrorCollector()
    check_lines(errors, lines, id_field="stockItemId")
    check_text(errors, note, "note", limit=500)
    errors.raise_if_any()
    async with uow:
        order = await _purchase_order_for_update(uow, order_id)
        po_lines = {
            line.stock_item_id: line
            for line in await uow.scalars(
                select(PurchaseOrderLine).where(PurchaseOrderLine.purchase_order_id == order.id)
            )
        }
        for index, (item_id, quantity) in enumerate(lines):
            line = po_lines.get(item_id)
            if line is None:
                errors.add(
                    NF,
                    "This item is not on the purchase order.",
                    ("lines", str(index), "stockItemId"),
                )
            elif quantity > line.quantity_ordered - line.quantity_received:
                errors.add(
                    StockErrorCode.OVER_RECEIPT,
                    f"Only {line.quantity_ordered - line.quantity_received} are outstanding.",
                    ("lines", str(index), "quantity"),
                )
        errors.raise_if_any()
        for item_id, quantity in sorted(lines):
            po_lines[item_id].quantity_received += quantity
            levels = await post_movement(
                uow,
                viewer,
                item_id,
                MovementKind.RECEIPT,
                on_hand_delta=quantity,
                purchase_order_id=order.id,
                reason=note.strip() or f"received on {order.number}",
            )
            assert levels is not None
        order.status = purchase_order_status(
            [(line.quantity_ordered, line.quantity_received) for line in po_lines.values()]
        )
        await uow.session.flush()
        await uow.commit()
        return order


async def purchase_order_cancel(uow: UnitOfWork, viewer: Viewer, order_id: int) -> PurchaseOrder:
    """Requires staff role ADMIN or SALES; what was received so far stays received."""
    require_stock_role(viewer, STOCK_DESK_ROLES)
    async with uow:
        order = await _purchase_order_for_update(uow, order_id)
        order.status = PurchaseOrderStatus.CANCELLED
        await uow.session.flush()
        await uow.commit()
        return order


@dataclass(frozen=True, slots=True)
class Suggestion:
    item: StockItem
    available: int
    on_order: int
    quantity: int


async def purchase_suggestions(
    uow: UnitOfWork, viewer: Viewer, supplier_id: int | None = None
) -> list[tuple[Supplier, list[Suggestion]]]:
    """Staff only. Limited items whose available stock plus what is on open purchase orders
    falls under the reorder point, grouped by supplier, quantities in order multiples."""
    if not viewer.is_staff:
        return []
    on_order = (
        select(
            PurchaseOrderLine.stock_item_id,
            func.sum(
                PurchaseOrderLine.quantity_ordered - PurchaseOrderLine.quantity_received
            ).label("qty"),
        )
        .join(PurchaseOrder, PurchaseOrder.id == PurchaseOrderLine.purchase_order_id)
        .where(PurchaseOrder.status.in_(OPEN_STATUSES))
        .group_by(PurchaseOrderLine.stock_item_id)
        .subquery()
    )
    stmt = (
        select(StockItem, Supplier, func.coalesce(on_order.c.qty, 0))
        .join(Supplier, Supplier.id == StockItem.supplier_id)
        .outerjoin(on_order, on_order.c.stock_item_id == StockItem.id)
        .where(
            StockItem.unlimited.is_(False),
            StockItem.purchasable.is_(True),
            Supplier.is_active.is_(True),
            StockItem.on_hand - StockItem.reserved + func.coalesce(on_order.c.qty, 0)
            < StockItem.reorder_point,
        )
        .order_by(Supplier.name, Supplier.id, StockItem.sku, StockItem.id)
    )
    if supplier_id is not None:
        stmt = stmt.where(Supplier.id == supplier_id)
    groups: dict[int, tuple[Supplier, list[Suggestion]]] = {}
    for item, supplier, ordered in await uow.rows(stmt):
        now = item.on_hand - item.reserved
        quantity = suggested_quantity(now, int(ordered), item.reorder_point, item.order_multiple)
        if quantity > 0:
            groups.setdefault(supplier.id, (supplier, []))[1].append(
                Suggestion(item=item, available=now, on_order=int(ordered), quantity=quantity)
            )
    return list(groups.values())
