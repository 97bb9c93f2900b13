"""Shipping methods of a channel, managed by staff, and what they cost for a basket of goods
to an address, with the dates they promise (`shipping_quote`, `shipping_options`).

The payments/cart side and checkout call `shipping_quote` (checkout through the line-pricing
seam: domain/fulfilment/line_pricing.py) so every caller gets the same cost.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select

from domain.accounts.policies import require_staff_role
from domain.accounts.rights import StaffRole
from domain.accounts.viewer import Viewer
from domain.catalog.models import Channel
from domain.fulfilment.carriers import carrier_codes
from domain.fulfilment.delivery_dates import DeliveryPromise
from domain.fulfilment.errors import FulfilmentErrorCode
from domain.fulfilment.models import ShippingKind, ShippingMethod, ShippingRate
from domain.fulfilment.rates import Rate, charged_net, choose_rate, order_promise
from domain.fulfilment.terms import shop_terms
from domain.fulfilment.weights import Goods, total_weight_g
from domain.pricing.lines import PricedLine, vat_on
from domain.shared.errors import DomainError, ErrorCollector
from domain.shared.models import utcnow
from domain.shared.money import Money
from domain.shared.uow import UnitOfWork

SHIPPING_ADMIN_ROLES = frozenset({StaffRole.ADMIN, StaffRole.SALES})
_CODE = re.compile(r"^[a-z][a-z0-9-]{0,39}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")


@dataclass(frozen=True, slots=True)
class RateInput:
    zone: str
    net: int
    countries: Sequence[str] = ()
    up_to_weight_g: int | None = None


@dataclass(frozen=True, slots=True)
class ShippingMethodInput:
    code: str
    name: str
    kind: ShippingKind
    rates: Sequence[RateInput]
    carrier: str = "builtin"
    carrier_service: str = ""
    transit_days: int = 0
    free_above_net: int | None = None
    tracking_url_template: str = ""
    position: int = 0
    is_active: bool = True


def _validate(cmd: ShippingMethodInput) -> None:
    errors = ErrorCollector()
    if not _CODE.match(cmd.code):
        errors.add(FulfilmentErrorCode.INVALID, "Lower-case letters, digits, dashes.", "code")
    if not cmd.name.strip() or len(cmd.name) > 120:
        errors.add(FulfilmentErrorCode.REQUIRED, "A name of 1-120 characters.", "name")
    if not 0 <= cmd.transit_days <= 60:
        errors.add(FulfilmentErrorCode.INVALID, "From 0 to 60 working days.", "transitDays")
    if cmd.free_above_net is not None and cmd.free_above_net < 0:
        errors.add(FulfilmentErrorCode.INVALID, "Not negative.", "freeAboveNet")
    if cmd.carrier not in carrier_codes():
        errors.add(FulfilmentErrorCode.UNKNOWN_CARRIER, "No such carrier.", "carrier")
    if cmd.tracking_url_template and "{tracking}" not in cmd.tracking_url_template:
        errors.add(FulfilmentErrorCode.INVALID, "Must contain {tracking}.", "trackingUrlTemplate")
    if not cmd.rates:
        errors.add(FulfilmentErrorCode.REQUIRED, "At least one rate.", "rates")
    for index, rate in enumerate(cmd.rates):
        path = ("rates", str(index))
        if not rate.zone.strip() or len(rate.zone) > 80:
            errors.add(FulfilmentErrorCode.REQUIRED, "A zone name.", (*path, "zone"))
        if rate.net < 0:
            errors.add(FulfilmentErrorCode.INVALID, "Not negative.", (*path, "net"))
        if rate.up_to_weight_g is not None and rate.up_to_weight_g <= 0:
            errors.add(FulfilmentErrorCode.INVALID, "More than 0 g.", (*path, "upToWeightG"))
        if any(not _COUNTRY.match(c.upper()) for c in rate.countries):
            errors.add(
                FulfilmentErrorCode.INVALID, "ISO country codes (DE, AT).", (*path, "countries")
            )
    errors.raise_if_any()


def _apply(method: ShippingMethod, cmd: ShippingMethodInput) -> None:
    method.code = cmd.code
    method.name = cmd.name.strip()
    method.kind = cmd.kind
    method.carrier = cmd.carrier
    method.carrier_service = cmd.carrier_service
    method.transit_days = cmd.transit_days
    method.free_above_net = cmd.free_above_net
    method.tracking_url_template = cmd.tracking_url_template
    method.position = cmd.position
    method.is_active = cmd.is_active


async def _unique_code(uow: UnitOfWork, channel_id: int, code: str, own_id: int | None) -> None:
    clash = await uow.scalar(
        select(ShippingMethod.id).where(
            ShippingMethod.channel_id == channel_id, ShippingMethod.code == code
        )
    )
    if clash is not None and clash != own_id:
        raise DomainError.single(
            FulfilmentErrorCode.DUPLICATE, "The channel has a method with this code.", "code"
        )


async def _replace_rates(
    uow: UnitOfWork, method: ShippingMethod, rates: Sequence[RateInput]
) -> None:
    for old in await uow.scalars(select(ShippingRate).where(ShippingRate.method_id == method.id)):
        await uow.session.delete(old)
    await uow.session.flush()
    uow.session.add_all(
        ShippingRate(
            method_id=method.id,
            zone=r.zone.strip(),
            countries=sorted({c.upper() for c in r.countries}),
            up_to_weight_g=r.up_to_weight_g,
            net_amount=r.net,
        )
        for r in rates
    )


async def shipping_method_create(
    uow: UnitOfWork, viewer: Viewer, channel_code: str, cmd: ShippingMethodInput
) -> ShippingMethod:
    """Requires staff role ADMIN or SALES. A new method of the channel, with its rates."""
    require_staff_role(viewer, SHIPPING_ADMIN_ROLES)
    _validate(cmd)
    async with uow:
        channel = await uow.scalar(select(Channel).where(Channel.code == channel_code))
        if channel is None:
            raise DomainError.single(FulfilmentErrorCode.NOT_FOUND, "No such channel.", "channel")
        await _unique_code(uow, channel.id, cmd.code, None)
        method = ShippingMethod(channel_id=channel.id)
        _apply(method, cmd)
        uow.session.add(method)
        await uow.session.flush()
        await _replace_rates(uow, method, cmd.rates)
        await uow.commit()
        return method


async def shipping_method_update(
    uow: UnitOfWork, viewer: Viewer, method_id: int, cmd: ShippingMethodInput
) -> ShippingMethod:
    """Requires staff role ADMIN or SALES. Replaces the method's settings and rates; orders
    placed before keep the price they were charged."""
    require_staff_role(viewer, SHIPPING_ADMIN_ROLES)
    _validate(cmd)
    async with uow:
        method: ShippingMethod | None = await uow.scalar(
            select(ShippingMethod).where(ShippingMethod.id == method_id).with_for_update()
        )
        if method is None:
            raise DomainError.single(FulfilmentErrorCode.NOT_FOUND, "No such method.", "id")
        await _unique_code(uow, method.channel_id, cmd.code, method.id)
        _apply(method, cmd)
        await _replace_rates(uow, method, cmd.rates)
        await uow.commit()
        return method


async def rates_of(uow: UnitOfWork, method_ids: Sequence[int]) -> dict[int, list[ShippingRate]]:
    """The rates of each method, in the order staff gave them (one query)."""
    found: dict[int, list[ShippingRate]] = {m: [] for m in method_ids}
    rows = await uow.scalars(
        select(ShippingRate)
        .where(ShippingRate.method_id.in_(method_ids))
        .order_by(ShippingRate.method_id, ShippingRate.id)
    )
    for row in rows:
        found[row.method_id].append(row)
    return found


async def channel_methods(
    uow: UnitOfWork, channel_id: int, *, active_only: bool = True
) -> list[ShippingMethod]:
    stmt = select(ShippingMethod).where(ShippingMethod.channel_id == channel_id)
    if active_only:
        stmt = stmt.where(ShippingMethod.is_active.is_(True))
    return list(await uow.scalars(stmt.order_by(ShippingMethod.position, ShippingMethod.id)))


@dataclass(frozen=True, slots=True)
class ShippingQuote:
    """A method's cost for the goods to an address, and the dates it promises."""

    method: ShippingMethod
    weight_g: int
    net: Money
    vat: Money
    vat_rate_percent: Decimal
    promise: DeliveryPromise
    zone: str = ""
    goods_net: int = 0
    free: bool = field(default=False)

    @property
    def gross(self) -> Money:
        return self.net + self.vat


