"""The parametric parts a customer can order without a drawing, and their geometric rules.

Each template names its parameters (with ranges, so a form can be built from them), checks
the combinations a range cannot express (a hole larger than the plate) and draws itself as
exact outlines and circles. Checks keep ``MIN_WEB_MM`` of material between any two cuts and
between a cut and the edge: below that a part does not hold together whatever the material;
the material-specific limits (smallest hole, sheet size) are the analyser's job.
"""

from __future__ import annotations

import math

from domain.laser.errors import fmt_mm
from domain.laser.template_shapes import (
    MIN_WEB_MM,
    ParameterDef,
    Params,
    PartShapes,
    TemplateDef,
    bad,
    clear_of_edges,
    rounded_rectangle,
    slot,
    spread,
)
from domain.shared.errors import ErrorCollector


def _check_corner_radius(p: Params, errors: ErrorCollector) -> None:
    shorter = min(p["width"], p["height"])
    if p["corner_radius"] > shorter / 2.0:
        bad(
            errors,
            "corner_radius",
            f"Corner radius of {fmt_mm(p['corner_radius'])} mm is more than half the shorter "
            f"side ({fmt_mm(shorter)} mm)",
        )


# --- RECTANGLE ------------------------------------------------------------------------------


def _rectangle_holes(p: Params) -> list[tuple[float, float, float]]:
    if p["hole_diameter"] <= 0.0:
        return []
    xs = spread(int(p["hole_columns"]), p["width"], p["hole_margin"])
    ys = spread(int(p["hole_rows"]), p["height"], p["hole_margin"])
    return [(x, y, p["hole_diameter"] / 2.0) for y in ys for x in xs]


def _check_rectangle(p: Params, errors: ErrorCollector) -> None:
    _check_corner_radius(p, errors)
    d, m = p["hole_diameter"], p["hole_margin"]
    if d <= 0.0 or errors:
        return
    for key, count, size in (
        ("hole_columns", int(p["hole_columns"]), p["width"]),
        ("hole_rows", int(p["hole_rows"]), p["height"]),
    ):
        if count > 1 and size - 2.0 * m < 0.0:
            bad(errors, "hole_margin", f"Margins of {fmt_mm(m)} mm leave no room for holes")
            return
        if count > 1 and (size - 2.0 * m) / (count - 1) - d < MIN_WEB_MM - 1e-9:
            bad(
                errors,
                key,
                f"{count} holes of {fmt_mm(d)} mm do not fit side by side in "
                f"{fmt_mm(size - 2.0 * m)} mm between the margins",
            )
    if errors:
        return
    w, h, r = p["width"], p["height"], p["corner_radius"]
    if not all(clear_of_edges(x, y, rad, w, h, r) for x, y, rad in _rectangle_holes(p)):
        key = "hole_margin" if p["hole_rows"] > 1 or p["hole_columns"] > 1 else "hole_diameter"
        bad(
            errors,
            key,
            f"Holes of {fmt_mm(d)} mm come closer than {fmt_mm(MIN_WEB_MM)} mm to "
            "the plate edge; make them smaller or move them in",
        )


def _draw_rectangle(p: Params) -> PartShapes:
    outer = rounded_rectangle(p["width"], p["height"], p["corner_radius"])
    return PartShapes([outer], _rectangle_holes(p))


# --- DISC and FLANGE ------------------------------------------------------------------------


def _check_disc(p: Params, errors: ErrorCollector) -> None:
    if p["inner_diameter"] > 0.0 and p["outer_diameter"] - p["inner_diameter"] < 2 * MIN_WEB_MM:
        bad(
            errors,
            "inner_diameter",
            f"Inner diameter of {fmt_mm(p['inner_diameter'])} mm "
            f"leaves no ring of the {fmt_mm(p['outer_diameter'])} mm disc",
        )


def _draw_disc(p: Params) -> PartShapes:
    r = p["outer_diameter"] / 2.0
    circles = [(r, r, r)]
    if p["inner_diameter"] > 0.0:
        circles.append((r, r, p["inner_diameter"] / 2.0))
    return PartShapes([], circles)


