"""A quote line's money: which price counts (override, partner cost with markup, engine), its
VAT at the exact rate, and the quote's totals. Pure functions, rounded once each with the one
money rounding rule."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from domain.quotes.models import Quote, QuoteLine
from domain.shared.money import Money

_HUNDRED = Decimal(100)


def with_markup(cost_net: int, markup_percent: Decimal, currency: str) -> int:
    """The sale price of a partner's cost: cost x (1 + markup %), rounded half-up once."""
    value = Money(cost_net, currency).to_decimal() * (1 + markup_percent / _HUNDRED)
    return Money.from_decimal(value, currency).amount


def vat_of(net: int, rate_percent: Decimal, currency: str) -> int:
    """VAT of a line at the exact rate (never truncated), rounded half-up once."""
    return Money.from_decimal(
        Money(net, currency).to_decimal() * rate_percent / _HUNDRED, currency
    ).amount


def sale_net(line: QuoteLine, currency: str) -> int | None:
    """What the customer pays for the line: a hand-set override first, then a partner's cost
    with the markup, then the engine's price; None while the line has no price."""
    if line.override_net is not None:
        return line.override_net
    if line.cost_net is not None and line.markup_percent is not None:
        return with_markup(line.cost_net, line.markup_percent, currency)
    return line.engine_net


def settle_line(line: QuoteLine, currency: str) -> None:
    net = sale_net(line, currency)
    line.net_amount = net
    line.vat_amount = None if net is None else vat_of(net, line.vat_rate_percent, currency)


def settle_quote(quote: Quote, lines: Sequence[QuoteLine]) -> None:
    """Each line's amounts, then the quote's totals over the priced lines."""
    for line in lines:
        settle_line(line, quote.currency)
    quote.net_amount = sum(line.net_amount or 0 for line in lines)
    quote.vat_amount = sum(line.vat_amount or 0 for line in lines)
    quote.gross_amount = quote.net_amount + quote.vat_amount
