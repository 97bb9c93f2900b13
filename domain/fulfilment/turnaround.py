"""Turnaround options of a product, each with its price and promised dates.

A product offers turnaround options through a choice parameter named ``turnaround`` in its
specification (labels and the options offered are product data; a surcharge for a faster
option is an ordinary price rule on that parameter, e.g. an ``option_surcharge``). How many
working days each option takes is the shop's (``TurnaroundCatalogue``, from settings): option
keys the shop does not know are not offered. A product without the parameter has the shop's
default option at its ordinary price.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from domain.accounts.viewer import Viewer
from domain.catalog.models import Channel
from domain.catalog.prices import price_context, product_in_channel_for_read
from domain.fulfilment.delivery_dates import (
    DeliveryPromise,
    ShopCalendar,
    TurnaroundOption,
    promise,
)
from domain.pricing.engine import compiled_for, evaluate
from domain.pricing.result import PriceResult
from domain.shared.uow import UnitOfWork

TURNAROUND_PARAMETER = "turnaround"


@dataclass(frozen=True, slots=True)
class TurnaroundCatalogue:
    """The shop's turnaround options: working days of production by option key."""

    days: Mapping[str, int]
    default: str = "standard"
    default_label: str = "Standard"

    def __post_init__(self) -> None:
        if self.default not in self.days:
            raise ValueError(f"the default turnaround {self.default!r} needs its days")


@dataclass(frozen=True, slots=True)
class DeliveryQuote:
    promise: DeliveryPromise
    price: PriceResult


def offered_options(
    spec: Mapping[str, Any], catalogue: TurnaroundCatalogue
) -> list[TurnaroundOption]:
    """The options a product version's specification offers, with the shop's days."""
    for param in spec.get("parameters") or ():
        if isinstance(param, Mapping) and param.get("key") == TURNAROUND_PARAMETER:
            return [
                TurnaroundOption(
                    str(o["key"]), str(o.get("label") or o["key"]), catalogue.days[o["key"]]
                )
                for o in param.get("options") or ()
                if isinstance(o, Mapping) and o.get("key") in catalogue.days
            ]
    default = catalogue.default
    return [TurnaroundOption(default, catalogue.default_label, catalogue.days[default])]


async def delivery_quotes(
    uow: UnitOfWork,
    viewer: Viewer,
    channel: Channel,
    product_id: int,
    values: Mapping[str, Any],
    quantity: int,
    *,
    calendar: ShopCalendar,
    catalogue: TurnaroundCatalogue,
    ordered_at: dt.datetime,
    transit_days: int,
    version_id: int | None = None,
    company_id: int | None = None,
) -> list[DeliveryQuote]:
    """Per turnaround option: the price of the configuration with that option and the promised
    dispatch and delivery dates of an order placed at ``ordered_at``; fastest first."""
    if transit_days < 0:
        raise ValueError("transit_days must not be negative")
    _, version = await product_in_channel_for_read(uow, channel, product_id, version_id)
    ctx = await price_context(uow, viewer, channel, company_id, cached=True)
    compiled = compiled_for(("pv", version.id), version.spec, version.rules)
    options = offered_options(version.spec, catalogue)
    has_parameter = any(
        isinstance(p, Mapping) and p.get("key") == TURNAROUND_PARAMETER
        for p in version.spec.get("parameters") or ()
    )
    quotes = []
    for option in options:
        chosen = {**values, TURNAROUND_PARAMETER: option.code} if has_parameter else values
        quotes.append(
            DeliveryQuote(
                promise(ordered_at, option, transit_days, calendar),
                evaluate(compiled, chosen, quantity, ctx),
            )
        )
    return sorted(
        quotes,
        key=lambda q: (
            q.promise.delivery_on,
            q.promise.option.production_days,
            q.promise.option.code,
        ),
    )
