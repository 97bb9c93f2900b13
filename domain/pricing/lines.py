"""The line-pricing seam: how one cart or order line is priced, whatever it sells.

`orders` knows what it sells only through this module. Each selling area provides a
`LinePricing` strategy for its kind of line (catalog products: `domain.catalog.line_pricing`,
laser parts: `domain.laser.line_pricing`, stock items: `domain.stock.line_pricing`), and the
server registers them at start-up (`server/domain_wiring.py`), the way Vendure lets an
`OrderItemPriceCalculationStrategy` decide a line's price. A new kind of line (a quote line, a
supplier-routed line) is one more strategy with its own `kind`; cart, checkout and order
placement need no change.

VAT on a line is rounded here, once (`vat_on`), with the rate kept exact.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any, Protocol

from domain.accounts.viewer import Viewer
from domain.pricing.result import PriceResult, vat_on
from domain.shared.money import Money
from domain.shared.uow import UnitOfWork

__all__ = [
    "CHARGE_KINDS",
    "LineKind",
    "LinePricing",
    "LineProblem",
    "LineProblemCode",
    "LineRequest",
    "PricedLine",
    "line_pricing",
    "register_line_pricing",
    "vat_on",
]


class LineKind(StrEnum):
    """The kinds of line the shop sells today; a strategy may use any other string."""

    PRODUCT = "product"  # a configurable catalog product (domain.catalog.line_pricing)
    LASER_PART = "laser_part"  # a part from the company's library (domain.laser.line_pricing)
    STOCK_ITEM = "stock_item"  # customer-held stock called off (domain.stock.line_pricing)
    SHIPPING = "shipping"  # the chosen shipping method (domain.fulfilment.line_pricing)


# Kinds that are charges on the order rather than goods: production makes no job of them.
CHARGE_KINDS = frozenset({LineKind.SHIPPING.value})


class LineProblemCode(StrEnum):
    """Why a line cannot be ordered as it is (named like the ordering areas' codes, which
    payload errors map by name)."""

    PRODUCT_UNAVAILABLE = "PRODUCT_UNAVAILABLE"
    INVALID_CONFIGURATION = "INVALID_CONFIGURATION"


@dataclass(frozen=True, slots=True)
class LineProblem:
    code: LineProblemCode
    message: str
    field: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class LineRequest:
    """What is to be priced: one line as the selling area reads it."""

    kind: str
    channel_id: int | None
    product_id: int | None
    quantity: int
    values: Mapping[str, Any] = field(default_factory=dict)
    item_id: int | None = None  # the sold thing of kinds that have one (a part, a stock item)
    # The order's other lines, priced, for kinds priced on the whole basket (shipping: the
    # weight and value of the goods).
    basket: tuple[PricedLine, ...] = ()


@dataclass(frozen=True, slots=True)
class PricedLine:
    """A line priced now: the engine's result, what production reads (`specification`), and
    what a price token for it must name (`token_subject`, `token_config_hash`)."""

    request: LineRequest
    product_id: int | None
    version_id: int | None
    title: str
    specification: dict[str, Any]
    result: PriceResult | None
    problems: tuple[LineProblem, ...] = ()
    token_subject: str = ""
    token_config_hash: str | None = None

    @property
    def orderable(self) -> bool:
        return not self.problems and self.result is not None and self.result.net is not None

    @property
    def vat_rate_percent(self) -> Decimal:
        return self.result.vat_rate_percent if self.result is not None else Decimal(0)

    def vat(self, net: Money) -> Money:
        """The VAT on the net actually charged (the engine's, or one a price token honours)."""
        return vat_on(net, self.vat_rate_percent)


def unavailable(request: LineRequest, title: str, message: str) -> PricedLine:
    """A line that cannot be ordered any more (product, part or item gone or not offered)."""
    problem = LineProblem(LineProblemCode.PRODUCT_UNAVAILABLE, message)
    return PricedLine(request, request.product_id, None, title, {}, None, (problem,))


def result_problems(result: PriceResult) -> tuple[LineProblem, ...]:
    """The engine's messages on an invalid configuration, as line problems."""
    return tuple(
        LineProblem(LineProblemCode.INVALID_CONFIGURATION, m.message, m.field)
        for m in result.messages
    )


class LinePricing(Protocol):
    """How one kind of line is admitted to a cart and priced. Implemented by the area that
    sells it; registered at start-up with `register_line_pricing`."""

    kind: str

    async def admit(self, uow: UnitOfWork, viewer: Viewer, request: LineRequest) -> LineRequest:
        """Check the viewer may put this item in a cart and fill in what follows from it (e.g.
        the product that sells laser parts in the channel); raise DomainError if not."""
        ...

    async def price(self, uow: UnitOfWork, viewer: Viewer, request: LineRequest) -> PricedLine:
        """The line's price now; problems (gone, invalid) are returned, not raised."""
        ...


_STRATEGIES: dict[str, LinePricing] = {}


def register_line_pricing(strategy: LinePricing) -> None:
    """Register (or replace) the strategy for `strategy.kind`."""
    _STRATEGIES[strategy.kind] = strategy


def line_pricing(kind: str) -> LinePricing:
    """The strategy registered for a kind of line."""
    try:
        return _STRATEGIES[kind]
    except KeyError:
        raise LookupError(
            f"no line pricing registered for {kind!r}; the server registers them at start-up "
            "(server/domain_wiring.py)"
        ) from None


async def price_line(uow: UnitOfWork, viewer: Viewer, request: LineRequest) -> PricedLine:
    """Price a line through the strategy of its kind."""
    return await line_pricing(request.kind).price(uow, viewer, request)
