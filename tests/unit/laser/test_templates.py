"""Parametric templates: exact closed-form figures after analysis, and refused combinations."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

import pytest

from domain.laser.errors import LaserErrorCode
from domain.laser.geometry import PartGeometry, analyse_dxf
from domain.laser.templates import (
    TEMPLATES,
    generate,
    l_bracket_developed_length,
    resolve_parameters,
)
from domain.shared.errors import DomainError

pi = math.pi


def part(key: str, **params: Any) -> PartGeometry:
    return analyse_dxf(generate(key, params))


def refused(key: str, **params: Any) -> dict[tuple[str, ...] | None, str]:
    with pytest.raises(DomainError) as caught:
        generate(key, params)
    assert {d.code for d in caught.value.details} <= {
        LaserErrorCode.INVALID_TEMPLATE_PARAMETER,
        LaserErrorCode.UNKNOWN_TEMPLATE,
    }
    return {d.field: d.message for d in caught.value.details}


def test_registry_lists_every_template_with_usable_defaults() -> None:
    assert set(TEMPLATES) == {"RECTANGLE", "DISC", "FLANGE", "L_BRACKET", "SLOTTED_PLATE"}
    for key, template in TEMPLATES.items():
        assert template.key == key
        for p in template.parameters:
            assert p.minimum <= p.default <= p.maximum
            assert p.unit in {"mm", "count", "ratio"}
        assert part(key).pierce_count >= 1


def test_plain_rectangle() -> None:
    g = part("RECTANGLE", width=120, height=80)
    assert (g.width_mm, g.height_mm, g.pierce_count) == (120, 80, 1)
    assert g.cut_length_mm == pytest.approx(400, abs=1e-9)
    assert g.area_mm2 == pytest.approx(9600, abs=1e-9)


def test_rectangle_with_corner_radius_and_hole_grid() -> None:
    w, h, r, d, rows, cols = 100, 60, 10, 8, 2, 3
    g = part(
        "RECTANGLE",
        width=w,
        height=h,
        corner_radius=r,
        hole_diameter=d,
        hole_rows=rows,
        hole_columns=cols,
        hole_margin=12,
    )
    n = rows * cols
    assert g.pierce_count == 1 + n
    assert g.cut_length_mm == pytest.approx(2 * (w + h) - 8 * r + 2 * pi * r + n * pi * d, abs=1e-9)
    assert g.area_mm2 == pytest.approx(w * h - (4 - pi) * r**2 - n * pi * d**2 / 4, abs=1e-9)
    assert [(round(x.centre_x_mm, 6), round(x.centre_y_mm, 6)) for x in g.holes[:3]] == [
        (12, 12),
        (50, 12),
        (88, 12),
    ]


def test_rectangle_with_radius_of_half_the_side_is_a_stadium() -> None:
    g = part("RECTANGLE", width=100, height=40, corner_radius=20)
    assert g.cut_length_mm == pytest.approx(2 * 60 + 2 * pi * 20, abs=1e-9)
    assert g.area_mm2 == pytest.approx(60 * 40 + pi * 400, abs=1e-9)


@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        ({"width": 10, "height": 10, "hole_diameter": 20}, "hole_diameter", "plate edge"),
        ({"width": 100, "height": 40, "corner_radius": 25}, "corner_radius", "half the shorter"),
        ({"hole_diameter": 10, "hole_columns": 12}, "hole_columns", "do not fit side by side"),
        ({"hole_diameter": 10, "hole_rows": 2, "hole_margin": 30}, "hole_margin", "no room"),
        (
            {"corner_radius": 20, "hole_diameter": 6, "hole_rows": 2, "hole_columns": 2,
             "hole_margin": 5},
            "hole_margin",
            "plate edge",
        ),
        ({"hole_rows": 2.5}, "hole_rows", "whole number"),
        ({"width": 0}, "width", "between 1.0 mm and 3000.0 mm, not 0.0 mm"),
        ({"width": math.nan}, "width", "finite"),
        ({"width": "100"}, "width", "must be a number"),
        ({"width": True}, "width", "must be a number"),
        ({"colour": 3}, "colour", "no parameter"),
    ],
)  # fmt: skip
def test_rectangle_refuses_impossible_parameters(
    params: dict[str, Any], field: str, words: str
) -> None:
    errors = refused("RECTANGLE", **params)
    assert ("parameters", field) in errors, errors
    assert words in errors[("parameters", field)]


def test_disc_and_ring() -> None:
    disc = part("DISC", outer_diameter=80)
    assert disc.area_mm2 == pytest.approx(pi * 40**2, abs=1e-9)
    assert disc.cut_length_mm == pytest.approx(2 * pi * 40, abs=1e-9)
    ring = part("DISC", outer_diameter=80, inner_diameter=30)
    assert ring.area_mm2 == pytest.approx(pi * (40**2 - 15**2), abs=1e-9)
    assert ring.cut_length_mm == pytest.approx(pi * (80 + 30), abs=1e-9)
    assert ring.pierce_count == 2


def test_disc_ring_must_keep_material() -> None:
    errors = refused("DISC", outer_diameter=50, inner_diameter=49.5)
    assert "leaves no ring" in errors[("parameters", "inner_diameter")]


def test_flange() -> None:
    D, d, bc, bh, n = 250, 120, 200, 18, 8
    g = part(
        "FLANGE",
        outer_diameter=D,
        inner_diameter=d,
        bolt_circle_diameter=bc,
        bolt_hole_diameter=bh,
        bolt_count=n,
    )
    assert g.pierce_count == 2 + n
    assert g.cut_length_mm == pytest.approx(pi * (D + d + n * bh), abs=1e-9)
    assert g.area_mm2 == pytest.approx(pi / 4 * (D**2 - d**2 - n * bh**2), abs=1e-9)
    assert all(
        math.dist((h.centre_x_mm, h.centre_y_mm), (D / 2, D / 2)) == pytest.approx(bc / 2)
        for h in g.holes
        if h.equivalent_diameter_mm < 20
    )


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"bolt_circle_diameter": 195}, "bolt_circle_diameter"),  # holes past the edge
        ({"inner_diameter": 150}, "inner_diameter"),  # bore into the bolt holes
        ({"bolt_count": 40}, "bolt_count"),  # holes overlap each other
        ({"bolt_count": 0}, "bolt_count"),
    ],
)
def test_flange_refuses_impossible_parameters(params: dict[str, Any], field: str) -> None:
    assert ("parameters", field) in refused("FLANGE", **params)


def test_l_bracket_flat_pattern_uses_the_bend_allowance() -> None:
    a, b, w, t, r, k = 50, 40, 30, 2, 2, 0.33
    expected = a + b - 2 * (r + t) + pi / 2 * (r + k * t)
    assert l_bracket_developed_length(a, b, t, r, k) == pytest.approx(expected)
    g = part("L_BRACKET", leg_a=a, leg_b=b, width=w, thickness=t, inner_bend_radius=r)
    assert g.width_mm == pytest.approx(expected)
    assert g.cut_length_mm == pytest.approx(2 * (expected + w), abs=1e-9)
    assert g.area_mm2 == pytest.approx(expected * w, abs=1e-9)


def test_l_bracket_with_holes_in_each_leg() -> None:
    g = part("L_BRACKET", hole_diameter=6)
    length = l_bracket_developed_length(50, 40, 2, 2, 0.33)
    assert g.pierce_count == 3
    assert [round(h.centre_x_mm, 6) for h in g.holes] == [23.0, round(length - 18.0, 6)]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"leg_a": 6, "thickness": 3, "inner_bend_radius": 3}, "leg_a"),
        ({"leg_b": 5, "thickness": 4}, "leg_b"),
        ({"hole_diameter": 30}, "hole_diameter"),
        ({"k_factor": 0.7}, "k_factor"),
    ],
)
def test_l_bracket_refuses_impossible_parameters(params: dict[str, Any], field: str) -> None:
    assert ("parameters", field) in refused("L_BRACKET", **params)


def test_slotted_plate() -> None:
    w, h, sl, sw, n, r = 200, 100, 80, 10, 3, 5
    g = part(
        "SLOTTED_PLATE",
        width=w,
        height=h,
        slot_length=sl,
        slot_width=sw,
        slot_count=n,
        corner_radius=r,
    )
    slot_cut = 2 * (sl - sw) + pi * sw
    slot_area = (sl - sw) * sw + pi * sw**2 / 4
    assert g.pierce_count == 1 + n
    assert g.cut_length_mm == pytest.approx(2 * (w + h) - 8 * r + 2 * pi * r + n * slot_cut)
    assert g.area_mm2 == pytest.approx(w * h - (4 - pi) * r**2 - n * slot_area, abs=1e-9)


def test_slot_as_long_as_it_is_wide_is_a_round_hole() -> None:
    g = part("SLOTTED_PLATE", slot_length=10, slot_width=10, slot_count=1)
    assert g.holes[0].equivalent_diameter_mm == pytest.approx(10)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"slot_length": 199.5}, "slot_length"),  # longer than the plate
        ({"slot_width": 30, "slot_length": 20}, "slot_width"),
        ({"slot_count": 9, "slot_width": 10}, "slot_count"),
        ({"corner_radius": 50, "slot_length": 196, "slot_count": 2}, "corner_radius"),
    ],
)
def test_slotted_plate_refuses_impossible_parameters(params: dict[str, Any], field: str) -> None:
    assert ("parameters", field) in refused("SLOTTED_PLATE", **params)


def test_unknown_template() -> None:
    errors = refused("HEXAGON")
    assert "Unknown template 'HEXAGON'" in errors[("template",)]


def test_parameters_accept_decimals_and_fill_defaults() -> None:
    values = resolve_parameters("DISC", {"outer_diameter": Decimal("42.5")})
    assert values == {"outer_diameter": 42.5, "inner_diameter": 0.0}


def test_all_parameter_problems_come_at_once() -> None:
    errors = refused("RECTANGLE", width=-1, height=99999, colour="red")
    assert set(errors) == {("parameters", k) for k in ("width", "height", "colour")}