def _check_flange(p: Params, errors: ErrorCollector) -> None:
    big, bore = p["outer_diameter"] / 2.0, p["inner_diameter"] / 2.0
    bolt_circle, bolt = p["bolt_circle_diameter"] / 2.0, p["bolt_hole_diameter"] / 2.0
    n = int(p["bolt_count"])
    if bolt_circle + bolt > big - MIN_WEB_MM + 1e-9:
        bad(
            errors,
            "bolt_circle_diameter",
            f"Bolt holes on a {fmt_mm(2 * bolt_circle)} mm "
            f"circle reach past the edge of the {fmt_mm(2 * big)} mm flange",
        )
    if bore > 0.0 and bore > bolt_circle - bolt - MIN_WEB_MM + 1e-9:
        bad(
            errors,
            "inner_diameter",
            f"A bore of {fmt_mm(2 * bore)} mm cuts into the bolt "
            f"holes on the {fmt_mm(2 * bolt_circle)} mm bolt circle",
        )
    if n > 1 and 2 * bolt_circle * math.sin(math.pi / n) - 2 * bolt < MIN_WEB_MM - 1e-9:
        bad(
            errors,
            "bolt_count",
            f"{n} bolt holes of {fmt_mm(2 * bolt)} mm do not fit on a "
            f"{fmt_mm(2 * bolt_circle)} mm bolt circle",
        )


def _draw_flange(p: Params) -> PartShapes:
    r = p["outer_diameter"] / 2.0
    circles = [(r, r, r)]
    if p["inner_diameter"] > 0.0:
        circles.append((r, r, p["inner_diameter"] / 2.0))
    n, bc = int(p["bolt_count"]), p["bolt_circle_diameter"] / 2.0
    for i in range(n):
        # Holes straddle the centre lines (first at half a pitch), as flange standards draw them.
        angle = (i + 0.5) * math.tau / n
        circles.append(
            (r + bc * math.cos(angle), r + bc * math.sin(angle), p["bolt_hole_diameter"] / 2.0)
        )
    return PartShapes([], circles)


# --- L_BRACKET ------------------------------------------------------------------------------


def l_bracket_developed_length(
    leg_a: float, leg_b: float, thickness: float, inner_bend_radius: float, k_factor: float
) -> float:
    """Flat length of a 90° bracket whose legs are measured to the outside of the bend.

    Each leg loses the outside setback (R + T) to the bend, and the bend itself adds the
    bend allowance, the arc length of the neutral axis: BA = π/2 · (R + K·T). So
    L = A + B - 2·(R + T) + π/2 · (R + K·T), the usual press-brake formula.
    """
    setback = inner_bend_radius + thickness
    allowance = math.pi / 2.0 * (inner_bend_radius + k_factor * thickness)
    return leg_a + leg_b - 2.0 * setback + allowance


def _bracket_flats(p: Params) -> tuple[float, float, float]:
    setback = p["inner_bend_radius"] + p["thickness"]
    length = l_bracket_developed_length(
        p["leg_a"], p["leg_b"], p["thickness"], p["inner_bend_radius"], p["k_factor"]
    )
    return p["leg_a"] - setback, p["leg_b"] - setback, length


def _check_l_bracket(p: Params, errors: ErrorCollector) -> None:
    flat_a, flat_b, _ = _bracket_flats(p)
    setback = p["inner_bend_radius"] + p["thickness"]
    for key, flat in (("leg_a", flat_a), ("leg_b", flat_b)):
        if flat < MIN_WEB_MM - 1e-9:
            bad(
                errors,
                key,
                f"Leg of {fmt_mm(p[key])} mm is too short: the bend takes "
                f"{fmt_mm(setback)} mm (thickness + inner radius)",
            )
    d = p["hole_diameter"]
    if d > 0.0 and not errors and d + 2 * MIN_WEB_MM > min(flat_a, flat_b, p["width"]) + 1e-9:
        bad(
            errors,
            "hole_diameter",
            f"Holes of {fmt_mm(d)} mm do not fit in the flat part "
            f"of the legs ({fmt_mm(min(flat_a, flat_b, p['width']))} mm)",
        )


def _draw_l_bracket(p: Params) -> PartShapes:
    flat_a, flat_b, length = _bracket_flats(p)
    w = p["width"]
    holes = []
    if p["hole_diameter"] > 0.0:
        r = p["hole_diameter"] / 2.0
        holes = [(flat_a / 2.0, w / 2.0, r), (length - flat_b / 2.0, w / 2.0, r)]
    return PartShapes([rounded_rectangle(length, w, 0.0)], holes)


# --- SLOTTED_PLATE --------------------------------------------------------------------------