def basket_vat_rate(lines: Sequence[PricedLine]) -> Decimal:
    """Shipping follows the goods it carries: the VAT rate of the line with the largest net
    (the main supply; one rate for a basket that has one)."""
    priced = [line for line in lines if line.result is not None and line.result.net is not None]
    if not priced:
        return Decimal(0)
    main = max(
        priced, key=lambda line: line.result.net.amount if line.result and line.result.net else 0
    )
    return main.vat_rate_percent


def goods_of(lines: Sequence[PricedLine]) -> list[Goods]:
    return [Goods(line.request.kind, line.specification, line.request.quantity) for line in lines]


def quote_for(
    method: ShippingMethod,
    rates: Sequence[ShippingRate],
    lines: Sequence[PricedLine],
    country: str,
    currency: str,
    *,
    goods_net: int | None = None,
    ordered_at: dt.datetime | None = None,
) -> ShippingQuote | None:
    """The quote of a loaded method (pure), or None if it does not serve this address/weight."""
    weight = total_weight_g(goods_of(lines))
    rate = choose_rate(
        [Rate(r.zone, frozenset(r.countries), r.up_to_weight_g, r.net_amount) for r in rates],
        country,
        weight,
    )
    if rate is None:
        return None
    if goods_net is None:
        goods_net = sum(line.result.net.amount for line in lines if line.result and line.result.net)
    net = Money(charged_net(rate, goods_net, method.free_above_net), currency)
    vat_rate = basket_vat_rate(lines)
    promised = order_promise(
        ordered_at or utcnow(),
        [line.request.values for line in lines],
        method.transit_days,
        shop_terms(),
    )
    return ShippingQuote(
        method,
        weight,
        net,
        vat_on(net, vat_rate),
        vat_rate,
        promised,
        rate.zone,
        goods_net,
        free=net.amount == 0 and rate.net > 0,
    )


