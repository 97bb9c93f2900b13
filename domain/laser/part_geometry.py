"""A part's analysed geometry: the figures, as stored with the part (JSONB), and the quick
check of sheet limits.

Plain data, no DXF reader: pricing, previews and storage work from these figures, so a served
process that only prices stored parts never loads ezdxf (``geometry.analyse_dxf`` does, on
the first drawing it reads).

The exact outlines are stored, not the drawing's flattened contours: they are what previews,
prices and the clean DXF are made from, and the contours follow from them. Floats survive the
round trip through JSONB unchanged (PostgreSQL keeps the decimal text Python writes), so a
stored part prices exactly like the upload it came from.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from typing import Any, Protocol

from domain.laser.outline import Point, Vertex, flatten

# Arcs in ``PartGeometry.contours`` stray at most this far from the true curve (mm).
CONTOUR_FLATTEN_TOLERANCE_MM = 0.01


class LengthUnit(Enum):
    """Drawing units we accept; the value is the DXF ``$INSUNITS`` code."""

    INCH = 1
    MILLIMETRE = 4
    CENTIMETRE = 5
    METRE = 6

    @property
    def mm(self) -> float:
        """How many millimetres one drawing unit is."""
        return _MM_PER_UNIT[self]


_MM_PER_UNIT = {
    LengthUnit.INCH: 25.4,
    LengthUnit.MILLIMETRE: 1.0,
    LengthUnit.CENTIMETRE: 10.0,
    LengthUnit.METRE: 1000.0,
}


@dataclass(frozen=True, slots=True)
class Hole:
    """An inner contour, in part coordinates (bounding box minimum at 0, 0)."""

    centre_x_mm: float
    centre_y_mm: float
    area_mm2: float
    perimeter_mm: float
    equivalent_diameter_mm: float  # the circle of equal area
    hydraulic_diameter_mm: float  # 4·A/P, what the minimum hole size is checked against


@dataclass(frozen=True, slots=True)
class PartGeometry:
    """One part, in millimetres, moved so its bounding box starts at (0, 0).

    ``outlines`` are exact (bulge vertices: x, y, bulge) and ``contours`` the same paths
    flattened for drawing; both list the outer contour first (counter-clockwise), then the
    holes (clockwise) ordered by centre. Only drawings need ``contours``: a geometry read back
    from JSON flattens its outlines on first use (pricing never does; a busy part takes ~20 ms).
    """

    width_mm: float
    height_mm: float
    cut_length_mm: float
    pierce_count: int
    area_mm2: float  # net: outer minus holes
    outer_area_mm2: float
    holes: tuple[Hole, ...]
    outlines: tuple[tuple[Vertex, ...], ...]
    source_units: LengthUnit
    flattened: tuple[tuple[Point, ...], ...] | None = field(default=None, compare=False, repr=False)

    @property
    def contours(self) -> tuple[tuple[Point, ...], ...]:
        if self.flattened is None:
            flat = tuple(
                tuple(flatten(o, True, CONTOUR_FLATTEN_TOLERANCE_MM)) for o in self.outlines
            )
            object.__setattr__(self, "flattened", flat)
            return flat
        return self.flattened

    def weight_g(self, thickness_mm: float, density_g_cm3: float) -> float:
        """Mass of the cut part: net area x thickness (mm³ -> cm³) x density."""
        return self.area_mm2 * thickness_mm / 1000.0 * density_g_cm3


FORMAT = 1


def geometry_to_json(g: PartGeometry) -> dict[str, Any]:
    """The JSON form stored in ``Part.geometry`` (and in import drafts)."""
    return {
        "format": FORMAT,
        "units": g.source_units.name,
        "widthMm": g.width_mm,
        "heightMm": g.height_mm,
        "cutLengthMm": g.cut_length_mm,
        "pierceCount": g.pierce_count,
        "areaMm2": g.area_mm2,
        "outerAreaMm2": g.outer_area_mm2,
        "holes": [
            [
                h.centre_x_mm,
                h.centre_y_mm,
                h.area_mm2,
                h.perimeter_mm,
                h.equivalent_diameter_mm,
                h.hydraulic_diameter_mm,
            ]
            for h in g.holes
        ],
        "outlines": [[[x, y, b] for x, y, b in o] for o in g.outlines],
    }


def geometry_from_json(data: Mapping[str, Any]) -> PartGeometry:
    """The geometry back from its JSON form; contours are re-flattened from the outlines."""
    outlines: tuple[tuple[Vertex, ...], ...] = tuple(
        tuple((float(x), float(y), float(b)) for x, y, b in o) for o in data["outlines"]
    )
    return PartGeometry(
        width_mm=float(data["widthMm"]),
        height_mm=float(data["heightMm"]),
        cut_length_mm=float(data["cutLengthMm"]),
        pierce_count=int(data["pierceCount"]),
        area_mm2=float(data["areaMm2"]),
        outer_area_mm2=float(data["outerAreaMm2"]),
        holes=tuple(Hole(*(float(v) for v in h)) for h in data["holes"]),
        outlines=outlines,
        source_units=LengthUnit[data["units"]],
    )


class SheetLimits(Protocol):
    """What the limit check reads of a thickness (``costing.MaterialThickness`` has it)."""

    @property
    def max_sheet_mm(self) -> tuple[float, float]: ...

    @property
    def min_hole_diameter_mm(self) -> Decimal: ...


def fits_limits(g: PartGeometry, thickness: SheetLimits) -> bool:
    """Whether ``analyse_dxf`` would accept this part with the thickness's sheet and smallest
    hole: the same rules (the part may turn by 90 degrees; holes by 4·A/P), on the figures
    already measured, so a bulk import analyses each drawing once, not once per thickness."""
    width, height = g.width_mm, g.height_mm
    sheet_w, sheet_h = thickness.max_sheet_mm
    fits = (width <= sheet_w and height <= sheet_h) or (width <= sheet_h and height <= sheet_w)
    minimum = float(thickness.min_hole_diameter_mm)
    return fits and all(h.hydraulic_diameter_mm >= minimum - 1e-9 for h in g.holes)
