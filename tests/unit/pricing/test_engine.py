"""Price engine: hand-computed prices of the demo products, adjustments, rounding, VAT, caps.

Every expected figure below was computed by hand from the demo rules (see the comments); the
tests compare minor units, so a rounding or ordering change anywhere fails them.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from domain.pricing.context import CostLine, PriceContext
from domain.pricing.demo_products import DEMO_PRODUCTS
from domain.pricing.engine import (
    CompiledPricing,
    clear_compiled_cache,
    compile_pricing,
    compiled_for,
    evaluate,
    evaluate_lines,
    price_table,
)
from domain.pricing.errors import PricingErrorCode as P
from domain.pricing.spec import ProductSpec
from domain.shared.errors import DomainError
from domain.shared.money import Money

from .conftest import amounts

CTX = PriceContext()
LEAFLET_A5 = {"size": "a5", "pages": 2, "paper": "135", "colour": "cmyk", "finish": "none"}


def test_leaflet_a5_1000(leaflet: CompiledPricing) -> None:
    # ups 4 -> 250 sheets, 500 impressions; break 1000 -> factor 0.85 on variable lines.
    result = evaluate(leaflet, LEAFLET_A5, 1000, CTX)
    assert amounts(result) == {
        "setup": 1200,  # 12.00, not reduced by breaks
        "paper": 1275,  # 250 * 0.06 = 15.00 * 0.85
        "printing": 3825,  # 500 * 0.09 = 45.00 * 0.85
        "cutting": 319,  # 250 * 0.015 = 3.75 * 0.85 = 3.1875 -> 3.19 (half-up)
    }
    assert result.net == Money(6619, "EUR")
    assert result.vat == Money(1258, "EUR")  # 66.19 * 0.19 = 12.5761
    assert result.gross == Money(7877, "EUR")
    assert result.unit_net == Money(7, "EUR")  # 0.06619
    assert result.vat_rate_percent == D(19) and result.messages == () and result.valid
    labels = {line.code: line.label for line in result.lines}
    assert labels["paper"] == "Paper 135 g/m² gloss art: 250 sheets SRA3"
    assert labels["printing"] == "Printing: 500 impressions"
    assert {line.code: line.detail for line in result.lines}[
        "paper"
    ] == "250 \u00d7 0.06 \u00d7 0.85"


def test_leaflet_a6_480_is_capped_at_the_500_price(leaflet: CompiledPricing) -> None:
    values = {
        "size": "a6",
        "pages": 1,
        "paper": "170",
        "colour": "black",
        "finish": "gloss",
        "rounded_corners": True,
        "proof": True,
    }
    # 480: ups 8 -> 60 sheets, 60 impressions, factor 0.95.
    result = evaluate(leaflet, values, 480, CTX)
    assert amounts(result) == {
        "setup": 1200,
        "proof": 990,
        "paper": 456,  # 60 * 0.08 = 4.80 * 0.95
        "printing": 114,  # 60 * 0.02 = 1.20 * 0.95
        "cutting": 86,  # 60 * 0.015 = 0.90 * 0.95 = 0.855 -> 0.86
        "surcharge.finish.gloss.setup": 800,
        "surcharge.finish.gloss": 182,  # 480 * 0.004 = 1.92 * 0.95 = 1.824
        "corners.true.setup": 500,
        "corners.true": 137,  # 480 * 0.003 = 1.44 * 0.95 = 1.368
        # Own total 44.65; 500 pieces (63 sheets, factor 0.9) cost 34.90 + 4.54 + 1.13 + 0.85
        # + 1.80 + 1.35 = 44.57, so 480 pieces cost the same.
        "quantity_cap": -8,
    }
    assert result.net == Money(4457, "EUR")
    assert result.net == evaluate(leaflet, values, 500, CTX).net
    assert result.vat == Money(847, "EUR")  # 44.57 * 0.19 = 8.4683
    assert result.gross == Money(5304, "EUR")
    assert result.unit_net == Money(9, "EUR")
    cap = result.lines[-1]
    assert (cap.label, cap.detail) == ("Quantity price cap", "capped at the price for 500 pieces")


def test_business_cards_with_group_discount_and_company_markup(
    business_cards: CompiledPricing,
) -> None:
    values = {
        "format": "standard",
        "colours": "4-4",
        "paper": "350-silk",
        "finish": "spot-uv",
        "names": 3,
    }
    ctx = PriceContext(customer_group_discount_percent=D(10), company_markup_percent=D(5))
    # 500 per name: 3 * ceil(500 / 24) = 63 sheets, 126 impressions, factor 0.9.
    result = evaluate(business_cards, values, 500, ctx)
    assert amounts(result) == {
        "setup": 1950,  # 3 * 6.50
        "paper": 794,  # 63 * 0.14 = 8.82 * 0.9 = 7.938
        "printing": 964,  # 126 * 0.085 = 10.71 * 0.9 = 9.639
        "cutting": 227,  # 63 * 0.04 = 2.52 * 0.9 = 2.268
        "surcharge.finish.spot-uv.setup": 7500,  # 3 * 25.00
        "surcharge.finish.spot-uv": 2700,  # 500 * 3 * 0.02 = 30.00 * 0.9
        # subtotal 141.35; 10 % = 14.135 -> 14.14; 5 % of 127.21 = 6.3605 -> 6.36
        "discount.customer_group": -1414,
        "markup.company": 636,
    }
    assert result.net == Money(13357, "EUR")
    assert result.vat == Money(2538, "EUR")  # 133.57 * 0.19 = 25.3783
    assert result.gross == Money(15895, "EUR")
    assert result.unit_net == Money(27, "EUR")
    assert result.lines[0].label == "Setup: 3 names"


def test_folded_brochure_dl_letter_fold(brochure: CompiledPricing) -> None:
    values = {"size": "dl", "fold": "letter", "pages": 6, "paper": "170", "finish": "matt"}
    # ceil(250 * 6 / 12) = 125 sheets, 250 impressions, factor 0.90.
    result = evaluate(brochure, values, 250, CTX)
    assert amounts(result) == {
        "setup": 1500,
        "paper": 900,  # 125 * 0.08 = 10.00 * 0.9
        "printing": 2025,  # 250 * 0.09 = 22.50 * 0.9
        "trimming": 169,  # 125 * 0.015 = 1.875 * 0.9 = 1.6875
        "folding.letter.setup": 800,
        "folding.letter": 270,  # 250 * 0.012 = 3.00 * 0.9
        "creasing": 225,  # 250 * 0.010 = 2.50 * 0.9
        "surcharge.finish.matt.setup": 1000,
        "surcharge.finish.matt": 450,  # 250 * 0.020 = 5.00 * 0.9
    }
    assert result.net == Money(7339, "EUR")
    assert result.vat == Money(1394, "EUR")  # 13.9441
    assert result.gross == Money(8733, "EUR")
    reverse_charge = evaluate(brochure, values, 250, PriceContext(vat_rate_percent=D(0)))
    assert (reverse_charge.net, reverse_charge.vat, reverse_charge.gross) == (
        Money(7339, "EUR"),
        Money(0, "EUR"),
        Money(7339, "EUR"),
    )
    assert reverse_charge.vat_rate_percent == D(0)


def test_minimum_price_is_its_own_line(leaflet: CompiledPricing) -> None:
    values = {"size": "a6", "pages": 1, "paper": "90", "colour": "black"}
    # 2 sheets: 12.00 + 0.08 + 0.04 + 0.03 = 12.15 -> adjusted to 25.00
    result = evaluate(leaflet, values, 10, CTX)
    assert amounts(result)["minimum"] == 1285
    assert result.net == Money(2500, "EUR") and result.unit_net == Money(250, "EUR")
    assert result.lines[-1].label == "Minimum price adjustment"


def test_discounts_are_capped_so_totals_stay_non_negative(leaflet: CompiledPricing) -> None:
    free = PriceContext(customer_group_discount_percent=D(150))
    result = evaluate(leaflet, LEAFLET_A5, 1000, free)
    assert amounts(result)["discount.customer_group"] == -6619
    assert (result.net, result.gross) == (Money(0, "EUR"), Money(0, "EUR"))
    result = evaluate(leaflet, LEAFLET_A5, 1000, PriceContext(company_markup_percent=D(-250)))
    assert amounts(result)["discount.company"] == -6619 and result.net == Money(0, "EUR")
    negative = PriceContext(customer_group_discount_percent=D(-20))
    assert evaluate(leaflet, LEAFLET_A5, 1000, negative).net == Money(6619, "EUR")


def test_company_discount_after_group_discount(leaflet: CompiledPricing) -> None:
    ctx = PriceContext(customer_group_discount_percent=D("2.5"), company_markup_percent=D(-3))
    result = evaluate(leaflet, LEAFLET_A5, 1000, ctx)
    # 66.19 * 2.5 % = 1.65475 -> 1.65; 64.54 * 3 % = 1.9362 -> 1.94
    assert amounts(result)["discount.customer_group"] == -165
    assert amounts(result)["discount.company"] == -194
    assert result.net == Money(6260, "EUR")


def test_rounding_is_once_per_line_and_half_up() -> None:
    lines = [
        CostLine("a", "A", D("0.004")),
        CostLine("b", "B", D("0.004")),
        CostLine("c", "C", D("0.004")),
        CostLine("d", "D", D("0.005"), variable=False),
        CostLine("e", "E", D("10.005")),
    ]
    result = evaluate_lines(lines, 3, CTX, D(19), quantity_factor=D("0.9"))
    # Three lines of 0.4 ct round to 0 each (a sum-then-round would give 1 ct); 0.5 ct rounds up;
    # 10.005 * 0.9 = 9.0045 -> 9.00: the factor applies before the one rounding.
    assert amounts(result) == {"a": 0, "b": 0, "c": 0, "d": 1, "e": 900}
    assert result.net == Money(901, "EUR")
    assert result.vat == Money(171, "EUR")  # 9.01 * 0.19 = 1.7119
    assert result.lines[-1].detail == "\u00d7 0.9 quantity break"
    assert result.unit_net == Money(300, "EUR")  # 9.01 / 3 = 3.0033


def test_evaluate_lines_applies_minimum_and_context() -> None:
    lines = [
        CostLine("cutting", "Laser cutting: 2.4 m", D("7.20")),
        CostLine("setup", "Setup", D("5"), variable=False),
    ]
    ctx = PriceContext(customer_group_discount_percent=D(10), vat_rate_percent=D(7))
    result = evaluate_lines(lines, 2, ctx, D(19), minimum_net=D("15.00"))
    assert amounts(result) == {
        "cutting": 720,
        "setup": 500,
        "minimum": 280,
        "discount.customer_group": -150,
    }
    assert (result.net, result.vat, result.vat_rate_percent) == (
        Money(1350, "EUR"),
        Money(95, "EUR"),
        D(7),
    )
    with pytest.raises(ValueError):
        evaluate_lines(lines, 2, ctx, D(19), quantity_factor=D(0))
    assert not evaluate_lines(lines, 0, ctx, D(19)).valid


def test_unit_price_cap_when_sheet_rounding_makes_a_break_dearer() -> None:
    spec = ProductSpec.from_json({"parameters": [{"key": "x", "label": "X", "kind": "boolean"}]})
    rules = {
        "currency": "EUR",
        "vat_rate_percent": "19",
        "components": [
            {
                "type": "per_sheet",
                "code": "sheets",
                "label": "{count} sheets",
                "amount": "1.00",
                "sheets": {"ceil": {"div": ["quantity", 8]}},
            }
        ],
        "quantity_breaks": [
            {"min_quantity": 1, "factor": "1"},
            {"min_quantity": 8, "factor": "1"},
            {"min_quantity": 9, "factor": "1"},
        ],
    }
    compiled = compile_pricing(spec, rules)
    eight, nine, ten = price_table(compiled, {}, [8, 9, 10], CTX)
    assert eight.net == Money(100, "EUR")
    # 9 pieces need 2 sheets (2.00), i.e. 0.222 per piece against 0.125 at 8: capped to
    # floor(100 * 9 / 8) = 112 ct so the break table's unit price does not rise.
    assert nine.net == Money(112, "EUR")
    assert amounts(nine)["quantity_cap"] == -88
    assert nine.lines[-1].detail == "unit price capped at the unit price for 8 pieces"
    assert ten.net == Money(200, "EUR")  # beyond the last break: own price, still >= net(9)


def test_price_table_matches_single_evaluations(leaflet: CompiledPricing) -> None:
    quantities = [1, 99, 250, 499, 500, 1000, 10000, 25000]
    table = price_table(leaflet, LEAFLET_A5, quantities, CTX)
    assert table == [evaluate(leaflet, LEAFLET_A5, q, CTX) for q in quantities]
    assert [r.quantity for r in table] == quantities


def test_invalid_configuration_gives_messages_not_totals(leaflet: CompiledPricing) -> None:
    result = evaluate(leaflet, {"paper": "90", "finish": "gloss", "pages": 3}, 0, CTX)
    assert not result.valid
    assert (result.lines, result.net, result.vat, result.gross, result.unit_net) == (
        (),
        None,
        None,
        None,
        None,
    )
    fields = [m.field for m in result.messages]
    assert fields == [("configuration", "pages"), ("configuration", "finish"), ("quantity",)]
    assert result.messages[-1].code is P.INVALID_QUANTITY


@pytest.mark.parametrize("quantity", [0, -5, True, 10**10])
def test_invalid_quantities(leaflet: CompiledPricing, quantity: int) -> None:
    result = evaluate(leaflet, LEAFLET_A5, quantity, CTX)
    assert [m.code for m in result.messages] == [P.INVALID_QUANTITY]


def test_currency_mismatch(leaflet: CompiledPricing) -> None:
    result = evaluate(leaflet, LEAFLET_A5, 100, PriceContext(currency="CHF"))
    assert [m.code for m in result.messages] == [P.CURRENCY_MISMATCH]


def test_evaluation_failure_is_a_message() -> None:
    big = {"kind": "decimal", "min": "0", "max": "1000000000000", "default": "1"}
    spec = ProductSpec.from_json({"parameters": [{"key": k, "label": k, **big} for k in "abc"]})
    product = {"mul": [{"param": "a"}, {"param": "b"}, {"param": "c"}]}
    rules = {
        "currency": "EUR",
        "vat_rate_percent": "19",
        "components": [{"type": "setup", "code": "x", "label": "X", "amount": product}],
    }
    compiled = compile_pricing(spec, rules)
    assert evaluate(compiled, {}, 1, CTX).net == Money(100, "EUR")
    huge = {"a": "1e12", "b": "1e12", "c": "1e12"}
    assert [m.code for m in evaluate(compiled, huge, 1, CTX).messages] == [P.EVALUATION_FAILED]


def test_per_area_components() -> None:
    spec = ProductSpec.from_json(
        {
            "parameters": [
                {
                    "key": "width",
                    "label": "Width",
                    "kind": "integer",
                    "min": "100",
                    "max": "1500",
                    "unit": "mm",
                    "required": True,
                },
                {
                    "key": "height",
                    "label": "Height",
                    "kind": "integer",
                    "min": "100",
                    "max": "3000",
                    "unit": "mm",
                    "required": True,
                },
            ]
        }
    )
    rules = {
        "currency": "EUR",
        "vat_rate_percent": "19",
        "components": [
            {
                "type": "per_area",
                "code": "print",
                "label": "Poster print {width} x {height}: {count} m²",
                "amount_per_m2": "12.00",
                "area_mm2": {"mul": [{"param": "width"}, {"param": "height"}]},
            }
        ],
    }
    result = evaluate(compile_pricing(spec, rules), {"width": 594, "height": 841}, 10, CTX)
    # 594 * 841 = 499,554 mm² * 10 = 4.99554 m² * 12.00 = 59.94648
    assert result.net == Money(5995, "EUR")
    assert result.lines[0].label == "Poster print 594 mm x 841 mm: 4.996 m²"
    assert result.lines[0].detail == "4.996 m² \u00d7 12"


def test_compile_twice_gives_the_same_prices() -> None:
    product = DEMO_PRODUCTS["leaflet"]
    first = compile_pricing(ProductSpec.from_json(product["spec"]), product["rules"])
    second = compile_pricing(ProductSpec.from_json(product["spec"]), product["rules"])
    quantities = [1, 100, 480, 500, 1234, 10000]
    assert price_table(first, LEAFLET_A5, quantities, CTX) == price_table(
        second, LEAFLET_A5, quantities, CTX
    )


def test_compiled_for_caches_per_version_key() -> None:
    clear_compiled_cache()
    product = DEMO_PRODUCTS["business-cards"]
    first = compiled_for(("product", 7, 1), product["spec"], product["rules"])
    assert compiled_for(("product", 7, 1), {}, {}) is first  # JSON only read on a miss
    assert compiled_for(("product", 7, 2), product["spec"], product["rules"]) is not first
    with pytest.raises(DomainError):
        compiled_for(("product", 8, 1), product["spec"], {"currency": "EUR"})
    with pytest.raises(DomainError):  # a failure is not cached
        compiled_for(("product", 8, 1), product["spec"], {"currency": "EUR"})
    clear_compiled_cache()
