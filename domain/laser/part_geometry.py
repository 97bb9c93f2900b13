"""A part's analysed geometry as stored with it (JSONB), and the quick check of sheet limits.

The exact outlines are stored, not the drawing's flattened contours: they are what previews,
prices and the clean DXF are made from, and the contours follow from them. Floats survive the
round trip through JSONB unchanged (PostgreSQL keeps the decimal text Python writes), so a
stored part prices exactly like the upload it came from.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain.laser.costing import MaterialThickness
from domain.laser.dxf_source import LengthUnit
from domain.laser.geometry import CONTOUR_FLATTEN_TOLERANCE_MM, Hole, PartGeometry
from domain.laser.outline import Vertex, flatten

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
        contours=tuple(tuple(flatten(o, True, CONTOUR_FLATTEN_TOLERANCE_MM)) for o in outlines),
        outlines=outlines,
        source_units=LengthUnit[data["units"]],
    )


def fits_limits(g: PartGeometry, thickness: MaterialThickness) -> bool:
    """Whether ``analyse_dxf`` would accept this part with the thickness's sheet and smallest
    hole: the same rules (the part may turn by 90 degrees; holes by 4·A/P), on the figures
    already measured, so a bulk import analyses each drawing once, not once per thickness."""
    width, height = g.width_mm, g.height_mm
    sheet_w, sheet_h = thickness.max_sheet_mm
    fits = (width <= sheet_w and height <= sheet_h) or (width <= sheet_h and height <= sheet_w)
    minimum = float(thickness.min_hole_diameter_mm)
    return fits and all(h.hydraulic_diameter_mm >= minimum - 1e-9 for h in g.holes)
