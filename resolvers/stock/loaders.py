"""Per-request DataLoaders of the stock area, reached as ``info.context.loaders.stock``.

Scoped like every loader: stock items by the viewer's company (staff: all), suppliers and
purchase orders for staff only; results in key order with None (or []) for what is hidden."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from functools import cached_property
from typing import Any

from sqlalchemy import ColumnElement, select
from strawberry.dataloader import DataLoader

from domain.accounts.viewer import Viewer
from domain.shared.uow import UnitOfWork
from domain.stock.models import PurchaseOrder, PurchaseOrderLine, StockItem, Supplier
from domain.stock.policies import purchasing_scope, stock_scope


class StockLoaders:
    def __init__(self, uow: UnitOfWork, viewer: Viewer) -> None:
        self.uow = uow
        self.viewer = viewer

    def _by_id(self, model: Any, scope: ColumnElement[bool]) -> DataLoader[int, Any]:
        async def load(keys: Sequence[int]) -> list[Any]:
            rows = await self.uow.scalars(select(model).where(model.id.in_(keys), scope))
            found = {row.id: row for row in rows}
            return [found.get(k) for k in keys]

        return DataLoader(load_fn=load)

    @cached_property
    def item(self) -> DataLoader[int, StockItem | None]:
        return self._by_id(StockItem, stock_scope(self.viewer))

    @cached_property
    def supplier(self) -> DataLoader[int, Supplier | None]:
        return self._by_id(Supplier, purchasing_scope(self.viewer))

    @cached_property
    def purchase_order(self) -> DataLoader[int, PurchaseOrder | None]:
        return self._by_id(PurchaseOrder, purchasing_scope(self.viewer))

    @cached_property
    def lines_by_purchase_order(self) -> DataLoader[int, list[PurchaseOrderLine]]:
        async def load(keys: Sequence[int]) -> list[list[PurchaseOrderLine]]:
            rows = await self.uow.scalars(
                select(PurchaseOrderLine)
                .where(
                    PurchaseOrderLine.purchase_order_id.in_(keys),
                    purchasing_scope(self.viewer),
                )
                .order_by(PurchaseOrderLine.position)
            )
            grouped: dict[int, list[PurchaseOrderLine]] = defaultdict(list)
            for row in rows:
                grouped[row.purchase_order_id].append(row)
            return [grouped.get(k, []) for k in keys]

        return DataLoader(load_fn=load)
