"""RFQ quantities: what a line asks, what an answer may price, which price a choice takes,
and the side-by-side comparison. Pure, no database."""

from __future__ import annotations

import datetime as dt

import pytest

from domain.quotes.errors import QuoteErrorCode
from domain.quotes.rfq_quantities import (
    PriceGiven,
    asked_quantities,
    checked_prices,
    chosen_prices,
    compare,
)
from domain.shared.errors import DomainError

LINES = [
    {"quoteLineId": 1, "title": "Foil", "quantity": 500, "quantities": [500, 1000]},
    {"quoteLineId": 2, "title": "Die", "quantity": 1},  # an RFQ from before quantities
]


def test_asked_quantities_default_to_the_lines_own_and_are_bounded() -> None:
    assert asked_quantities(500, None, ("q",)) == [500]
    assert asked_quantities(500, [2500, 500, 1000, 500], ("q",)) == [500, 1000, 2500]
    with pytest.raises(DomainError):
        asked_quantities(500, [0], ("q",))
    with pytest.raises(DomainError):
        asked_quantities(500, list(range(1, 12)), ("q",))


def test_an_answer_prices_quantities_asked_once_each_and_every_line() -> None:
    stored = checked_prices(
        LINES, [PriceGiven(1, 7000, 1000), PriceGiven(1, 4000), PriceGiven(2, 900)]
    )
    assert stored == [
        {"quoteLineId": 1, "quantity": 500, "net": 4000},
        {"quoteLineId": 1, "quantity": 1000, "net": 7000},
        {"quoteLineId": 2, "quantity": 1, "net": 900},
    ]
    with pytest.raises(DomainError) as wrong:
        checked_prices(LINES, [PriceGiven(1, 1, 750), PriceGiven(1, 2, 500), PriceGiven(1, 3)])
    assert [d.code for d in wrong.value.details] == [
        QuoteErrorCode.INVALID_QUANTITY,
        QuoteErrorCode.INVALID,
        QuoteErrorCode.REQUIRED,  # line 2 has no price
    ]
    with pytest.raises(DomainError) as foreign:
        checked_prices(LINES, [PriceGiven(9, 1), PriceGiven(1, -1), PriceGiven(2, 1)])
    assert [d.code for d in foreign.value.details] == [
        QuoteErrorCode.NOT_FOUND,
        QuoteErrorCode.INVALID_PRICE,
    ]


def test_a_choice_takes_the_picked_the_lines_own_or_the_only_quantity() -> None:
    answer = [
        {"quoteLineId": 1, "quantity": 500, "net": 4000},
        {"quoteLineId": 1, "quantity": 1000, "net": 7000},
        {"quoteLineId": 2, "quantity": 1, "net": 900},
    ]
    own = {1: 500, 2: 1}
    assert chosen_prices(answer, own, {}) == {1: (500, 4000), 2: (1, 900)}
    assert chosen_prices(answer, own, {1: 1000}) == {1: (1000, 7000), 2: (1, 900)}
    only_big = [{"quoteLineId": 1, "quantity": 1000, "net": 7000}]
    assert chosen_prices(only_big, {1: 500}, {}) == {1: (1000, 7000)}
    with pytest.raises(DomainError) as missing:
        chosen_prices(answer, own, {1: 2500})
    assert [d.code for d in missing.value.details] == [QuoteErrorCode.NOT_ANSWERED]
    two = [{"quoteLineId": 1, "quantity": q, "net": q} for q in (1000, 2500)]
    with pytest.raises(DomainError) as unpicked:
        chosen_prices(two, {1: 500}, {})
    assert [d.code for d in unpicked.value.details] == [QuoteErrorCode.REQUIRED]


def test_comparison_rows_per_line_and_quantity_cheapest_first() -> None:
    soon, later = dt.date(2031, 1, 5), dt.date(2031, 2, 1)
    answers = [
        (10, 100, [{"quoteLineId": 1, "quantity": 500, "net": 4000}], later),
        (11, 101, [{"quoteLineId": 1, "quantity": 500, "net": 4000}], soon),
        (12, 102, [{"quoteLineId": 1, "quantity": 1000, "net": 6500}], None),
    ]
    rows = compare(LINES, answers)
    assert [(r.quote_line_id, r.quantity) for r in rows] == [(1, 500), (1, 1000), (2, 1)]
    assert [o.invitation_id for o in rows[0].offers] == [11, 10]  # same price: sooner first
    assert [o.net for o in rows[1].offers] == [6500] and rows[2].offers == ()
