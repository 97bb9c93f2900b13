"""Property tests of the engine's guarantees, on the demo products and on random rule sets."""

from __future__ import annotations

from decimal import Decimal
from itertools import pairwise
from typing import Any

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from domain.pricing.context import PriceContext
from domain.pricing.engine import CompiledPricing, compile_pricing, evaluate, price_table
from domain.pricing.result import PriceResult
from domain.pricing.spec import ProductSpec

from .conftest import compiled_demo

LEAFLET = compiled_demo("leaflet")
CARDS = compiled_demo("business-cards")
BROCHURE = compiled_demo("folded-brochure")

quantities = st.integers(min_value=1, max_value=30_000)
percents = st.integers(min_value=-2000, max_value=2000).map(lambda n: Decimal(n) / 10)
contexts = st.builds(
    PriceContext,
    customer_group_discount_percent=percents,
    company_markup_percent=percents,
    vat_rate_percent=st.sampled_from([None, Decimal(0), Decimal(7), Decimal("19")]),
)


@st.composite
def leaflet_values(draw: st.DrawFn) -> dict[str, object]:
    paper = draw(st.sampled_from(["90", "135", "170"]))
    return {
        "size": draw(st.sampled_from(["a6", "dl", "a5", "a4"])),
        "pages": draw(st.integers(1, 2)),
        "paper": paper,
        "colour": draw(st.sampled_from(["cmyk", "black"])),
        "finish": "none" if paper == "90" else draw(st.sampled_from(["none", "gloss", "matt"])),
        "rounded_corners": draw(st.booleans()),
        "proof": draw(st.booleans()),
    }


@st.composite
def card_values(draw: st.DrawFn) -> dict[str, object]:
    paper = draw(st.sampled_from(["300-matt", "350-silk", "400-premium"]))
    finishes = ["none"] if paper == "400-premium" else ["none", "soft-touch", "spot-uv"]
    finish = draw(st.sampled_from(finishes))
    return {
        "format": draw(st.sampled_from(["standard", "euro", "square"])),
        "colours": draw(st.sampled_from(["4-0", "4-4"])),
        "paper": paper,
        "finish": finish,
        "rounded_corners": draw(st.booleans()),
        "names": draw(st.integers(1, 5 if finish == "spot-uv" else 20)),
    }


@st.composite
def brochure_values(draw: st.DrawFn) -> dict[str, object]:
    fold, pages = draw(
        st.sampled_from([("half", 4), ("letter", 6), ("zfold", 6), ("double-parallel", 8)])
    )
    paper = draw(st.sampled_from(["115", "135", "170"]))
    return {
        "size": draw(st.sampled_from(["a5", "dl", "a4"])),
        "fold": fold,
        "pages": pages,
        "paper": paper,
        "finish": "none" if paper == "115" else draw(st.sampled_from(["none", "matt"])),
        "proof": draw(st.booleans()),
    }


demo_cases = st.one_of(
    st.tuples(st.just(LEAFLET), leaflet_values()),
    st.tuples(st.just(CARDS), card_values()),
    st.tuples(st.just(BROCHURE), brochure_values()),
)

RANDOM_SPEC = ProductSpec.from_json(
    {
        "parameters": [
            {
                "key": "pages",
                "label": "Pages",
                "kind": "integer",
                "min": "1",
                "max": "8",
                "default": 2,
            },
            {
                "key": "finish",
                "label": "Finish",
                "kind": "enum",
                "default": "none",
                "options": [{"key": "none", "label": "None"}, {"key": "gloss", "label": "Gloss"}],
            },
        ]
    }
)
money = st.integers(min_value=0, max_value=5000).map(lambda n: str(Decimal(n) / 100))
rates = st.integers(min_value=1, max_value=20000).map(lambda n: str(Decimal(n) / 10000))


@st.composite
def break_tables(draw: st.DrawFn) -> list[dict[str, Any]]:
    steps = draw(st.lists(st.integers(1, 3000), max_size=6))
    quantity, factor = 1, Decimal(1)
    table = [{"min_quantity": 1, "factor": draw(st.sampled_from(["1", "1.2", "0.95"]))}]
    factor = Decimal(table[0]["factor"])
    for step in steps:
        quantity += step
        factor = factor * Decimal(draw(st.integers(50, 100))) / 100
        table.append({"min_quantity": quantity, "factor": str(round(factor, 4))})
    return table


