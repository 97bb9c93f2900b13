"""What a price calculation returns, and the finishing step every calculator shares.

``settle`` is the one place where cost amounts become money. Each cost line (after its quantity
break factor) is rounded once, half-up, with ``Money.from_decimal``; the adjustments that follow
(minimum price, customer-group discount, company markup) are computed on the sum of the rounded
lines above them and are rounded once each. So every line is rounded exactly once, the net is
the exact sum of the lines shown, and a customer can recompute each adjustment from the lines
printed above it. It also keeps each adjustment a non-decreasing function of that sum, which the
engine's "net never falls with quantity" guarantee needs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from domain.shared.errors import ErrorDetail
from domain.shared.money import Money

_HUNDRED = Decimal(100)


@dataclass(frozen=True, slots=True)
class PriceLine:
    code: str  # machine-readable: "setup", "paper", "surcharge.finish.gloss", "minimum", ...
    label: str  # human-readable, e.g. "Paper: 125 sheets"
    amount: Money  # rounded once, for the whole quantity
    detail: str | None = None  # how it was computed, e.g. "125 sheets x 0.045 x 0.9"


@dataclass(frozen=True, slots=True)
class PriceResult:
    """A price, or why there is none.

    An invalid request (configuration problems, quantity out of range) does not raise: it gives
    ``valid == False``, no lines, no totals, and ``messages`` to show next to the fields, because
    a live price in a configurator updates while the customer is still choosing.
    """

    quantity: int
    currency: str
    vat_rate_percent: Decimal
    lines: tuple[PriceLine, ...] = ()
    net: Money | None = None
    vat: Money | None = None
    gross: Money | None = None
    unit_net: Money | None = None
    messages: tuple[ErrorDetail, ...] = ()

    @property
    def valid(self) -> bool:
        return self.net is not None


@dataclass(frozen=True, slots=True)
class Settlement:
    """Minor-unit amounts of one calculation, before any quantity cap."""

    lines: tuple[Money, ...]  # each cost line, factor applied, rounded once
    minimum: int  # >= 0
    discount: int  # <= 0
    markup: int  # company markup (> 0) or discount (< 0)
    net: int  # >= 0


def clamp_percents(discount_percent: Decimal, markup_percent: Decimal) -> tuple[Decimal, Decimal]:
    """Discounts are capped so a total can never turn negative: 0..100 % off, markup >= -100 %."""
    return min(max(discount_percent, Decimal(0)), _HUNDRED), max(markup_percent, -_HUNDRED)


def _share(minor: int, percent: Decimal, currency: str) -> int:
    return Money.from_decimal(
        Money(minor, currency).to_decimal() * percent / _HUNDRED, currency
    ).amount


def round_lines(
    costs: Sequence[tuple[Decimal, bool]], factor: Decimal, minimum: int, currency: str
) -> tuple[tuple[Money, ...], int, int]:
    """Apply the break ``factor`` to variable costs and round each line once; return the lines,
    the minimum price adjustment and the base (their sum) that adjustments start from."""
    rounded: list[Money] = []
    subtotal = 0
    scale = factor != 1
    from_decimal = Money.from_decimal
    for amount, variable in costs:
        money = from_decimal(amount * factor if variable and scale else amount, currency)
        rounded.append(money)
        subtotal += money.amount
    # max(0, ...): even negative cost lines end at the minimum net, itself >= 0.
    minimum_adjustment = minimum - subtotal if subtotal < minimum else 0
    return tuple(rounded), minimum_adjustment, subtotal + minimum_adjustment


def adjust(
    base: int, discount_percent: Decimal, markup_percent: Decimal, currency: str
) -> tuple[int, int, int]:
    """Customer-group discount, then company markup, on a base in minor units: (discount,
    markup, net). Non-decreasing in ``base``; percentages must be clamped already."""
    discount = -_share(base, discount_percent, currency) if discount_percent else 0
    after_discount = base + discount
    markup = 0
    if markup_percent > 0:
        markup = _share(after_discount, markup_percent, currency)
    elif markup_percent < 0:
        markup = -_share(after_discount, -markup_percent, currency)
    return discount, markup, after_discount + markup


def settle(
    costs: Sequence[tuple[Decimal, bool]],
    factor: Decimal,
    minimum: int,
    discount_percent: Decimal,
    markup_percent: Decimal,
    currency: str,
) -> Settlement:
    """Factor, one rounding per line, minimum, customer-group discount, company markup."""
    lines, minimum_adjustment, base = round_lines(costs, factor, minimum, currency)
    discount, markup, net = adjust(base, discount_percent, markup_percent, currency)
    return Settlement(lines, minimum_adjustment, discount, markup, net)


def _percent_text(value: Decimal) -> str:
    return format(value.normalize(), "f")


def adjustment_lines(
    settlement: Settlement,
    currency: str,
    minimum_net: Decimal,
    discount_percent: Decimal,
    markup_percent: Decimal,
) -> list[PriceLine]:
    """The minimum, discount and markup lines of a settlement (only those that are not zero)."""
    lines: list[PriceLine] = []
    if settlement.minimum:
        detail = f"minimum net price {format(minimum_net, 'f')} {currency}"
        lines.append(
            PriceLine(
                "minimum", "Minimum price adjustment", Money(settlement.minimum, currency), detail
            )
        )
    if settlement.discount:
        detail = f"{_percent_text(discount_percent)} % of the subtotal"
        lines.append(
            PriceLine(
                "discount.customer_group",
                "Customer group discount",
                Money(settlement.discount, currency),
                detail,
            )
        )
    if settlement.markup:
        positive = settlement.markup > 0
        detail = f"{_percent_text(abs(markup_percent))} % of the subtotal"
        lines.append(
            PriceLine(
                "markup.company" if positive else "discount.company",
                "Company markup" if positive else "Company discount",
                Money(settlement.markup, currency),
                detail,
            )
        )
    return lines


def totals_result(
    lines: Sequence[PriceLine], net: int, quantity: int, currency: str, vat_rate_percent: Decimal
) -> PriceResult:
    """Net, VAT on the net (rounded once), gross and the unit net price."""
    net_money = Money(net, currency)
    net_decimal = net_money.to_decimal()
    vat = vat_on(net_money, vat_rate_percent)
    return PriceResult(
        quantity=quantity,
        currency=currency,
        vat_rate_percent=vat_rate_percent,
        lines=tuple(lines),
        net=net_money,
        vat=vat,
        gross=net_money + vat,
        unit_net=Money.from_decimal(net_decimal / quantity, currency),
    )


def vat_on(net: Money, vat_rate_percent: Decimal) -> Money:
    """VAT on a net amount at the exact rate, rounded half-up once: the one VAT rounding."""
    return Money.from_decimal(net.to_decimal() * vat_rate_percent / _HUNDRED, net.currency)
