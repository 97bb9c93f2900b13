"""What a change feed entry carries besides its position: the sync flags of a product or
stock item, and the references of a sales line (what it sold, for another system to map).

Loaded for a whole page at once (one query per kind present), from the rows as they are now:
a deleted row has none.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from domain.catalog.models import Product
from domain.changes.feed import Change, ChangeKind
from domain.orders.models import Order, OrderLine
from domain.shared.uow import UnitOfWork
from domain.stock.models import StockItem


@dataclass(frozen=True, slots=True)
class SyncFlags:
    """Of a product or a stock item."""

    purchasable: bool
    ignore_for_sync: bool


@dataclass(frozen=True, slots=True)
class SaleLine:
    """An order line as a sale: the order, what was sold and under which SKU (the stock
    item's SKU for a call-off, otherwise the product's code), how many."""

    order_id: int
    order_number: str
    product_id: int | None
    stock_item_id: int | None
    part_id: int | None
    sku: str | None
    quantity: int


@dataclass(frozen=True, slots=True)
class ChangeDetails:
    flags: dict[tuple[ChangeKind, int], SyncFlags]
    sales: dict[int, SaleLine]


def _ids(changes: Sequence[Change], kind: ChangeKind) -> set[int]:
    return {c.entity_id for c in changes if c.kind is kind}


async def change_details(uow: UnitOfWork, changes: Sequence[Change]) -> ChangeDetails:
    """The flags and sales lines of a page of changes (already scoped to its reader)."""
    flags: dict[tuple[ChangeKind, int], SyncFlags] = {}
    sales: dict[int, SaleLine] = {}
    if products := _ids(changes, ChangeKind.PRODUCT):
        for pid, purchasable, ignore in await uow.rows(
            select(Product.id, Product.purchasable, Product.ignore_for_sync).where(
                Product.id.in_(products)
            )
        ):
            flags[(ChangeKind.PRODUCT, pid)] = SyncFlags(purchasable, ignore)
    if items := _ids(changes, ChangeKind.STOCK_ITEM):
        for iid, purchasable, ignore in await uow.rows(
            select(StockItem.id, StockItem.purchasable, StockItem.ignore_for_sync).where(
                StockItem.id.in_(items)
            )
        ):
            flags[(ChangeKind.STOCK_ITEM, iid)] = SyncFlags(purchasable, ignore)
    if lines := _ids(changes, ChangeKind.ORDER_LINE):
        rows = await uow.rows(
            select(OrderLine, Order.number, StockItem.sku, Product.code)
            .join(Order, Order.id == OrderLine.order_id)
            .outerjoin(StockItem, StockItem.id == OrderLine.stock_item_id)
            .outerjoin(Product, Product.id == OrderLine.product_id)
            .where(OrderLine.id.in_(lines))
        )
        for line, number, item_sku, product_code in rows:
            sales[line.id] = SaleLine(
                order_id=line.order_id,
                order_number=number,
                product_id=line.product_id,
                stock_item_id=line.stock_item_id,
                part_id=line.part_id,
                sku=item_sku or product_code,
                quantity=line.quantity,
            )
    return ChangeDetails(flags, sales)
