"""supplierStockUpdate: a supplier system pushes its stock counts with its API key."""

from __future__ import annotations

from domain.stock import supplier_feed
from resolvers.mutation import run
from schema.context import Info
from schema.stock.inputs import SupplierStockUpdateInput
from schema.stock.payloads import SupplierStockUpdatePayload
from schema.stock.types import StockError, SupplierStockItemResult


async def supplier_stock_update(
    info: Info, input: SupplierStockUpdateInput
) -> SupplierStockUpdatePayload:
    ctx = info.context
    cmd = supplier_feed.SupplierStockUpdate(
        message_id=input.message_id,
        items=[(item.supplier_sku, item.on_hand) for item in input.items],
    )

    def build(result: supplier_feed.SupplierStockResult) -> dict[str, object]:
        return {
            "message_id": result.message_id,
            "duplicate": result.duplicate,
            "items": [
                SupplierStockItemResult(
                    supplier_sku=i["supplierSku"],
                    previous_on_hand=i["previousOnHand"],
                    on_hand=i["onHand"],
                )
                for i in result.items
            ],
        }

    return await run(
        SupplierStockUpdatePayload,
        StockError,
        lambda: supplier_feed.supplier_stock_update(ctx.uow, ctx.viewer, cmd),
        build,
    )
