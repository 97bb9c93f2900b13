"""Customer-held stock as order lines: the `LinePricing` strategy for a stock item called off
(registered at start-up; see domain/pricing/lines.py). The stock is the customer's own, so a
call-off line costs nothing by itself; production reads the item from its specification."""

from __future__ import annotations

from domain.accounts.viewer import Viewer
from domain.pricing.lines import LineKind, LineRequest, PricedLine, unavailable
from domain.shared.errors import DomainError
from domain.shared.uow import UnitOfWork
from domain.stock.errors import StockErrorCode
from domain.stock.models import StockItem
from domain.stock.policies import sees_stock_of


class StockItemLinePricing:
    """A stock item of the viewer's company (staff: any), at no charge."""

    kind: str = LineKind.STOCK_ITEM

    async def _item(self, uow: UnitOfWork, viewer: Viewer, item_id: int | None) -> StockItem | None:
        item = await uow.session.get(StockItem, item_id) if item_id is not None else None
        return item if item is not None and sees_stock_of(viewer, item.company_id) else None

    async def admit(self, uow: UnitOfWork, viewer: Viewer, request: LineRequest) -> LineRequest:
        """The item must be the viewer's company's."""
        if await self._item(uow, viewer, request.item_id) is None:
            raise DomainError.single(StockErrorCode.NOT_FOUND, "Stock item not found.", "itemId")
        return request

    async def price(self, uow: UnitOfWork, viewer: Viewer, request: LineRequest) -> PricedLine:
        """Zero, with the item (SKU, name, unit) as the specification."""
        item = await self._item(uow, viewer, request.item_id)
        if item is None:
            return unavailable(request, "", "This stock item is no longer available.")
        return PricedLine(
            request,
            None,
            None,
            f"{item.sku} {item.name}",
            {
                "stockItem": {
                    "sku": item.sku,
                    "name": item.name,
                    "unit": item.unit.value,
                    "unitWeightG": item.unit_weight_g,
                }
            },
            None,
            token_subject=f"stock:{item.id}",
        )
