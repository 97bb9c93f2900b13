"""Shipping weights, rates and order promises: pure functions, hand-computed cases."""

from __future__ import annotations

import datetime as dt

from domain.fulfilment.delivery_dates import ShopCalendar
from domain.fulfilment.rates import Rate, charged_net, choose_rate, order_promise
from domain.fulfilment.terms import ShopTerms
from domain.fulfilment.turnaround import TurnaroundCatalogue
from domain.fulfilment.weights import Goods, line_weight_g, total_weight_g

RATES = [
    Rate("Germany", frozenset({"DE"}), 1000, 490),
    Rate("Germany", frozenset({"DE"}), 5000, 690),
    Rate("Germany", frozenset({"DE"}), None, 1990),
    Rate("EU", frozenset({"AT", "FR"}), 5000, 1290),
]


def test_print_weight_is_paper_weight_times_area_times_leaves_times_quantity() -> None:
    # 135 g/m² x (0.148 x 0.210) m² x 1 leaf x 500 = 2097.9 g
    leaflets = Goods("product", {"values": {"size": "a5", "paper": "135"}}, 500)
    assert round(line_weight_g(leaflets), 1) == 2097.9
    # An 8-page A4 brochure on "170 g/m² gloss": 4 leaves each.
    brochure = Goods(
        "product", {"values": {"format": "A4", "paper": "170 g/m² gloss", "pages": 8}}, 10
    )
    assert round(line_weight_g(brochure), 2) == round(170 * 0.210 * 0.297 * 4 * 10, 2)
    # Explicit sizes and a paper weight parameter.
    custom = Goods(
        "product", {"values": {"width_mm": 100, "height_mm": 100, "paper_weight": 300}}, 1
    )
    assert line_weight_g(custom) == 3.0
    # No paper weight or size: nothing known.
    assert line_weight_g(Goods("product", {"values": {"size": "a5"}}, 100)) == 0.0


def test_part_mass_and_stock_unit_weight() -> None:
    part = Goods("laser_part", {"part": {"weightKgEach": 0.25}}, 4)
    item = Goods("stock_item", {"stockItem": {"unitWeightG": 120}}, 3)
    assert line_weight_g(part) == 1000.0 and line_weight_g(item) == 360.0
    assert total_weight_g([part, item, Goods("product", {}, 1)]) == 1360


def test_rates_by_zone_and_weight_bracket() -> None:
    assert choose_rate(RATES, "DE", 1000) == RATES[0]  # a bracket is a maximum
    assert choose_rate(RATES, "de", 1001) == RATES[1]
    assert choose_rate(RATES, "DE", 50_000) == RATES[2]  # the open bracket
    assert choose_rate(RATES, "AT", 4000) == RATES[3]
    assert choose_rate(RATES, "AT", 6000) is None  # too heavy for the zone
    assert choose_rate(RATES, "US", 10) is None  # not served
    anywhere = [Rate("World", frozenset(), None, 2500)]
    assert choose_rate(anywhere, "US", 10) == anywhere[0]


def test_free_above_the_threshold() -> None:
    assert charged_net(RATES[0], 9_999, 10_000) == 490
    assert charged_net(RATES[0], 10_000, 10_000) == 0
    assert charged_net(RATES[0], 10**9, None) == 490


def test_an_order_is_promised_by_its_slowest_line() -> None:
    terms = ShopTerms(
        ShopCalendar(holidays=frozenset({dt.date(2026, 12, 24), dt.date(2026, 12, 25)})),
        TurnaroundCatalogue({"standard": 5, "express": 2}),
    )
    # Monday 21 December, 10:00 in Berlin.
    at = dt.datetime(2026, 12, 21, 9, 0, tzinfo=dt.UTC)
    express_only = order_promise(at, [{"turnaround": "express"}], 1, terms)
    # Tue 22, Wed 23; one transit day skips the holidays and the weekend: Mon 28.
    assert (express_only.dispatch_on, express_only.delivery_on) == (
        dt.date(2026, 12, 23),
        dt.date(2026, 12, 28),
    )
    mixed = order_promise(at, [{"turnaround": "express"}, {}], 0, terms)
    assert mixed.option.code == "standard"
    # Tue 22, Wed 23, Mon 28, Tue 29, Wed 30.
    assert mixed.dispatch_on == mixed.delivery_on == dt.date(2026, 12, 30)
    # An option the shop does not know counts as the default.
    assert order_promise(at, [{"turnaround": "overnight"}], 0, terms).option.code == "standard"
