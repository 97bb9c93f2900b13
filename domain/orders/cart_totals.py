"""The cart's totals, computed as checkout will charge them: each line priced through its
kind's strategy (domain/pricing/lines.py), VAT per line from the charged net
(`placing.line_charge`, the same function order placement uses), summed per rate and in all.
A line that cannot be ordered now is counted in `unavailable_lines` and left out of the sums.
A chosen shipping method adds its line exactly as checkout does (`shipping_line.py`)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from domain.accounts.viewer import Viewer
from domain.orders.cart import cart_lines, price_cart_line
from domain.orders.delivery import delivery_address
from domain.orders.placing import LineToPlace, line_charge
from domain.orders.shipping_line import shipping_line
from domain.shared.errors import DomainError
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
    shipping_net: int | None = None  # the chosen method's net (its VAT is in the breakdown)
    shipping_problem: str | None = None  # why the chosen method cannot ship the cart


async def cart_totals(
    uow: UnitOfWork,
    viewer: Viewer,
    *,
    shipping_method_id: int | None = None,
    country: str | None = None,
) -> CartTotals:
    """The viewer's cart totals in minor units (an empty cart: zeros, no currency). With a
    shipping method: its line to ``country`` (else the company's default shipping address),
    as `orderPlace(shippingMethodId:)` will charge it."""
    per_rate: dict[Decimal, list[int]] = defaultdict(lambda: [0, 0])
    currency: str | None = None
    unavailable = 0
    rows = list(await cart_lines(uow, viewer))
    goods: list[LineToPlace] = []
    for line in rows:
        priced = await price_cart_line(uow, viewer, line)
        if not priced.orderable or priced.result is None or priced.result.net is None:
            unavailable += 1
            continue
        goods.append(LineToPlace(priced, priced.result.net.amount))
    shipping_net: int | None = None
    problem: str | None = None
    if shipping_method_id is not None and goods:
        try:
            shipping = await _shipping(
                uow, viewer, rows[0].channel_id, shipping_method_id, country, goods
            )
            goods.append(shipping)
            shipping_net = shipping.net
        except DomainError as exc:
            problem = exc.details[0].message
    for placed in goods:
        assert placed.priced.result is not None
        currency = placed.priced.result.currency
        net, vat = line_charge(placed.priced, placed.net, currency)
        share = per_rate[placed.priced.vat_rate_percent]
        share[0] += net
        share[1] += vat
    breakdown = tuple(VatShare(rate, s[0], s[1]) for rate, s in sorted(per_rate.items()))
    net_total = sum(s.net for s in breakdown)
    vat_total = sum(s.vat for s in breakdown)
    return CartTotals(
        currency,
        net_total,
        vat_total,
        net_total + vat_total,
        breakdown,
        len(rows),
        unavailable,
        shipping_net,
        problem,
    )


async def _shipping(
    uow: UnitOfWork,
    viewer: Viewer,
    channel_id: int | None,
    method_id: int,
    country: str | None,
    goods: list[LineToPlace],
) -> LineToPlace:
    if country is None:
        assert viewer.company_id is not None
        address = await delivery_address(uow, viewer.company_id, None)
        country = str(address.get("country", ""))
    return await shipping_line(uow, viewer, channel_id, method_id, country.upper(), goods)
