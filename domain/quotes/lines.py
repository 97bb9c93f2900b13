"""Quote lines priced through the one price engine (catalog configurations and laser parts),
with the breakdown kept; stock items and free lines carry a hand-set price."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from domain.accounts.viewer import Viewer
from domain.catalog.configurations import get_configuration
from domain.catalog.models import Channel
from domain.catalog.prices import price_context, price_version, product_in_channel
from domain.catalog.services import spec_for
from domain.laser.line_pricing import part_specification
from domain.laser.models import Part
from domain.laser.part_geometry import geometry_from_json
from domain.laser.shop import load_shop, price_part
from domain.pricing.result import PriceResult
from domain.quotes.errors import QuoteErrorCode
from domain.quotes.models import Quote, QuoteLine
from domain.quotes.state import QuoteLineKind
from domain.shared.errors import DomainError
from domain.shared.uow import UnitOfWork
from domain.stock.models import StockItem

MAX_QUANTITY = 10_000_000
MAX_NET = 10**12  # minor units
DEFAULT_VAT = Decimal(19)


@dataclass(frozen=True, slots=True)
class LineInput:
    """One line to add: exactly one of product (with values), a saved configuration (its
    product and values), part, stock item, or none (a free line with a title and a hand-set
    net)."""

    quantity: int
    configuration_id: uuid.UUID | None = None
    product_id: int | None = None
    values: Mapping[str, Any] = field(default_factory=dict)
    part_id: int | None = None
    stock_item_id: int | None = None
    title: str = ""
    description: str = ""
    net: int | None = None  # hand-set net for the whole quantity (free and stock lines)
    vat_rate_percent: Decimal | None = None


def kind_of(cmd: LineInput, at: tuple[str, ...]) -> QuoteLineKind:
    things = (cmd.product_id, cmd.configuration_id, cmd.part_id, cmd.stock_item_id)
    if sum(x is not None for x in things) > 1:
        raise DomainError.single(
            QuoteErrorCode.INVALID,
            "Give a product, a configuration, a part or a stock item, not several.",
            at,
        )
    if not 1 <= cmd.quantity <= MAX_QUANTITY:
        raise DomainError.single(
            QuoteErrorCode.INVALID_QUANTITY,
            f"The quantity is a whole number from 1 to {MAX_QUANTITY:,}.",
            (*at, "quantity"),
        )
    if cmd.net is not None and not 0 <= cmd.net <= MAX_NET:
        raise DomainError.single(QuoteErrorCode.INVALID_PRICE, "Not a price.", (*at, "net"))
    rate = cmd.vat_rate_percent
    if rate is not None and not Decimal(0) <= rate <= Decimal(100):
        raise DomainError.single(
            QuoteErrorCode.INVALID, "A VAT rate from 0 to 100 %.", (*at, "vatRatePercent")
        )
    if cmd.product_id is not None or cmd.configuration_id is not None:
        return QuoteLineKind.CONFIGURATION
    if cmd.part_id is not None:
        return QuoteLineKind.PART
    if cmd.stock_item_id is not None:
        return QuoteLineKind.STOCK_ITEM
    if not cmd.title.strip() or len(cmd.title) > 300:
        raise DomainError.single(
            QuoteErrorCode.REQUIRED, "A free line needs a title (1-300 characters).", (*at, "title")
        )
    return QuoteLineKind.FREE


def breakdown(result: PriceResult) -> list[dict[str, Any]]:
    """The engine's lines as kept on the quote line (the customer sees why it costs that)."""
    return [
        {"code": p.code, "label": p.label, "amount": p.amount.amount, "detail": p.detail}
        for p in result.lines
    ]


def _priced(line: QuoteLine, result: PriceResult, at: tuple[str, ...]) -> None:
    if not result.valid or result.net is None:
        message = "; ".join(m.message for m in result.messages) or "This cannot be priced."
        raise DomainError.single(QuoteErrorCode.INVALID_CONFIGURATION, message, at)
    line.engine_net = result.net.amount
    line.price_lines = breakdown(result)
    line.vat_rate_percent = result.vat_rate_percent