@st.composite
def random_pricing(draw: st.DrawFn) -> CompiledPricing:
    """Leaflet-shaped rules with random rates, impositions, setups, breaks and minimums."""
    ups = draw(st.integers(1, 32))
    rules = {
        "currency": "EUR",
        "vat_rate_percent": "19",
        "minimum_net": draw(money),
        "derived": {"sheets": {"ceil": {"div": [{"mul": ["quantity", {"param": "pages"}]}, ups]}}},
        "components": [
            {"type": "setup", "code": "setup", "label": "Setup", "amount": draw(money)},
            {
                "type": "setup",
                "code": "credit",
                "label": "Credit",
                "amount": "-" + draw(money),
            },  # constant negatives are allowed
            {
                "type": "per_sheet",
                "code": "paper",
                "label": "{count} sheets",
                "amount": draw(rates),
                "sheets": {"ref": "sheets"},
            },
            {"type": "per_unit", "code": "pieces", "label": "Pieces", "amount": draw(rates)},
            {
                "type": "option_surcharge",
                "param": "finish",
                "options": {"gloss": {"setup": draw(money), "per_unit": draw(rates)}},
            },
        ],
        "quantity_breaks": draw(break_tables()),
    }
    return compile_pricing(RANDOM_SPEC, rules)


random_values = st.fixed_dictionaries(
    {"pages": st.integers(1, 8), "finish": st.sampled_from(["none", "gloss"])}
)
any_case = st.one_of(demo_cases, st.tuples(random_pricing(), random_values))


def _consistent(result: PriceResult) -> None:
    assert result.valid and result.net is not None and result.vat is not None
    assert sum(line.amount.amount for line in result.lines) == result.net.amount
    assert result.gross == result.net + result.vat
    assert result.net.amount >= 0 and result.vat.amount >= 0


@settings(max_examples=300, deadline=None)
@given(case=any_case, ctx=contexts, data=st.data())
def test_net_never_decreases_with_quantity(
    case: tuple[CompiledPricing, dict[str, object]], ctx: PriceContext, data: st.DataObject
) -> None:
    compiled, values = case
    # Breaks are where a naive engine goes wrong (499 at full price > 500 with 10 % off), so
    # most draws straddle one.
    near_break = st.sampled_from(compiled.break_quantities).flatmap(
        lambda b: st.integers(max(1, b - 40), b + 5)
    )
    q1 = data.draw(st.one_of(near_break, quantities), label="q1")
    q2 = q1 + data.draw(st.one_of(st.integers(0, 45), st.integers(0, 5000)), label="extra")
    small, large = price_table(compiled, values, [q1, q2], ctx)
    _consistent(small)
    _consistent(large)
    assert small.net is not None and large.net is not None
    assert small.net <= large.net
    assert small.gross is not None and large.gross is not None and small.gross <= large.gross


@settings(max_examples=300, deadline=None)
@given(case=any_case, ctx=contexts)
def test_unit_price_never_rises_across_the_break_table(
    case: tuple[CompiledPricing, dict[str, object]], ctx: PriceContext
) -> None:
    compiled, values = case
    breaks = list(compiled.break_quantities)
    assume(len(breaks) > 1)
    table = price_table(compiled, values, breaks, ctx)
    rows = list(zip(breaks, table, strict=True))
    for (b1, r1), (b2, r2) in pairwise(rows):
        assert r1.net is not None and r2.net is not None
        assert r2.net.amount * b1 <= r1.net.amount * b2  # exact: net(b2)/b2 <= net(b1)/b1
        assert r1.unit_net is not None and r2.unit_net is not None
        assert r2.unit_net <= r1.unit_net


@settings(max_examples=200, deadline=None)
@given(case=any_case, quantity=quantities, ctx=contexts)
def test_totals_never_negative_and_lines_add_up(
    case: tuple[CompiledPricing, dict[str, object]], quantity: int, ctx: PriceContext
) -> None:
    compiled, values = case
    result = evaluate(compiled, values, quantity, ctx)
    _consistent(result)
    assert result.unit_net is not None and result.unit_net.amount >= 0
    caps = [line for line in result.lines if line.code == "quantity_cap"]
    assert all(line.amount.amount < 0 for line in caps) and len(caps) <= 1


@settings(max_examples=100, deadline=None)
@given(values=leaflet_values(), quantity=quantities, ctx=contexts)
def test_same_input_same_price_even_after_recompiling(
    values: dict[str, object], quantity: int, ctx: PriceContext
) -> None:
    first = evaluate(LEAFLET, values, quantity, ctx)
    assert evaluate(LEAFLET, dict(values), quantity, ctx) == first
    assert evaluate(compiled_demo("leaflet"), values, quantity, ctx) == first