def _check_slotted_plate(p: Params, errors: ErrorCollector) -> None:
    _check_corner_radius(p, errors)
    w, h, n = p["width"], p["height"], int(p["slot_count"])
    length, width = p["slot_length"], p["slot_width"]
    if width > length:
        bad(
            errors,
            "slot_width",
            f"Slot width of {fmt_mm(width)} mm is more than its length of {fmt_mm(length)} mm",
        )
    if length > w - 2 * MIN_WEB_MM + 1e-9:
        bad(
            errors,
            "slot_length",
            f"Slots of {fmt_mm(length)} mm are longer than the {fmt_mm(w)} mm plate allows",
        )
    pitch = h / (n + 1)
    if (n > 1 and pitch - width < MIN_WEB_MM - 1e-9) or pitch - width / 2 < MIN_WEB_MM - 1e-9:
        bad(
            errors,
            "slot_count",
            f"{n} slots of {fmt_mm(width)} mm do not fit in the {fmt_mm(h)} mm height",
        )
    if errors:
        return
    end = (length - width) / 2.0
    for i in range(n):
        y = pitch * (i + 1)
        if not clear_of_edges(w / 2.0 - end, y, width / 2.0, w, h, p["corner_radius"]):
            bad(errors, "corner_radius", "The slots cut into the rounded corners")
            return


def _draw_slotted_plate(p: Params) -> PartShapes:
    w, h, n = p["width"], p["height"], int(p["slot_count"])
    shapes = PartShapes([rounded_rectangle(w, h, p["corner_radius"])])
    for i in range(n):
        y = h * (i + 1) / (n + 1)
        if math.isclose(p["slot_length"], p["slot_width"]):
            shapes.circles.append((w / 2.0, y, p["slot_width"] / 2.0))  # a slot with no straight
        else:
            shapes.outlines.append(slot(w / 2.0, y, p["slot_length"], p["slot_width"]))
    return shapes


def _p(
    key: str, label: str, default: float, lo: float, hi: float, unit: str = "mm"
) -> ParameterDef:
    return ParameterDef(key, label, default, lo, hi, unit)


CATALOGUE: tuple[TemplateDef, ...] = (
    TemplateDef(
        "RECTANGLE",
        "Rectangular plate",
        "A plate with optional rounded corners and a grid of round holes.",
        (
            _p("width", "Width", 100, 1, 3000),
            _p("height", "Height", 50, 1, 3000),
            _p("corner_radius", "Corner radius", 0, 0, 1500),
            _p("hole_diameter", "Hole diameter (0 = no holes)", 0, 0, 1000),
            _p("hole_rows", "Hole rows", 1, 1, 50, "count"),
            _p("hole_columns", "Hole columns", 1, 1, 50, "count"),
            _p("hole_margin", "Hole centre distance from the edge", 10, 0, 1500),
        ),
        _check_rectangle,
        _draw_rectangle,
    ),
    TemplateDef(
        "DISC",
        "Disc or ring",
        "A round disc; with an inner diameter it becomes a ring (washer).",
        (
            _p("outer_diameter", "Outer diameter", 100, 1, 1500),
            _p("inner_diameter", "Inner diameter (0 = solid disc)", 0, 0, 1500),
        ),
        _check_disc,
        _draw_disc,
    ),
    TemplateDef(
        "FLANGE",
        "Flange",
        "A ring with bolt holes evenly spaced on a bolt circle.",
        (
            _p("outer_diameter", "Outer diameter", 200, 10, 1500),
            _p("inner_diameter", "Bore diameter (0 = blind flange)", 100, 0, 1500),
            _p("bolt_circle_diameter", "Bolt circle diameter", 160, 5, 1500),
            _p("bolt_hole_diameter", "Bolt hole diameter", 12, 1, 200),
            _p("bolt_count", "Number of bolt holes", 8, 1, 72, "count"),
        ),
        _check_flange,
        _draw_flange,
    ),
    TemplateDef(
        "L_BRACKET",
        "L bracket (flat pattern)",
        "The flat blank of a 90° bracket, legs measured outside; one optional hole per leg.",
        (
            _p("leg_a", "Leg A (outside)", 50, 5, 1500),
            _p("leg_b", "Leg B (outside)", 40, 5, 1500),
            _p("width", "Width", 30, 5, 1500),
            _p("thickness", "Material thickness", 2, 0.5, 25),
            _p("inner_bend_radius", "Inner bend radius", 2, 0, 50),
            _p("k_factor", "K-factor", 0.33, 0.2, 0.5, "ratio"),
            _p("hole_diameter", "Hole diameter (0 = no holes)", 0, 0, 200),
        ),
        _check_l_bracket,
        _draw_l_bracket,
    ),
    TemplateDef(
        "SLOTTED_PLATE",
        "Slotted plate",
        "A plate with parallel slots (round ends) spread evenly over its height.",
        (
            _p("width", "Width", 200, 10, 3000),
            _p("height", "Height", 100, 10, 3000),
            _p("slot_length", "Slot length (overall)", 80, 1, 3000),
            _p("slot_width", "Slot width", 10, 1, 500),
            _p("slot_count", "Number of slots", 3, 1, 50, "count"),
            _p("corner_radius", "Corner radius", 0, 0, 1500),
        ),
        _check_slotted_plate,
        _draw_slotted_plate,
    ),
)
