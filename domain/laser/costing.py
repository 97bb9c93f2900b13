"""What cutting a laser part costs the shop, as cost lines for the pricing engine.

Costing stays in ``Decimal`` throughout; geometry arrives as floats and is converted once,
rounded to micrometres (``_dec``), so the same part always costs exactly the same. Amounts
are not rounded here: the pricing engine rounds once, after markups and VAT.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from domain.laser.part_geometry import PartGeometry
from domain.pricing.context import CostLine

_SECONDS_PER_HOUR = Decimal(3600)
_MINUTES_PER_HOUR = Decimal(60)
_MM3_PER_CM3 = Decimal(1000)
_G_PER_KG = Decimal(1000)


@dataclass(frozen=True, slots=True)
class MaterialThickness:
    """Machine data of one sheet thickness of a material."""

    thickness_mm: Decimal
    cutting_speed_mm_per_min: Decimal
    pierce_time_s: Decimal
    min_hole_diameter_mm: Decimal
    max_sheet_width_mm: Decimal
    max_sheet_height_mm: Decimal

    @property
    def max_sheet_mm(self) -> tuple[float, float]:
        """The sheet as ``analyse_dxf`` takes it."""
        return float(self.max_sheet_width_mm), float(self.max_sheet_height_mm)


@dataclass(frozen=True, slots=True)
class Material:
    """A sheet material the shop stocks, priced by weight, with the thicknesses it cuts."""

    code: str
    name: str
    density_g_cm3: Decimal
    price_per_kg: Decimal
    thicknesses: tuple[MaterialThickness, ...] = ()

    def thickness(self, thickness_mm: Decimal) -> MaterialThickness | None:
        """The machine data for one thickness, or None if the shop does not cut it."""
        return next((t for t in self.thicknesses if t.thickness_mm == thickness_mm), None)


@dataclass(frozen=True, slots=True)
class MachineRates:
    """What machine time and handling cost; one set per shop (or per machine)."""

    hourly_rate: Decimal  # machine with operator, per hour
    setup_amount: Decimal  # per order line: program, sheet loading, first-part check
    scrap_factor: Decimal  # e.g. 1.15: the sheet offcut paid for on top of the part itself
    handling_seconds_per_part: Decimal  # breaking out, deburring check, stacking


def _dec(value: float) -> Decimal:
    return Decimal(str(round(value, 3)))


def _show(value: Decimal, places: str = "0.01") -> str:
    return str(value.quantize(Decimal(places), rounding=ROUND_HALF_UP))


def laser_cost_lines(
    geometry: PartGeometry,
    material: Material,
    thickness: MaterialThickness,
    rates: MachineRates,
    quantity: int,
) -> list[CostLine]:
    """Setup, material, cutting, piercing and handling for ``quantity`` parts.

    Material is charged by net weight times the scrap factor (sheet offcut); machine time is
    cut length at the cutting speed, plus pierce time per contour, plus handling, all at the
    hourly rate.
    """
    if quantity < 1:
        raise ValueError(f"quantity must be at least 1, not {quantity}")
    qty = Decimal(quantity)
    hourly = rates.hourly_rate

    volume_cm3 = _dec(geometry.area_mm2) * thickness.thickness_mm / _MM3_PER_CM3
    kg = volume_cm3 * material.density_g_cm3 / _G_PER_KG * qty * rates.scrap_factor
    cut_mm = _dec(geometry.cut_length_mm) * qty
    cut_min = cut_mm / thickness.cutting_speed_mm_per_min
    pierces = geometry.pierce_count * quantity
    pierce_s = Decimal(pierces) * thickness.pierce_time_s
    handling_s = rates.handling_seconds_per_part * qty
    t = thickness.thickness_mm.normalize()
    return [
        CostLine("setup", "Setup", rates.setup_amount, variable=False),
        CostLine(
            "material",
            f"Material: {material.name} {t} mm, {_show(kg)} kg",
            kg * material.price_per_kg,
        ),
        CostLine(
            "cutting",
            f"Cutting: {_show(cut_min, '0.1')} min ({_show(cut_mm / 1000)} m)",
            cut_min / _MINUTES_PER_HOUR * hourly,
        ),
        CostLine(
            "piercing",
            f"Piercing: {pierces} pierces, {_show(pierce_s / 60, '0.1')} min",
            pierce_s / _SECONDS_PER_HOUR * hourly,
        ),
        CostLine(
            "handling",
            f"Handling: {quantity} parts, {_show(handling_s / 60, '0.1')} min",
            handling_s / _SECONDS_PER_HOUR * hourly,
        ),
    ]


def _table(
    rows: list[tuple[str, str, str]], sheet: tuple[str, str] = ("3000", "1500")
) -> tuple[MaterialThickness, ...]:
    """(thickness, speed mm/min, pierce s) rows; the smallest hole is about the thickness."""
    return tuple(
        MaterialThickness(
            thickness_mm=Decimal(t),
            cutting_speed_mm_per_min=Decimal(speed),
            pierce_time_s=Decimal(pierce),
            min_hole_diameter_mm=Decimal(t),
            max_sheet_width_mm=Decimal(sheet[0]),
            max_sheet_height_mm=Decimal(sheet[1]),
        )
        for t, speed, pierce in rows
    )


# Demo data: a 6 kW fibre laser, oxygen for thick mild steel, nitrogen otherwise; sheet
# prices as a European job shop paid them in 2024-25.
DEMO_MATERIALS: dict[str, Material] = {
    m.code: m
    for m in (
        Material(
            "S235",
            "Steel S235",
            Decimal("7.85"),
            Decimal("1.25"),
            _table([("1", "20000", "0.2"), ("1.5", "15000", "0.3"), ("2", "10000", "0.4"),
                    ("3", "4500", "0.7"), ("5", "3000", "1.2"), ("8", "2000", "2.5")]),
        ),
        Material(
            "1.4301",
            "Stainless steel 1.4301",
            Decimal("7.9"),
            Decimal("4.20"),
            _table([("1", "25000", "0.2"), ("1.5", "18000", "0.3"), ("2", "12000", "0.4"),
                    ("3", "6000", "0.6"), ("4", "4000", "0.9"), ("5", "3000", "1.2"),
                    ("6", "2000", "1.6")]),
        ),
        Material(
            "AW5754",
            "Aluminium 5754",
            Decimal("2.66"),
            Decimal("5.90"),
            _table([("1", "22000", "0.2"), ("1.5", "16000", "0.3"), ("2", "11000", "0.4"),
                    ("3", "5500", "0.6"), ("4", "3500", "0.9"), ("5", "2500", "1.2")]),
        ),
    )
}  # fmt: skip

DEMO_MACHINE_RATES = MachineRates(
    hourly_rate=Decimal("110"),
    setup_amount=Decimal("35"),
    scrap_factor=Decimal("1.15"),
    handling_seconds_per_part=Decimal("20"),
)
