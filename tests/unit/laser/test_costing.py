"""Cost lines of laser parts: Decimal only, non-negative, and adding up as the formula says."""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain.laser.costing import (
    DEMO_MACHINE_RATES,
    DEMO_MATERIALS,
    MachineRates,
    Material,
    MaterialThickness,
    laser_cost_lines,
)
from domain.laser.geometry import PartGeometry, analyse_dxf
from domain.laser.templates import generate

RATES = MachineRates(
    hourly_rate=Decimal("120"),
    setup_amount=Decimal("30"),
    scrap_factor=Decimal("1.15"),
    handling_seconds_per_part=Decimal("30"),
)
STEEL = Material("S235", "Steel S235", Decimal("7.85"), Decimal("1.20"))
THREE_MM = MaterialThickness(
    Decimal("3"), Decimal("4000"), Decimal("0.6"), Decimal("3"), Decimal("3000"), Decimal("1500")
)


@pytest.fixture(scope="module")
def plate() -> PartGeometry:
    # 100 x 100 plate, 4 holes of 10 mm: cut 400 + 4·π·10 mm, 5 pierces.
    return analyse_dxf(
        generate(
            "RECTANGLE",
            {"width": 100, "height": 100, "hole_diameter": 10, "hole_rows": 2, "hole_columns": 2},
        )
    )


def test_lines_follow_the_formula(plate: PartGeometry) -> None:
    lines = {line.code: line for line in laser_cost_lines(plate, STEEL, THREE_MM, RATES, 10)}
    assert list(lines) == ["setup", "material", "cutting", "piercing", "handling"]

    assert lines["setup"].amount == Decimal("30") and lines["setup"].variable is False
    area = Decimal(str(round(plate.area_mm2, 3)))
    kg = area * 3 / 1000 * Decimal("7.85") / 1000 * 10 * Decimal("1.15")
    assert lines["material"].amount == kg * Decimal("1.20")
    assert lines["material"].label == f"Material: Steel S235 3 mm, {kg:.2f} kg"
    cut = Decimal(str(round(plate.cut_length_mm, 3))) * 10
    assert lines["cutting"].amount == cut / 4000 / 60 * 120
    assert lines["cutting"].label.startswith(f"Cutting: {cut / 4000:.1f} min")
    assert lines["piercing"].amount == Decimal(50) * Decimal("0.6") / 3600 * 120
    assert lines["piercing"].label == "Piercing: 50 pierces, 0.5 min"
    assert lines["handling"].amount == Decimal(300) / 3600 * 120
    assert all(line.variable for code, line in lines.items() if code != "setup")


def test_amounts_are_decimal_non_negative_and_sum(plate: PartGeometry) -> None:
    lines = laser_cost_lines(plate, STEEL, THREE_MM, RATES, 25)
    assert all(isinstance(line.amount, Decimal) and line.amount >= 0 for line in lines)
    total = sum((line.amount for line in lines), Decimal(0))
    assert Decimal("30") < total < Decimal("200")


def test_variable_lines_scale_with_quantity_setup_does_not(plate: PartGeometry) -> None:
    one = laser_cost_lines(plate, STEEL, THREE_MM, RATES, 1)
    hundred = laser_cost_lines(plate, STEEL, THREE_MM, RATES, 100)
    for a, b in zip(one, hundred, strict=True):
        assert b.amount == (a.amount if not a.variable else a.amount * 100)


def test_same_part_always_costs_the_same(plate: PartGeometry) -> None:
    assert laser_cost_lines(plate, STEEL, THREE_MM, RATES, 7) == laser_cost_lines(
        plate, STEEL, THREE_MM, RATES, 7
    )


def test_quantity_must_be_positive(plate: PartGeometry) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        laser_cost_lines(plate, STEEL, THREE_MM, RATES, 0)


def test_demo_materials_cover_the_common_thicknesses() -> None:
    mm = {code: [t.thickness_mm for t in m.thicknesses] for code, m in DEMO_MATERIALS.items()}
    assert mm["S235"] == [Decimal(x) for x in ("1", "1.5", "2", "3", "5", "8")]
    assert mm["1.4301"] == [Decimal(x) for x in ("1", "1.5", "2", "3", "4", "5", "6")]
    assert mm["AW5754"] == [Decimal(x) for x in ("1", "1.5", "2", "3", "4", "5")]
    assert DEMO_MATERIALS["S235"].density_g_cm3 == Decimal("7.85")
    assert DEMO_MATERIALS["1.4301"].density_g_cm3 == Decimal("7.9")
    assert DEMO_MATERIALS["AW5754"].density_g_cm3 == Decimal("2.66")
    for material in DEMO_MATERIALS.values():
        speeds = [t.cutting_speed_mm_per_min for t in material.thicknesses]
        assert speeds == sorted(speeds, reverse=True)  # thicker cuts slower
        pierces = [t.pierce_time_s for t in material.thicknesses]
        assert pierces == sorted(pierces)
        assert all(t.max_sheet_mm == (3000.0, 1500.0) for t in material.thicknesses)
        assert all(t.min_hole_diameter_mm == t.thickness_mm for t in material.thicknesses)


def test_demo_data_prices_a_flange(plate: PartGeometry) -> None:
    steel = DEMO_MATERIALS["S235"]
    five = steel.thickness(Decimal("5"))
    assert five is not None and steel.thickness(Decimal("4")) is None
    flange = analyse_dxf(
        generate("FLANGE", {}),
        max_sheet_mm=five.max_sheet_mm,
        min_hole_diameter_mm=float(five.min_hole_diameter_mm),
    )
    lines = laser_cost_lines(flange, steel, five, DEMO_MACHINE_RATES, 10)
    material = next(line for line in lines if line.code == "material")
    # 22657 mm² x 5 mm x 7.85 g/cm³ = 0.889 kg a part; x 10 x 1.15 = 10.23 kg
    assert material.label == "Material: Steel S235 5 mm, 10.23 kg"
