"""Promised dispatch and delivery dates across weekends, holidays and the daily cut-off."""

from __future__ import annotations

import datetime as dt

import pytest

from domain.fulfilment.delivery_dates import (
    ShopCalendar,
    TurnaroundOption,
    accepted_on,
    promise,
    promises,
)

UTC = dt.UTC
STANDARD = TurnaroundOption("standard", "Standard", 5)
EXPRESS = TurnaroundOption("express", "Express", 2)
CHRISTMAS = frozenset(dt.date(2026, 12, d) for d in (24, 25, 31)) | {dt.date(2027, 1, 1)}
BERLIN = ShopCalendar(holidays=CHRISTMAS)  # Mon-Fri, cut-off 14:00 Europe/Berlin


def at(y: int, m: int, d: int, hh: int, mm: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=UTC)


def test_an_order_before_the_cut_off_on_friday_ships_after_the_weekend() -> None:
    # Friday 4 December 2026, 10:00 in Berlin (09:00 UTC).
    p = promise(at(2026, 12, 4, 9), STANDARD, 1, BERLIN)
    assert p.accepted_on == dt.date(2026, 12, 4)
    assert p.dispatch_on == dt.date(2026, 12, 11)  # Mon..Fri of the next week
    assert p.delivery_on == dt.date(2026, 12, 14)  # the Monday after: no weekend delivery


def test_after_the_cut_off_production_starts_on_the_next_working_day() -> None:
    p = promise(at(2026, 12, 4, 14), STANDARD, 1, BERLIN)  # 15:00 in Berlin
    assert p.accepted_on == dt.date(2026, 12, 7)
    assert (p.dispatch_on, p.delivery_on) == (dt.date(2026, 12, 14), dt.date(2026, 12, 15))


def test_the_cut_off_is_local_time_in_winter_and_summer() -> None:
    # Winter (UTC+1): 12:59 UTC is 13:59, 13:00 UTC is 14:00 in Berlin.
    assert accepted_on(at(2026, 12, 4, 12, 59), BERLIN) == dt.date(2026, 12, 4)
    assert accepted_on(at(2026, 12, 4, 13, 0), BERLIN) == dt.date(2026, 12, 7)
    # Summer (UTC+2): Friday 3 July 2026.
    assert accepted_on(at(2026, 7, 3, 11, 59), BERLIN) == dt.date(2026, 7, 3)
    assert accepted_on(at(2026, 7, 3, 12, 0), BERLIN) == dt.date(2026, 7, 6)
    # 23:30 UTC on Sunday is already Monday 00:30 in Berlin.
    assert accepted_on(at(2026, 12, 6, 23, 30), BERLIN) == dt.date(2026, 12, 7)


def test_weekend_orders_count_from_monday() -> None:
    assert accepted_on(at(2026, 12, 5, 9), BERLIN) == dt.date(2026, 12, 7)  # Saturday
    assert accepted_on(at(2026, 12, 6, 9), BERLIN) == dt.date(2026, 12, 7)  # Sunday


def test_holidays_are_skipped_in_production_and_in_transit() -> None:
    ordered = at(2026, 12, 22, 9)  # Tuesday before Christmas, 10:00 in Berlin
    express = promise(ordered, EXPRESS, 2, BERLIN)
    assert express.dispatch_on == dt.date(2026, 12, 28)  # Wed 23, then Mon 28
    assert express.delivery_on == dt.date(2026, 12, 30)
    standard = promise(ordered, STANDARD, 1, BERLIN)
    # Wed 23, Mon 28, Tue 29, Wed 30, (31 Dec and 1 Jan are holidays) Mon 4 January.
    assert standard.dispatch_on == dt.date(2027, 1, 4)
    assert standard.delivery_on == dt.date(2027, 1, 5)
    # An order on a holiday counts from the next working day.
    assert accepted_on(at(2026, 12, 24, 8), BERLIN) == dt.date(2026, 12, 28)


def test_pickup_is_ready_on_the_dispatch_day() -> None:
    p = promise(at(2026, 12, 7, 9), EXPRESS, 0, BERLIN)
    assert p.dispatch_on == p.delivery_on == dt.date(2026, 12, 9)


def test_every_option_gets_its_promise_fastest_first() -> None:
    found = promises(at(2026, 12, 7, 9), [STANDARD, EXPRESS], 1, BERLIN)
    assert [(p.option.code, p.dispatch_on, p.delivery_on) for p in found] == [
        ("express", dt.date(2026, 12, 9), dt.date(2026, 12, 10)),
        ("standard", dt.date(2026, 12, 14), dt.date(2026, 12, 15)),
    ]


def test_a_six_day_week_and_another_time_zone() -> None:
    shop = ShopCalendar(timezone="America/New_York", working_weekdays=frozenset(range(6)))
    # Friday 4 December 2026, 13:00 in New York (18:00 UTC): before the cut-off.
    p = promise(at(2026, 12, 4, 18), EXPRESS, 1, shop)
    assert (p.accepted_on, p.dispatch_on, p.delivery_on) == (
        dt.date(2026, 12, 4),
        dt.date(2026, 12, 7),  # Saturday 5 is a working day, Sunday is not
        dt.date(2026, 12, 8),
    )


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError):
        accepted_on(dt.datetime(2026, 12, 4, 9), BERLIN)  # naive
    with pytest.raises(ValueError):
        BERLIN.add_working_days(dt.date(2026, 12, 4), -1)
    with pytest.raises(ValueError):
        TurnaroundOption("x", "X", -1)
    with pytest.raises(ValueError):
        ShopCalendar(working_weekdays=frozenset())
    with pytest.raises(Exception):  # noqa: B017 (zoneinfo's own error)
        ShopCalendar(timezone="Mars/Olympus")
