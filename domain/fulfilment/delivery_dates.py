"""Promised dispatch and delivery dates: pure functions over the shop's calendar.

An order placed on a working day before the shop's daily cut-off (in the shop's time zone) is
accepted that day; otherwise on the next working day. Production then takes the turnaround
option's number of working days, not counting the day of acceptance: standard (5 days) for an
order accepted on Monday is dispatched on the Monday after. The parcel arrives after the
shipping method's transit days, counted as working days too (carriers do not deliver on
weekends and public holidays; 0 for pickup at the shop). Weekends and the shop's holidays are
skipped everywhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

MONDAY_TO_FRIDAY = frozenset(range(5))  # date.weekday(): Monday is 0


@dataclass(frozen=True, slots=True)
class ShopCalendar:
    """When the shop works: weekdays, holidays and the daily order cut-off (local time)."""

    timezone: str = "Europe/Berlin"
    working_weekdays: frozenset[int] = MONDAY_TO_FRIDAY
    holidays: frozenset[dt.date] = field(default_factory=frozenset)
    cutoff: dt.time = dt.time(14, 0)

    def __post_init__(self) -> None:
        ZoneInfo(self.timezone)  # raises for an unknown zone
        if not self.working_weekdays or not self.working_weekdays <= set(range(7)):
            raise ValueError("working_weekdays: at least one of 0 (Monday) to 6 (Sunday)")

    def is_working_day(self, day: dt.date) -> bool:
        return day.weekday() in self.working_weekdays and day not in self.holidays

    def next_working_day(self, day: dt.date) -> dt.date:
        """The first working day after ``day``."""
        day += dt.timedelta(days=1)
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    def add_working_days(self, day: dt.date, days: int) -> dt.date:
        """``days`` working days after ``day`` (``day`` itself is not counted)."""
        if days < 0:
            raise ValueError("days must not be negative")
        for _ in range(days):
            day = self.next_working_day(day)
        return day


@dataclass(frozen=True, slots=True)
class TurnaroundOption:
    """How fast a product is made, e.g. standard in 5 working days, express in 2 (its
    surcharge is a price rule of the product)."""

    code: str
    label: str
    production_days: int

    def __post_init__(self) -> None:
        if self.production_days < 0:
            raise ValueError("production_days must not be negative")


@dataclass(frozen=True, slots=True)
class DeliveryPromise:
    option: TurnaroundOption
    accepted_on: dt.date  # production counts from this working day
    dispatch_on: dt.date
    delivery_on: dt.date


def accepted_on(ordered_at: dt.datetime, calendar: ShopCalendar) -> dt.date:
    """The working day an order placed at ``ordered_at`` (aware) counts from."""
    if ordered_at.tzinfo is None:
        raise ValueError("ordered_at must be timezone-aware")
    local = ordered_at.astimezone(ZoneInfo(calendar.timezone))
    day = local.date()
    if calendar.is_working_day(day) and local.time() < calendar.cutoff:
        return day
    return calendar.next_working_day(day)


def promise(
    ordered_at: dt.datetime,
    option: TurnaroundOption,
    transit_days: int,
    calendar: ShopCalendar,
) -> DeliveryPromise:
    """When an order placed at ``ordered_at`` is dispatched and delivered with ``option`` and a
    shipping method taking ``transit_days`` working days."""
    start = accepted_on(ordered_at, calendar)
    dispatch = calendar.add_working_days(start, option.production_days)
    return DeliveryPromise(
        option=option,
        accepted_on=start,
        dispatch_on=dispatch,
        delivery_on=calendar.add_working_days(dispatch, transit_days),
    )


def promises(
    ordered_at: dt.datetime,
    options: Iterable[TurnaroundOption],
    transit_days: int,
    calendar: ShopCalendar,
) -> list[DeliveryPromise]:
    """One promise per turnaround option, fastest first."""
    found = [promise(ordered_at, o, transit_days, calendar) for o in options]
    return sorted(found, key=lambda p: (p.delivery_on, p.option.production_days, p.option.code))
