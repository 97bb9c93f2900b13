"""Stock items, their ledger, suppliers and purchase orders."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, TypeAlias

import strawberry
from strawberry import relay

from domain.stock import models as sm
from domain.stock.errors import StockErrorCode as _StockErrorCode
from domain.stock.rules import available as available_of
from schema.accounts.types import Company, PortalUser, StaffUser
from schema.catalog.types import Product
from schema.context import Info
from schema.core import UserError
from schema.orders.types import Order

# GraphQL enums are the domain enums themselves: strawberry.enum registers a class in place,
# and the alias lets mypy read the name as a type.
StockUnit: TypeAlias = sm.StockUnit
strawberry.enum(StockUnit, description="The unit a stock item is counted in.")
StockMovementKind: TypeAlias = sm.MovementKind
strawberry.enum(
    StockMovementKind, name="StockMovementKind", description="What a ledger row records."
)
StockMovementActor: TypeAlias = sm.MovementActor
strawberry.enum(StockMovementActor, name="StockMovementActor", description="Who caused a movement.")
PurchaseOrderStatus: TypeAlias = sm.PurchaseOrderStatus
strawberry.enum(PurchaseOrderStatus, description="Where a purchase order to a supplier stands.")
StockErrorCode: TypeAlias = _StockErrorCode
strawberry.enum(StockErrorCode, description="Why a stock mutation failed.")


@strawberry.type(description="A failure of a stock, call-off or purchasing mutation.")
class StockError(UserError):
    code: StockErrorCode


async def _nodes(cls: Any, info: Info, node_ids: Iterable[str], loader: str) -> list[Any]:
    ids = []
    for raw in node_ids:
        try:
            ids.append(int(raw))
        except ValueError:
            ids.append(-1)
    rows = await getattr(info.context.loaders.stock, loader).load_many(ids)
    return [cls.from_model(r) if r is not None else None for r in rows]


@strawberry.type(description="Who the shop buys stock items from. Staff only.")
class Supplier(relay.Node):
    id: relay.NodeID[int]
    name: str
    email: str | None
    lead_time_days: int = strawberry.field(description="Days from ordering to delivery.")
    is_active: bool
    api_key_hint: str | None = strawberry.field(
        description="The start of the current API key, to recognise it; null without a key."
    )

    @classmethod
    def from_model(cls, s: sm.Supplier) -> Supplier:
        return cls(
            id=s.id,
            name=s.name,
            email=s.email,
            lead_time_days=s.lead_time_days,
            is_active=s.is_active,
            api_key_hint=s.api_key_hint,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Supplier | None]:
        return await _nodes(cls, info, node_ids, "supplier")


@strawberry.type(description="Goods the shop holds for a company, with live balances.")
class StockItem(relay.Node):
    id: relay.NodeID[int]
    sku: str
    name: str
    unit: StockUnit
    on_hand: int = strawberry.field(description="Physically held.")
    reserved: int = strawberry.field(description="Held for call-offs not yet dispatched.")
    unlimited: bool = strawberry.field(
        description="Never refused: call-offs do not wait for stock (sourced on demand)."
    )
    reorder_point: int = strawberry.field(
        description="A purchase is suggested when available stock falls under this."
    )
    order_multiple: int = strawberry.field(description="Purchases are rounded up to this.")
    supplier_sku: str | None
    purchasable: bool = strawberry.field(
        description="The shop buys it in from its supplier (purchase suggestions include it)."
    )
    ignore_for_sync: bool = strawberry.field(
        description="A hint for synchronising systems (change feeds): leave it out of the sync."
    )
    created_at: dt.datetime
    updated_at: dt.datetime
    _model: strawberry.Private[sm.StockItem]

    @classmethod
    def from_model(cls, i: sm.StockItem) -> StockItem:
        return cls(
            id=i.id,
            sku=i.sku,
            name=i.name,
            unit=i.unit,
            on_hand=i.on_hand,
            reserved=i.reserved,
            unlimited=i.unlimited,
            reorder_point=i.reorder_point,
            order_multiple=i.order_multiple,
            supplier_sku=i.supplier_sku,
            purchasable=i.purchasable,
            ignore_for_sync=i.ignore_for_sync,
            created_at=i.created_at,
            updated_at=i.updated_at,
            _model=i,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[StockItem | None]:
        return await _nodes(cls, info, node_ids, "item")

    @strawberry.field(
        description="On hand minus reserved: what can be called off now. Null for unlimited items."
    )
    def available(self) -> int | None:
        return available_of(self.on_hand, self.reserved, self.unlimited)

    @strawberry.field(description="Available stock is under the reorder point.")
    def below_reorder_point(self) -> bool:
        return not self.unlimited and self.on_hand - self.reserved < self.reorder_point

    @strawberry.field
    async def company(self, info: Info) -> Company | None:
        c = await info.context.loaders.company.load(self._model.company_id)
        return Company.from_model(c) if c else None

    @strawberry.field(description="Null for portal users: suppliers are the shop's business.")
    async def supplier(self, info: Info) -> Supplier | None:
        if self._model.supplier_id is None:
            return None
        s = await info.context.loaders.stock.supplier.load(self._model.supplier_id)
        return Supplier.from_model(s) if s else None

    @strawberry.field(description="The catalog product this item is, if any.")
    async def product(self, info: Info) -> Product | None:
        if self._model.product_id is None:
            return None
        p = await info.context.loaders.product.load(self._model.product_id)
        return Product.from_model(p) if p else None


@strawberry.type(description="One immutable ledger row of a stock item, with actor and time.")
class StockMovement:
    kind: StockMovementKind
    on_hand_change: int
    reserved_change: int
    on_hand_after: int
    reserved_after: int
    reason: str
    actor: StockMovementActor
    at: dt.datetime
    _model: strawberry.Private[sm.StockMovement]

    @classmethod
    def from_model(cls, m: sm.StockMovement) -> StockMovement:
        return cls(
            kind=m.kind,
            on_hand_change=m.on_hand_delta,
            reserved_change=m.reserved_delta,
            on_hand_after=m.on_hand_after,
            reserved_after=m.reserved_after,
            reason=m.reason,
            actor=m.actor_kind,
            at=m.at,
            _model=m,
        )

    @strawberry.field(description="The call-off, if you may see it.")
    async def order(self, info: Info) -> Order | None:
        if self._model.order_id is None:
            return None
        o = await info.context.loaders.order.load(self._model.order_id)
        return Order.from_model(o) if o else None

    @strawberry.field(description="The purchase order received against. Staff only.")
    async def purchase_order(self, info: Info) -> PurchaseOrder | None:
        if self._model.purchase_order_id is None:
            return None
        p = await info.context.loaders.stock.purchase_order.load(self._model.purchase_order_id)
        return PurchaseOrder.from_model(p) if p else None

    @strawberry.field(description="The portal user who caused it (a colleague).")
    async def portal_user(self, info: Info) -> PortalUser | None:
        if self._model.portal_user_id is None:
            return None
        u = await info.context.loaders.portal_user.load(self._model.portal_user_id)
        return PortalUser.from_model(u) if u else None

    @strawberry.field(description="The staff member who caused it. Staff only.")
    async def staff_user(self, info: Info) -> StaffUser | None:
        if self._model.staff_user_id is None:
            return None
        u = await info.context.loaders.staff_user.load(self._model.staff_user_id)
        return StaffUser.from_model(u) if u else None

    @strawberry.field(description="The supplier whose message caused it. Staff only.")
    async def supplier(self, info: Info) -> Supplier | None:
        if self._model.supplier_id is None:
            return None
        s = await info.context.loaders.stock.supplier.load(self._model.supplier_id)
        return Supplier.from_model(s) if s else None


@strawberry.type(description="A line of a purchase order.")
class PurchaseOrderLine:
    position: int
    quantity_ordered: int
    quantity_received: int
    _model: strawberry.Private[sm.PurchaseOrderLine]

    @strawberry.field(description="Ordered minus received.")
    def quantity_outstanding(self) -> int:
        return self.quantity_ordered - self.quantity_received

    @strawberry.field
    async def stock_item(self, info: Info) -> StockItem | None:
        i = await info.context.loaders.stock.item.load(self._model.stock_item_id)
        return StockItem.from_model(i) if i else None


@strawberry.type(description="An order of stock items from a supplier. Staff only.")
class PurchaseOrder(relay.Node):
    id: relay.NodeID[int]
    number: str
    status: PurchaseOrderStatus
    expected_date: dt.date | None
    remarks: str
    created_at: dt.datetime
    updated_at: dt.datetime
    _model: strawberry.Private[sm.PurchaseOrder]

    @classmethod
    def from_model(cls, p: sm.PurchaseOrder) -> PurchaseOrder:
        return cls(
            id=p.id,
            number=p.number,
            status=p.status,
            expected_date=p.expected_date,
            remarks=p.remarks,
            created_at=p.created_at,
            updated_at=p.updated_at,
            _model=p,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[PurchaseOrder | None]:
        return await _nodes(cls, info, node_ids, "purchase_order")

    @strawberry.field
    async def supplier(self, info: Info) -> Supplier | None:
        s = await info.context.loaders.stock.supplier.load(self._model.supplier_id)
        return Supplier.from_model(s) if s else None

    @strawberry.field
    async def lines(self, info: Info) -> list[PurchaseOrderLine]:
        rows = await info.context.loaders.stock.lines_by_purchase_order.load(self._model.id)
        return [
            PurchaseOrderLine(
                position=r.position,
                quantity_ordered=r.quantity_ordered,
                quantity_received=r.quantity_received,
                _model=r,
            )
            for r in rows
        ]


@strawberry.type(description="An item to reorder and how many.")
class PurchaseSuggestionLine:
    stock_item: StockItem
    available: int
    on_order: int = strawberry.field(description="Outstanding on open purchase orders.")
    suggested_quantity: int = strawberry.field(
        description="The shortfall under the reorder point, rounded up to the order multiple."
    )


@strawberry.type(description="A suggested purchase order: what to buy from one supplier.")
class PurchaseSuggestion:
    supplier: Supplier
    lines: list[PurchaseSuggestionLine]


@strawberry.type(description="A stock item's balances changed (subscription).")
class StockLevelEvent:
    event_id: int = strawberry.field(description="Pass as `after` when reconnecting.")
    movement_kind: StockMovementKind
    on_hand: int = strawberry.field(description="Right after the movement.")
    reserved: int
    available: int | None = strawberry.field(description="Null for unlimited items.")
    stock_item: StockItem | None = strawberry.field(description="The item as it is now.")


@strawberry.type(description="How a supplier message changed one item.")
class SupplierStockItemResult:
    supplier_sku: str
    previous_on_hand: int
    on_hand: int
