from __future__ import annotations

import datetime as dt

import strawberry
from strawberry import relay

from schema.orders.inputs import DeliveryAddressInput
from schema.stock.types import PurchaseOrderStatus, StockUnit


@strawberry.input(description="A new stock item held for a company.")
class StockItemCreateInput:
    company_id: relay.GlobalID
    sku: str = strawberry.field(description="Unique per company; stored in upper case.")
    name: str
    unit: StockUnit = StockUnit.PIECE
    reorder_point: int = 0
    order_multiple: int = 1
    supplier_id: relay.GlobalID | None = None
    supplier_sku: str | None = strawberry.field(
        default=None, description="The supplier's article number; unique per supplier."
    )
    unlimited: bool = False
    product_id: relay.GlobalID | None = None
    purchasable: bool = strawberry.field(
        default=True,
        description="The shop buys it in: False leaves it out of purchase suggestions.",
    )
    ignore_for_sync: bool = strawberry.field(
        default=False, description="A hint for synchronising systems reading the change feed."
    )


@strawberry.input(description="Change a stock item; omitted fields stay as they are.")
class StockItemUpdateInput:
    id: relay.GlobalID
    name: str | None = strawberry.UNSET
    unit: StockUnit | None = strawberry.UNSET
    reorder_point: int | None = strawberry.UNSET
    order_multiple: int | None = strawberry.UNSET
    supplier_id: relay.GlobalID | None = strawberry.UNSET
    supplier_sku: str | None = strawberry.UNSET
    unlimited: bool | None = strawberry.UNSET
    product_id: relay.GlobalID | None = strawberry.UNSET
    purchasable: bool | None = strawberry.field(
        default=strawberry.UNSET,
        description="The shop buys it in: False leaves it out of purchase suggestions.",
    )
    ignore_for_sync: bool | None = strawberry.field(
        default=strawberry.UNSET,
        description="A hint for synchronising systems reading the change feed: skip it.",
    )


@strawberry.input(description="Goods received without a purchase order.")
class StockReceiveInput:
    stock_item_id: relay.GlobalID
    quantity: int
    note: str = ""


@strawberry.input(description="A correction of on hand (stocktake, damage) with its reason.")
class StockAdjustInput:
    stock_item_id: relay.GlobalID
    change: int = strawberry.field(description="Positive adds to on hand, negative removes.")
    reason: str


@strawberry.input(description="A stock item and how many.")
class StockItemQuantityInput:
    stock_item_id: relay.GlobalID
    quantity: int


@strawberry.input(description="Call off stock the shop holds for your company.")
class StockCallOffCreateInput:
    lines: list[StockItemQuantityInput]
    idempotency_key: str = strawberry.field(
        description="Unique per intended call-off: the same key again returns the same order."
    )
    customer_reference: str = ""
    desired_delivery_date: dt.date | None = None
    remarks: str = ""
    delivery_address: DeliveryAddressInput | None = strawberry.field(
        default=None, description="The company's default shipping address if omitted."
    )


@strawberry.input
class StockItemFilter:
    company_id: relay.GlobalID | None = strawberry.field(default=None, description="Staff only.")
    search: str | None = strawberry.field(default=None, description="SKU or name.")
    below_reorder_point: bool = False
    supplier_id: relay.GlobalID | None = strawberry.field(default=None, description="Staff only.")


@strawberry.input(description="A new supplier.")
class SupplierCreateInput:
    name: str
    email: str | None = None
    lead_time_days: int = 0


@strawberry.input(description="Change a supplier; omitted fields stay as they are.")
class SupplierUpdateInput:
    id: relay.GlobalID
    name: str | None = strawberry.UNSET
    email: str | None = strawberry.UNSET
    lead_time_days: int | None = strawberry.UNSET
    is_active: bool | None = strawberry.UNSET


@strawberry.input(description="A purchase order to a supplier.")
class PurchaseOrderCreateInput:
    supplier_id: relay.GlobalID
    lines: list[StockItemQuantityInput]
    expected_date: dt.date | None = strawberry.field(
        default=None, description="Today plus the supplier's lead time if omitted."
    )
    remarks: str = ""


@strawberry.input(description="A delivery against a purchase order: some lines, maybe partly.")
class PurchaseOrderReceiveInput:
    id: relay.GlobalID
    lines: list[StockItemQuantityInput]
    note: str = ""


@strawberry.input
class PurchaseOrderFilter:
    statuses: list[PurchaseOrderStatus] | None = None
    supplier_id: relay.GlobalID | None = None


@strawberry.input(description="The supplier's count of one article.")
class SupplierStockItemInput:
    supplier_sku: str
    on_hand: int


@strawberry.input(description="A supplier system's stock message.")
class SupplierStockUpdateInput:
    message_id: str = strawberry.field(
        description="Unique per message: sending it again changes nothing."
    )
    items: list[SupplierStockItemInput]
