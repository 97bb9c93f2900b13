"""Quote lines as order lines: the `LinePricing` strategy (kind ``quote_line``, registered at
start-up; see domain/pricing/lines.py) that prices a line of a sent quote at the quoted price.

Accepting a quote asks this strategy for each line (``item_id`` names the quote line) and
hands the priced lines to the one placement service (domain/orders/placing.py). The priced
line names what is sold as the selling areas do (a catalog product, a laser part, a stock
item; custom work keeps the kind ``quote_line``), so production, routing and shipping read
the order line as they read any other. A line sourced from a partner in an RFQ carries its
supplier: the order line is routed there (``order_line.route_supplier_id``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from domain.accounts.viewer import Viewer
from domain.pricing.lines import LineKind, LineRequest, PricedLine, unavailable
from domain.pricing.result import PriceLine, PriceResult, vat_on
from domain.quotes.errors import QuoteErrorCode
from domain.quotes.models import Quote, QuoteLine
from domain.quotes.policies import quote_scope
from domain.quotes.state import QuoteLineKind
from domain.shared.errors import DomainError
from domain.shared.money import Money
from domain.shared.uow import UnitOfWork

QUOTE_LINE = "quote_line"

_SOLD_AS = {
    QuoteLineKind.CONFIGURATION: LineKind.PRODUCT.value,
    QuoteLineKind.PART: LineKind.LASER_PART.value,
    QuoteLineKind.STOCK_ITEM: LineKind.STOCK_ITEM.value,
    QuoteLineKind.FREE: QUOTE_LINE,
}


def quoted_specification(quote: Quote, line: QuoteLine) -> dict[str, Any]:
    """The line's specification with the quote it came from (``quote.lineId``). The partner
    and its cost stay on the quote line: the customer never sees them."""
    spec = dict(line.specification or {})
    spec["quote"] = {
        "quoteId": quote.id,
        "number": quote.number,
        "lineId": line.id,
        "revision": quote.revision,
    }
    return spec


def quoted_result(quote: Quote, line: QuoteLine) -> PriceResult:
    """The quoted price as a price result: the line's net (override, partner cost with
    markup, or the engine's), the engine's breakdown kept beside it, VAT at the line's rate."""
    assert line.net_amount is not None
    net = Money(line.net_amount, quote.currency)
    vat = vat_on(net, line.vat_rate_percent)
    breakdown = tuple(
        PriceLine(
            code=str(p.get("code", "")),
            label=str(p.get("label", "")),
            amount=Money(int(p.get("amount", 0)), quote.currency),
            detail=p.get("detail"),
        )
        for p in line.price_lines or []
    )
    return PriceResult(
        quantity=line.quantity,
        currency=quote.currency,
        vat_rate_percent=line.vat_rate_percent,
        lines=breakdown,
        net=net,
        vat=vat,
        gross=Money(net.amount + vat.amount, quote.currency),
    )


def quoted_line(quote: Quote, line: QuoteLine, request: LineRequest) -> PricedLine:
    """One line of ``quote`` at its quoted price, sold as its own kind of goods."""
    assert line.net_amount is not None
    sold = LineRequest(
        kind=_SOLD_AS[line.kind],
        channel_id=quote.channel_id,
        product_id=line.product_id,
        quantity=line.quantity,
        values=dict(line.values or {}),
        item_id=line.part_id if line.kind is QuoteLineKind.PART else line.stock_item_id,
        basket=request.basket,
    )
    return PricedLine(
        sold,
        line.product_id,
        line.product_version_id,
        line.title,
        quoted_specification(quote, line),
        quoted_result(quote, line),
        token_subject=f"quote-line:{line.id}",
    )


class QuoteLinePricing:
    """A line of a quote the viewer may see, at the price the quote fixed."""

    kind: str = QUOTE_LINE

    async def _line(
        self, uow: UnitOfWork, viewer: Viewer, line_id: int | None
    ) -> tuple[Quote, QuoteLine] | None:
        if line_id is None:
            return None
        rows = await uow.rows(
            select(Quote, QuoteLine)
            .join(QuoteLine, QuoteLine.quote_id == Quote.id)
            .where(QuoteLine.id == line_id, quote_scope(viewer))
        )
        return (rows[0][0], rows[0][1]) if rows else None

    async def admit(self, uow: UnitOfWork, viewer: Viewer, request: LineRequest) -> LineRequest:
        """Quote lines are not put in a cart: a quote is ordered by accepting it."""
        raise DomainError.single(
            QuoteErrorCode.INVALID, "Accept the quote to order its lines.", "itemId"
        )

    async def price(self, uow: UnitOfWork, viewer: Viewer, request: LineRequest) -> PricedLine:
        """The quoted price (unavailable: gone, not the viewer's, or not priced)."""
        found = await self._line(uow, viewer, request.item_id)
        if found is None or found[1].net_amount is None:
            return unavailable(request, "", "This quote line cannot be ordered.")
        return quoted_line(found[0], found[1], request)
