"""Suppliers, their API keys and purchase orders (staff)."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry import relay
from strawberry.utils.str_converters import to_camel_case

from domain.shared.errors import DomainError
from domain.stock import purchasing, supplier_feed
from domain.stock.errors import StockErrorCode
from resolvers.ids import require_pk
from resolvers.mutation import run
from resolvers.stock.ids import line_pks
from schema.context import Info
from schema.stock.inputs import (
    PurchaseOrderCreateInput,
    PurchaseOrderReceiveInput,
    SupplierCreateInput,
    SupplierUpdateInput,
)
from schema.stock.payloads import (
    PurchaseOrderPayload,
    SupplierApiKeyCreatePayload,
    SupplierPayload,
)
from schema.stock.types import PurchaseOrder, StockError, Supplier

NF = StockErrorCode.NOT_FOUND


def _supplier(s: Any) -> dict[str, object]:
    return {"supplier": Supplier.from_model(s)}


def _purchase_order(p: Any) -> dict[str, object]:
    return {"purchase_order": PurchaseOrder.from_model(p)}


async def supplier_create(info: Info, input: SupplierCreateInput) -> SupplierPayload:
    ctx = info.context
    data = purchasing.SupplierData(
        name=input.name, email=input.email, lead_time_days=input.lead_time_days
    )
    return await run(
        SupplierPayload,
        StockError,
        lambda: purchasing.supplier_save(ctx.uow, ctx.viewer, None, data),
        _supplier,
    )


async def supplier_update(info: Info, input: SupplierUpdateInput) -> SupplierPayload:
    ctx = info.context

    async def action() -> object:
        values: dict[str, Any] = {}
        for name in ("name", "email", "lead_time_days", "is_active"):
            value = getattr(input, name)
            if value is strawberry.UNSET:
                continue
            if value is None and name != "email":
                field = to_camel_case(name)
                raise DomainError.single(StockErrorCode.REQUIRED, "May not be null.", field)
            values[name] = value
        supplier_id = require_pk(input.id, Supplier, "id", NF)
        return await purchasing.supplier_save(
            ctx.uow, ctx.viewer, supplier_id, purchasing.SupplierData(**values)
        )

    return await run(SupplierPayload, StockError, action, _supplier)


async def supplier_api_key_create(info: Info, id: relay.GlobalID) -> SupplierApiKeyCreatePayload:
    ctx = info.context

    async def action() -> tuple[Any, str]:
        supplier_id = require_pk(id, Supplier, "id", NF)
        return await supplier_feed.supplier_api_key_create(ctx.uow, ctx.viewer, supplier_id)

    return await run(
        SupplierApiKeyCreatePayload,
        StockError,
        action,
        lambda r: {"supplier": Supplier.from_model(r[0]), "api_key": r[1]},
    )


async def purchase_order_create(
    info: Info, input: PurchaseOrderCreateInput
) -> PurchaseOrderPayload:
    ctx = info.context

    async def action() -> object:
        cmd = purchasing.PurchaseOrderCreate(
            supplier_id=require_pk(input.supplier_id, Supplier, "supplierId", NF),
            lines=line_pks(input.lines),
            expected_date=input.expected_date,
            remarks=input.remarks,
        )
        return await purchasing.purchase_order_create(ctx.uow, ctx.viewer, cmd)

    return await run(PurchaseOrderPayload, StockError, action, _purchase_order)


async def purchase_order_receive(
    info: Info, input: PurchaseOrderReceiveInput
) -> PurchaseOrderPayload:
    ctx = info.context

    async def action() -> object:
        order_id = require_pk(input.id, PurchaseOrder, "id", NF)
        return await purchasing.purchase_order_receive(
            ctx.uow, ctx.viewer, order_id, line_pks(input.lines), input.note
        )

    return await run(PurchaseOrderPayload, StockError, action, _purchase_order)


async def purchase_order_cancel(info: Info, id: relay.GlobalID) -> PurchaseOrderPayload:
    ctx = info.context

    async def action() -> object:
        order_id = require_pk(id, PurchaseOrder, "id", NF)
        return await purchasing.purchase_order_cancel(ctx.uow, ctx.viewer, order_id)

    return await run(PurchaseOrderPayload, StockError, action, _purchase_order)
