"""Property tests: for any valid rectangle or disc, analysis matches the closed form."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.laser.geometry import analyse_dxf
from domain.laser.outline import reverse_outline, signed_area
from domain.laser.templates import generate

sizes = st.floats(min_value=1.0, max_value=3000.0, allow_nan=False)


@settings(max_examples=40, deadline=None)
@given(width=sizes, height=sizes, radius_share=st.floats(min_value=0.0, max_value=0.5))
def test_rounded_rectangle_matches_closed_form(
    width: float, height: float, radius_share: float
) -> None:
    r = min(width, height) * radius_share
    g = analyse_dxf(generate("RECTANGLE", {"width": width, "height": height, "corner_radius": r}))
    cut = 2 * (width + height) - 8 * r + 2 * math.pi * r
    area = width * height - (4 - math.pi) * r * r
    # Vertices closer than 1 µm are welded as CAD noise, so sub-micrometre corner arcs vanish;
    # each weld moves a vertex by under 1 µm. Otherwise the figures are exact.
    assert math.isclose(g.cut_length_mm, cut, rel_tol=1e-9, abs_tol=4e-3)
    assert math.isclose(g.area_mm2, area, rel_tol=1e-9, abs_tol=1e-3 * (width + height))
    if r == 0 or r > 1e-3:
        assert math.isclose(g.cut_length_mm, cut, rel_tol=1e-9, abs_tol=1e-6)
    assert math.isclose(g.width_mm, width, rel_tol=1e-9, abs_tol=1e-9)
    assert math.isclose(g.height_mm, height, rel_tol=1e-9, abs_tol=1e-9)


@settings(max_examples=40, deadline=None)
@given(
    outer=st.floats(min_value=3.0, max_value=1500.0),
    inner_share=st.one_of(st.just(0.0), st.floats(min_value=0.05, max_value=0.9)),
)
def test_disc_and_ring_match_closed_form(outer: float, inner_share: float) -> None:
    inner = outer * inner_share
    if inner and outer - inner < 2.0:
        inner = 0.0
    g = analyse_dxf(generate("DISC", {"outer_diameter": outer, "inner_diameter": inner}))
    assert math.isclose(g.area_mm2, math.pi / 4 * (outer**2 - inner**2), rel_tol=1e-9)
    assert math.isclose(g.cut_length_mm, math.pi * (outer + inner), rel_tol=1e-9)
    assert g.pierce_count == (2 if inner else 1)


@given(
    st.lists(
        st.tuples(
            st.floats(min_value=-1e3, max_value=1e3),
            st.floats(min_value=-1e3, max_value=1e3),
            st.floats(min_value=-2.0, max_value=2.0),
        ),
        min_size=3,
        max_size=12,
    )
)
def test_reversing_an_outline_negates_its_area(vertices: list[tuple[float, float, float]]) -> None:
    area = signed_area(vertices)
    assert math.isclose(signed_area(reverse_outline(vertices)), -area, rel_tol=1e-9, abs_tol=1e-6)
    assert reverse_outline(reverse_outline(vertices)) == tuple(vertices)
