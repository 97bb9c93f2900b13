"""Stock lists for the portal and the shop, always scoped by the viewer."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, false, or_, select

from domain.accounts.viewer import Viewer
from domain.orders.models import Order
from domain.orders.queries import orders_query
from domain.orders.state import OrderStatus
from domain.stock.calloff import CALL_OFF
from domain.stock.models import (
    MovementKind,
    PurchaseOrder,
    PurchaseOrderStatus,
    StockItem,
    StockMovement,
    Supplier,
)
from domain.stock.policies import purchasing_scope, stock_scope


def stock_items_query(
    viewer: Viewer,
    *,
    company_id: int | None = None,
    search: str | None = None,
    below_reorder_point: bool = False,
    supplier_id: int | None = None,
) -> Select[Any]:
    """Staff see every company's items (narrow with ``company_id``); portal users their own."""
    stmt = select(StockItem).where(stock_scope(viewer))
    if company_id is not None:
        stmt = stmt.where(StockItem.company_id == company_id)
    if search:
        like = f"%{search.strip()}%"
        stmt = stmt.where(or_(StockItem.sku.ilike(like), StockItem.name.ilike(like)))
    if below_reorder_point:
        stmt = stmt.where(
            StockItem.unlimited.is_(False),
            StockItem.on_hand - StockItem.reserved < StockItem.reorder_point,
        )
    if supplier_id is not None:
        stmt = stmt.where(StockItem.supplier_id == supplier_id if viewer.is_staff else false())
    return stmt.order_by(StockItem.sku, StockItem.id)


def movements_query(
    viewer: Viewer, stock_item_id: int, kinds: Sequence[MovementKind] | None = None
) -> Select[Any]:
    """An item's ledger, newest first; another company's item has no history to show."""
    stmt = (
        select(StockMovement)
        .join(StockItem, StockItem.id == StockMovement.stock_item_id)
        .where(StockMovement.stock_item_id == stock_item_id, stock_scope(viewer))
    )
    if kinds:
        stmt = stmt.where(StockMovement.kind.in_(list(kinds)))
    return stmt.order_by(StockMovement.id.desc())


def call_offs_query(
    viewer: Viewer, statuses: Sequence[OrderStatus] | None = None, mine_only: bool = False
) -> Select[Any]:
    """Call-off orders the viewer may see (the order rules: VIEW_COMPANY_ORDERS or one's own)."""
    return orders_query(viewer, statuses=statuses, mine_only=mine_only).where(
        Order.kind == CALL_OFF
    )


def suppliers_query(viewer: Viewer, search: str | None = None) -> Select[Any]:
    stmt = select(Supplier).where(purchasing_scope(viewer))
    if search:
        stmt = stmt.where(Supplier.name.ilike(f"%{search.strip()}%"))
    return stmt.order_by(Supplier.name, Supplier.id)


def purchase_orders_query(
    viewer: Viewer,
    statuses: Sequence[PurchaseOrderStatus] | None = None,
    supplier_id: int | None = None,
) -> Select[Any]:
    stmt = select(PurchaseOrder).where(purchasing_scope(viewer))
    if statuses:
        stmt = stmt.where(PurchaseOrder.status.in_(list(statuses)))
    if supplier_id is not None:
        stmt = stmt.where(PurchaseOrder.supplier_id == supplier_id)
    return stmt.order_by(PurchaseOrder.id.desc())