async def build_line(
    uow: UnitOfWork,
    viewer: Viewer,
    quote: Quote,
    cmd: LineInput,
    position: int,
    at: tuple[str, ...],
) -> QuoteLine:
    """A new line of ``quote``, priced now for the quote's company in the quote's channel."""
    kind = kind_of(cmd, at)
    if cmd.configuration_id is not None:
        cmd = await _from_configuration(uow, viewer, quote, cmd, at)
    line = QuoteLine(
        quote_id=quote.id,
        company_id=quote.company_id,
        position=position,
        kind=kind,
        quantity=cmd.quantity,
        title=cmd.title.strip()[:300],
        description=cmd.description.strip(),
        values=dict(cmd.values),
        product_id=cmd.product_id,
        part_id=cmd.part_id,
        stock_item_id=cmd.stock_item_id,
        vat_rate_percent=cmd.vat_rate_percent if cmd.vat_rate_percent is not None else DEFAULT_VAT,
        specification={},
        price_lines=[],
    )
    if kind is QuoteLineKind.STOCK_ITEM:
        await _stock_line(uow, quote, line, at)
    elif kind in (QuoteLineKind.CONFIGURATION, QuoteLineKind.PART):
        await reprice(uow, viewer, quote, line, at)
    if kind in (QuoteLineKind.FREE, QuoteLineKind.STOCK_ITEM):
        line.engine_net = cmd.net  # the hand-set price is the line's own price
    return line


async def _from_configuration(
    uow: UnitOfWork, viewer: Viewer, quote: Quote, cmd: LineInput, at: tuple[str, ...]
) -> LineInput:
    """A saved configuration (the viewer's company's, or an anonymous draft) as its product
    and values, priced in the quote's channel at the line's quantity."""
    assert cmd.configuration_id is not None
    try:
        config = await get_configuration(uow, viewer, cmd.configuration_id)
    except DomainError:
        config = None
    if config is None or config.company_id not in (None, quote.company_id):
        raise DomainError.single(
            QuoteErrorCode.NOT_FOUND, "Configuration not found.", (*at, "configurationId")
        )
    return replace(cmd, configuration_id=None, product_id=config.product_id, values=config.values)


async def reprice(
    uow: UnitOfWork, viewer: Viewer, quote: Quote, line: QuoteLine, at: tuple[str, ...]
) -> None:
    """Price an engine line again (after a quantity change, or before sending)."""
    channel = await uow.session.get(Channel, quote.channel_id)
    if channel is None:
        raise DomainError.single(QuoteErrorCode.PRODUCT_UNAVAILABLE, "The channel is gone.", at)
    ctx = await price_context(uow, viewer, channel, quote.company_id)
    if line.kind is QuoteLineKind.CONFIGURATION:
        assert line.product_id is not None
        try:
            product, version = await product_in_channel(uow, channel, line.product_id)
        except DomainError:
            raise DomainError.single(
                QuoteErrorCode.NOT_FOUND, "Product not found.", (*at, "productId")
            ) from None
        result = price_version(version, line.values, line.quantity, ctx)
        _priced(line, result, at)
        line.product_version_id = version.id
        line.title = line.title or product.name
        line.specification = _configuration_spec(version.version, version.id, version.spec, line)
    elif line.kind is QuoteLineKind.PART:
        assert line.part_id is not None
        part: Part | None = await uow.scalar(
            select(Part).where(Part.id == line.part_id, Part.company_id == quote.company_id)
        )
        if part is None:
            raise DomainError.single(QuoteErrorCode.NOT_FOUND, "Part not found.", (*at, "partId"))
        shop = await load_shop(uow)
        material = shop.by_id(part.material_id)
        thickness = material.material.thickness(part.thickness_mm) if material else None
        if material is None or thickness is None or shop.rates is None:
            raise DomainError.single(
                QuoteErrorCode.PRODUCT_UNAVAILABLE, "The part's material is not offered.", at
            )
        geometry = geometry_from_json(part.geometry)
        result = price_part(geometry, material.material, thickness, shop.rates, line.quantity, ctx)
        _priced(line, result, at)
        line.title = line.title or part.name
        line.specification = part_specification(part, material, thickness, geometry, line.quantity)


def _configuration_spec(
    version_number: int, version_id: int, spec_json: dict[str, Any], line: QuoteLine
) -> dict[str, Any]:
    """Every parameter with its label and the chosen value, as production will read it."""
    spec = spec_for(version_id, spec_json)
    check = spec.check(line.values)
    params = [
        {
            "key": p.key,
            "label": p.label,
            "value": str(check.values[p.key]) if check.values.get(p.key) is not None else None,
            "display": p.describe(check.values[p.key])
            if check.values.get(p.key) is not None
            else None,
        }
        for p in spec.parameters
    ]
    return {"productVersion": version_number, "parameters": params, "values": dict(line.values)}


async def _stock_line(uow: UnitOfWork, quote: Quote, line: QuoteLine, at: tuple[str, ...]) -> None:
    item: StockItem | None = await uow.scalar(
        select(StockItem).where(
            StockItem.id == line.stock_item_id, StockItem.company_id == quote.company_id
        )
    )
    if item is None:
        raise DomainError.single(
            QuoteErrorCode.NOT_FOUND, "Stock item not found.", (*at, "stockItemId")
        )
    line.title = line.title or f"{item.sku} {item.name}"
    line.specification = {
        "stockItem": {"sku": item.sku, "name": item.name, "unit": item.unit.value}
    }
