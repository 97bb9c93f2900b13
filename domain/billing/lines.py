"""Document lines and totals: VAT per line from the price engine's rounding (`vat_on`), and
the VAT breakdown per category and rate that the documents print and the e-invoices carry."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from domain.billing.vat import Treatment
from domain.pricing.lines import vat_on
from domain.shared.money import Money

ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class LineAmounts:
    net: int
    rate: Decimal
    vat: int
    category: str


def line_amounts(net: int, rate: Decimal, currency: str, treatment: Treatment) -> LineAmounts:
    """A line's VAT: at its own rate when domestic (category S, or Z for 0 %), none under
    reverse charge (AE) or for an export (G)."""
    if treatment.category is not None:
        return LineAmounts(net, ZERO, 0, treatment.category)
    vat = vat_on(Money(net, currency), rate).amount
    return LineAmounts(net, rate, vat, "S" if rate > 0 else "Z")


class VatLine(Protocol):
    @property
    def net_amount(self) -> int: ...
    @property
    def vat_amount(self) -> int: ...
    @property
    def vat_rate_percent(self) -> Decimal: ...
    @property
    def vat_category(self) -> str: ...


@dataclass(frozen=True, slots=True)
class VatGroup:
    """One row of the VAT breakdown: lines of one category and rate."""

    category: str
    rate: Decimal
    taxable: int
    vat: int


def vat_breakdown(lines: Iterable[VatLine]) -> list[VatGroup]:
    """Sums per (category, rate), highest rate first. The VAT of a group is the sum of its
    lines' VAT, each rounded once by the engine, so the document total equals the order's."""
    groups: dict[tuple[str, Decimal], list[int]] = {}
    for line in lines:
        key = (line.vat_category, Decimal(line.vat_rate_percent))
        acc = groups.setdefault(key, [0, 0])
        acc[0] += line.net_amount
        acc[1] += line.vat_amount
    return [
        VatGroup(cat, rate, net, vat)
        for (cat, rate), (net, vat) in sorted(groups.items(), key=lambda kv: (-kv[0][1], kv[0][0]))
    ]


def totals(lines: Sequence[VatLine]) -> tuple[int, int, int]:
    """Net, VAT and gross of a document."""
    net = sum(line.net_amount for line in lines)
    vat = sum(line.vat_amount for line in lines)
    return net, vat, net + vat