async def shipping_quote(
    uow: UnitOfWork,
    viewer: Viewer,
    channel_id: int,
    lines: Sequence[PricedLine],
    method_id: int,
    country: str,
    *,
    goods_net: int | None = None,
    ordered_at: dt.datetime | None = None,
) -> ShippingQuote | None:
    """What the active method ``method_id`` of the channel costs (net and VAT) for the priced
    goods ``lines`` to ``country``, and the promised dispatch and delivery dates; None when
    the channel has no such method or it does not serve the address or the weight."""
    method: ShippingMethod | None = await uow.scalar(
        select(ShippingMethod).where(
            ShippingMethod.id == method_id,
            ShippingMethod.channel_id == channel_id,
            ShippingMethod.is_active.is_(True),
        )
    )
    channel = await uow.session.get(Channel, channel_id)
    if method is None or channel is None:
        return None
    rates = (await rates_of(uow, [method.id]))[method.id]
    return quote_for(
        method, rates, lines, country, channel.currency, goods_net=goods_net, ordered_at=ordered_at
    )


async def shipping_options(
    uow: UnitOfWork,
    viewer: Viewer,
    channel_id: int,
    lines: Sequence[PricedLine],
    country: str,
    *,
    ordered_at: dt.datetime | None = None,
) -> list[ShippingQuote]:
    """Every active method of the channel that serves ``country`` for these goods, with its
    cost and promised dates, in the shop's order (a constant number of queries)."""
    channel = await uow.session.get(Channel, channel_id)
    if channel is None:
        return []
    methods = await channel_methods(uow, channel_id)
    rates = await rates_of(uow, [m.id for m in methods])
    quotes = [
        quote_for(m, rates[m.id], lines, country, channel.currency, ordered_at=ordered_at)
        for m in methods
    ]
    return [q for q in quotes if q is not None]
