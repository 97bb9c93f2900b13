"""Stock item master data, receipts and adjustments (staff)."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.utils.str_converters import to_camel_case

from domain.shared.errors import DomainError
from domain.stock import items
from domain.stock.errors import StockErrorCode
from resolvers.ids import optional_pk, require_pk
from resolvers.mutation import run
from schema.accounts.types import Company
from schema.catalog.types import Product
from schema.context import Info
from schema.stock.inputs import (
    StockAdjustInput,
    StockItemCreateInput,
    StockItemUpdateInput,
    StockReceiveInput,
)
from schema.stock.payloads import StockItemPayload
from schema.stock.types import StockError, StockItem, Supplier

NF = StockErrorCode.NOT_FOUND


def _payload(item: Any) -> dict[str, object]:
    return {"stock_item": StockItem.from_model(item)}


async def stock_item_create(info: Info, input: StockItemCreateInput) -> StockItemPayload:
    ctx = info.context

    async def action() -> object:
        cmd = items.StockItemCreate(
            company_id=require_pk(input.company_id, Company, "companyId", NF),
            sku=input.sku,
            name=input.name,
            unit=input.unit,
            reorder_point=input.reorder_point,
            order_multiple=input.order_multiple,
            supplier_id=optional_pk(input.supplier_id, Supplier, "supplierId", NF),
            supplier_sku=input.supplier_sku,
            unlimited=input.unlimited,
            product_id=optional_pk(input.product_id, Product, "productId", NF),
            purchasable=input.purchasable,
            ignore_for_sync=input.ignore_for_sync,
        )
        return await items.stock_item_create(ctx.uow, ctx.viewer, cmd)

    return await run(StockItemPayload, StockError, action, _payload)


_NOT_NULL = (
    "name",
    "unit",
    "reorder_point",
    "order_multiple",
    "unlimited",
    "purchasable",
    "ignore_for_sync",
)


async def stock_item_update(info: Info, input: StockItemUpdateInput) -> StockItemPayload:
    ctx = info.context

    async def action() -> object:
        values: dict[str, Any] = {}
        for name in (*_NOT_NULL, "supplier_sku"):
            value = getattr(input, name)
            if value is strawberry.UNSET:
                continue
            if value is None and name in _NOT_NULL:
                field = to_camel_case(name)
                raise DomainError.single(StockErrorCode.REQUIRED, "May not be null.", field)
            values[name] = value
        if input.supplier_id is not strawberry.UNSET:
            values["supplier_id"] = optional_pk(input.supplier_id, Supplier, "supplierId", NF)
        if input.product_id is not strawberry.UNSET:
            values["product_id"] = optional_pk(input.product_id, Product, "productId", NF)
        item_id = require_pk(input.id, StockItem, "id", NF)
        return await items.stock_item_update(
            ctx.uow, ctx.viewer, item_id, items.StockItemUpdate(**values)
        )

    return await run(StockItemPayload, StockError, action, _payload)


async def stock_receive(info: Info, input: StockReceiveInput) -> StockItemPayload:
    ctx = info.context

    async def action() -> object:
        item_id = require_pk(input.stock_item_id, StockItem, "stockItemId", NF)
        return await items.stock_receive(ctx.uow, ctx.viewer, item_id, input.quantity, input.note)

    return await run(StockItemPayload, StockError, action, _payload)


async def stock_adjust(info: Info, input: StockAdjustInput) -> StockItemPayload:
    ctx = info.context

    async def action() -> object:
        item_id = require_pk(input.stock_item_id, StockItem, "stockItemId", NF)
        return await items.stock_adjust(ctx.uow, ctx.viewer, item_id, input.change, input.reason)

    return await run(StockItemPayload, StockError, action, _payload)
