"""Shipping rates and promised dates: pure functions.

A method's price for a parcel of goods is the rate of the first zone (in rate order) that
holds the destination country (a zone with no countries holds every country), in the
lightest weight bracket the goods fit; goods worth at least the method's free threshold ship
free. No matching zone or bracket: the method does not serve that address or weight.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from domain.fulfilment.delivery_dates import DeliveryPromise, TurnaroundOption, promise
from domain.fulfilment.terms import ShopTerms
from domain.fulfilment.turnaround import TURNAROUND_PARAMETER


@dataclass(frozen=True, slots=True)
class Rate:
    zone: str
    countries: frozenset[str]
    up_to_weight_g: int | None
    net: int


def zone_holds(rate: Rate, country: str) -> bool:
    return not rate.countries or country.upper() in rate.countries


def choose_rate(rates: Sequence[Rate], country: str, weight_g: int) -> Rate | None:
    """The rate for ``weight_g`` to ``country``, or None if the method does not serve it."""
    zone = next((r.zone for r in rates if zone_holds(r, country)), None)
    if zone is None:
        return None
    brackets = [
        r
        for r in rates
        if r.zone == zone
        and zone_holds(r, country)
        and (r.up_to_weight_g is None or weight_g <= r.up_to_weight_g)
    ]
    brackets.sort(key=lambda r: (r.up_to_weight_g is None, r.up_to_weight_g or 0))
    return brackets[0] if brackets else None


def charged_net(rate: Rate, goods_net: int, free_above_net: int | None) -> int:
    """The rate, or nothing when the goods reach the free-shipping threshold."""
    if free_above_net is not None and goods_net >= free_above_net:
        return 0
    return rate.net


def line_option(values: Mapping[str, Any], terms: ShopTerms) -> TurnaroundOption:
    """The turnaround option a line was ordered with (its ``turnaround`` value), else the
    shop's default."""
    days = terms.turnarounds.days
    code = str(values.get(TURNAROUND_PARAMETER) or terms.turnarounds.default)
    if code not in days:
        code = terms.turnarounds.default
    label = terms.turnarounds.default_label if code == terms.turnarounds.default else code
    return TurnaroundOption(code, label, days[code])


def order_promise(
    ordered_at: dt.datetime,
    line_values: Iterable[Mapping[str, Any]],
    transit_days: int,
    terms: ShopTerms,
) -> DeliveryPromise:
    """The promise for an order: its slowest line's turnaround, then the method's transit."""
    options = [line_option(values, terms) for values in line_values]
    slowest = max(options or [line_option({}, terms)], key=lambda o: (o.production_days, o.code))
    return promise(ordered_at, slowest, transit_days, terms.calendar)
