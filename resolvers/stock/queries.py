"""Stock levels, ledger history and call-offs for the portal; suppliers, purchase orders
and reorder suggestions for the shop."""

from __future__ import annotations

import strawberry
from strawberry import relay

from domain.shared.pagination import fetch_page
from domain.stock import purchasing, queries
from resolvers.pagination import page_window
from schema.accounts.types import Company
from schema.context import Info
from schema.core import Connection, build_connection, decode_gid
from schema.orders.types import Order, OrderStatus
from schema.permissions import IsAuthenticated, IsStaff
from schema.stock.inputs import PurchaseOrderFilter, StockItemFilter
from schema.stock.types import (
    PurchaseOrder,
    PurchaseSuggestion,
    PurchaseSuggestionLine,
    StockItem,
    StockMovement,
    StockMovementKind,
    Supplier,
)

STAFF = [IsAuthenticated, IsStaff]


def _pk(gid: relay.GlobalID | None, node_type: type) -> int | None:
    # A malformed or foreign ID filters to nothing, like an ID that does not exist.
    return None if gid is None else (decode_gid(gid, node_type) or -1)


@strawberry.type
class StockQuery:
    @strawberry.field(
        description="Stock items with their live balances: a portal user's company's, or "
        "every company's for staff (narrow with `filter.companyId`).",
        permission_classes=[IsAuthenticated],
    )
    async def stock_items(
        self,
        info: Info,
        filter: StockItemFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[StockItem]:
        offset, limit = page_window(info, first, after)
        f = filter or StockItemFilter()
        stmt = queries.stock_items_query(
            info.context.viewer,
            company_id=_pk(f.company_id, Company),
            search=f.search,
            below_reorder_point=f.below_reorder_point,
            supplier_id=_pk(f.supplier_id, Supplier),
        )
        page = await fetch_page(info.context.uow, stmt, offset, limit)
        return build_connection(page.items, page.offset, page.total, StockItem.from_model)

    @strawberry.field(
        description="A stock item's ledger, newest first: every movement with actor and time.",
        permission_classes=[IsAuthenticated],
    )
    async def stock_movements(
        self,
        info: Info,
        stock_item_id: relay.GlobalID,
        kinds: list[StockMovementKind] | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[StockMovement]:
        offset, limit = page_window(info, first, after)
        stmt = queries.movements_query(
            info.context.viewer, _pk(stock_item_id, StockItem) or -1, kinds
        )
        page = await fetch_page(info.context.uow, stmt, offset, limit)
        return build_connection(page.items, page.offset, page.total, StockMovement.from_model)

    @strawberry.field(
        description="Call-off orders (kind CALL_OFF) the viewer may see, newest first "
        "(VIEW_COMPANY_ORDERS: the company's, else one's own).",
        permission_classes=[IsAuthenticated],
    )
    async def stock_call_offs(
        self,
        info: Info,
        statuses: list[OrderStatus] | None = None,
        mine_only: bool = False,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Order]:
        offset, limit = page_window(info, first, after)
        stmt = queries.call_offs_query(info.context.viewer, statuses, mine_only)
        page = await fetch_page(info.context.uow, stmt, offset, limit)
        return build_connection(page.items, page.offset, page.total, Order.from_model)

    @strawberry.field(description="Suppliers by name. Staff only.", permission_classes=STAFF)
    async def suppliers(
        self,
        info: Info,
        search: str | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Supplier]:
        offset, limit = page_window(info, first, after)
        stmt = queries.suppliers_query(info.context.viewer, search)
        page = await fetch_page(info.context.uow, stmt, offset, limit)
        return build_connection(page.items, page.offset, page.total, Supplier.from_model)

    @strawberry.field(
        description="Purchase orders, newest first. Staff only.", permission_classes=STAFF
    )
    async def purchase_orders(
        self,
        info: Info,
        filter: PurchaseOrderFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[PurchaseOrder]:
        offset, limit = page_window(info, first, after)
        f = filter or PurchaseOrderFilter()
        stmt = queries.purchase_orders_query(
            info.context.viewer, f.statuses, _pk(f.supplier_id, Supplier)
        )
        page = await fetch_page(info.context.uow, stmt, offset, limit)
        return build_connection(page.items, page.offset, page.total, PurchaseOrder.from_model)

    @strawberry.field(
        description="Suggested purchase orders, one per supplier: limited items whose "
        "available stock plus what is on order falls under the reorder point. Staff only.",
        permission_classes=STAFF,
    )
    async def purchase_suggestions(
        self, info: Info, supplier_id: relay.GlobalID | None = None
    ) -> list[PurchaseSuggestion]:
        groups = await purchasing.purchase_suggestions(
            info.context.uow, info.context.viewer, _pk(supplier_id, Supplier)
        )
        return [
            PurchaseSuggestion(
                supplier=Supplier.from_model(supplier),
                lines=[
                    PurchaseSuggestionLine(
                        stock_item=StockItem.from_model(s.item),
                        available=s.available,
                        on_order=s.on_order,
                        suggested_quantity=s.quantity,
                    )
                    for s in suggestions
                ],
            )
            for supplier, suggestions in groups
        ]
