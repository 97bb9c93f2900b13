"""The cart's totals, computed as checkout will charge them: each line priced through its
kind's strategy (domain/pricing/lines.py), VAT per line from the charged net
(`placing.line_charge`, the same function order placement uses), summed per rate and in all.
A line that cannot be ordered now is counted in `unavailable_lines` and left out of the sums.
A further kind of line (e.g. shipping) priced through the seam adds to the sums the same way."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from domain.accounts.viewer import Viewer
from domain.orders.cart import cart_lines, price_cart_line
from domain.orders.placing import line_charge
from domain.shared.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class VatShare:
    rate_percent: Decimal
    net: int
    vat: int


@dataclass(frozen=True, slots=True)
class CartTotals:
    currency: str | None
    net: int
    vat: int
    gross: int
    vat_breakdown: tuple[VatShare, ...]
    lines: int
    unavailable_lines: int


async def cart_totals(uow: UnitOfWork, viewer: Viewer) -> CartTotals:
    """The viewer's cart totals in minor units (an empty cart: zeros, no currency)."""
    per_rate: dict[Decimal, list[int]] = defaultdict(lambda: [0, 0])
    currency: str | None = None
    unavailable = 0
    rows = list(await cart_lines(uow, viewer))
    for line in rows:
        priced = await price_cart_line(uow, viewer, line)
        if not priced.orderable or priced.result is None or priced.result.net is None:
            unavailable += 1
            continue
        currency = priced.result.currency
        net, vat = line_charge(priced, priced.result.net.amount, currency)
        share = per_rate[priced.vat_rate_percent]
        share[0] += net
        share[1] += vat
    breakdown = tuple(VatShare(rate, s[0], s[1]) for rate, s in sorted(per_rate.items()))
    net_total = sum(s.net for s in breakdown)
    vat_total = sum(s.vat for s in breakdown)
    return CartTotals(
        currency, net_total, vat_total, net_total + vat_total, breakdown, len(rows), unavailable
    )
