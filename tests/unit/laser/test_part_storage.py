"""A part's geometry as stored (JSON), the quick sheet-limit check of bulk imports, and the
price function of saved parts. No database."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from domain.laser.costing import DEMO_MACHINE_RATES, DEMO_MATERIALS, MaterialThickness
from domain.laser.errors import DrawingError
from domain.laser.geometry import analyse_dxf
from domain.laser.part_geometry import fits_limits, geometry_from_json, geometry_to_json
from domain.laser.shop import ShopRates, parse_thickness, price_part
from domain.laser.templates import TEMPLATES, generate
from domain.pricing.context import PriceContext
from domain.shared.errors import DomainError
from tests.unit.laser.drawings import analyse, new_doc, plate

RATES = ShopRates(DEMO_MACHINE_RATES, Decimal(19), Decimal(0))


def _through_jsonb(data: dict) -> dict:  # type: ignore[type-arg]
    return json.loads(json.dumps(data))  # type: ignore[no-any-return]


@pytest.mark.parametrize("key", sorted(TEMPLATES))
def test_stored_geometry_comes_back_identical(key: str) -> None:
    g = analyse_dxf(generate(key, {}))
    assert geometry_from_json(_through_jsonb(geometry_to_json(g))) == g


def test_stored_geometry_of_an_inch_drawing_with_arcs() -> None:
    doc, msp = new_doc(units=1)
    msp.add_lwpolyline([(0, 0, 0), (3, 0, 0), (3, 2, 1), (0, 2, 0)], format="xyb", close=True)
    msp.add_circle((1, 1), 0.25)
    g = analyse(doc)
    back = geometry_from_json(_through_jsonb(geometry_to_json(g)))
    assert back == g and back.source_units.name == "INCH"


def _thickness(sheet: tuple[str, str], min_hole: str) -> MaterialThickness:
    return MaterialThickness(
        Decimal(2), Decimal(10000), Decimal("0.4"), Decimal(min_hole),
        Decimal(sheet[0]), Decimal(sheet[1]),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("sheet", "min_hole"),
    [
        (("3000", "1500"), "1"),
        (("3000", "1500"), "12"),  # the flange's 12 mm bolt holes: exactly the minimum
        (("3000", "1500"), "12.01"),
        (("199.99", "3000"), "1"),  # the 200 mm flange does not fit
        (("200", "200"), "1"),
        (("1500", "3000"), "100"),  # the 100 mm bore passes, the bolt holes do not
    ],
)
def test_quick_limit_check_agrees_with_the_analyser(sheet: tuple[str, str], min_hole: str) -> None:
    data = generate("FLANGE", {})
    t = _thickness(sheet, min_hole)
    try:
        analyse_dxf(data, max_sheet_mm=t.max_sheet_mm, min_hole_diameter_mm=float(min_hole))
        accepted = True
    except DrawingError:
        accepted = False
    assert fits_limits(analyse_dxf(data), t) is accepted


def test_part_turned_by_90_degrees_fits_in_the_quick_check_too() -> None:
    doc, msp = new_doc()
    plate(msp, 1400, 2900)
    g = analyse(doc)
    assert fits_limits(g, _thickness(("3000", "1500"), "1"))
    assert not fits_limits(g, _thickness(("2800", "1500"), "1"))


def test_price_part_finishes_cost_lines_and_never_raises_for_a_bad_quantity() -> None:
    g = analyse_dxf(generate("RECTANGLE", {"width": 200, "height": 100}))
    steel = DEMO_MATERIALS["S235"]
    two = steel.thickness(Decimal(2))
    assert two is not None
    ctx = PriceContext(currency="EUR", company_markup_percent=Decimal(10))
    result = price_part(g, steel, two, RATES, 10, ctx)
    assert result.valid and result.vat_rate_percent == 19
    assert [line.code for line in result.lines] == [
        "setup",
        "material",
        "cutting",
        "piercing",
        "handling",
        "markup.company",
    ]
    assert result.net is not None and result.net.amount == sum(
        x.amount.amount for x in result.lines
    )
    for bad in (0, -1, 2_000_000_000):
        invalid = price_part(g, steel, two, RATES, bad, ctx)
        assert not invalid.valid and invalid.messages[0].field == ("quantity",)
    minimum = price_part(g, steel, two, ShopRates(DEMO_MACHINE_RATES, Decimal(19), Decimal(500)), 1,
                         PriceContext())  # fmt: skip
    assert minimum.net is not None and minimum.net.amount == 50000


@pytest.mark.parametrize(("text", "value"), [("2", "2"), ("1,5", "1.5"), (" 0.8 ", "0.8")])
def test_thickness_as_typed(text: str, value: str) -> None:
    assert parse_thickness(text) == Decimal(value)


@pytest.mark.parametrize("text", ["", "abc", "-2", "0", "NaN", "inf"])
def test_thickness_that_is_no_number(text: str) -> None:
    with pytest.raises(DomainError) as caught:
        parse_thickness(text)
    assert caught.value.details[0].code.name == "INVALID_NUMBER"
