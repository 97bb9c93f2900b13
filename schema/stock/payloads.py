from __future__ import annotations

import strawberry

from schema.orders.types import Order
from schema.stock.types import (
    PurchaseOrder,
    StockError,
    StockItem,
    Supplier,
    SupplierStockItemResult,
)


@strawberry.type
class StockItemPayload:
    stock_item: StockItem | None = None
    errors: list[StockError] = strawberry.field(default_factory=list)


@strawberry.type
class StockCallOffCreatePayload:
    order: Order | None = strawberry.field(
        default=None, description="The call-off (kind CALL_OFF)."
    )
    errors: list[StockError] = strawberry.field(default_factory=list)


@strawberry.type
class SupplierPayload:
    supplier: Supplier | None = None
    errors: list[StockError] = strawberry.field(default_factory=list)


@strawberry.type
class SupplierApiKeyCreatePayload:
    supplier: Supplier | None = None
    api_key: str | None = strawberry.field(
        default=None, description="Shown this once: the supplier sends it as a bearer token."
    )
    errors: list[StockError] = strawberry.field(default_factory=list)


@strawberry.type
class PurchaseOrderPayload:
    purchase_order: PurchaseOrder | None = None
    errors: list[StockError] = strawberry.field(default_factory=list)


@strawberry.type
class SupplierStockUpdatePayload:
    message_id: str | None = None
    duplicate: bool = strawberry.field(
        default=False, description="The message was processed before: nothing changed now."
    )
    items: list[SupplierStockItemResult] = strawberry.field(default_factory=list)
    errors: list[StockError] = strawberry.field(default_factory=list)
