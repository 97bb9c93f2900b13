"""SVG previews and the DXF download."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from domain.laser.geometry import analyse_dxf
from domain.laser.svg import contours_to_svg, geometry_to_dxf
from domain.laser.templates import TEMPLATES, generate
from tests.unit.laser.drawings import analyse, new_doc, plate

SVG = "{http://www.w3.org/2000/svg}"


def test_svg_is_well_formed_with_a_viewbox_in_mm() -> None:
    g = analyse_dxf(generate("FLANGE", {}))
    root = ET.fromstring(contours_to_svg(g, max_px=400))
    assert root.tag == f"{SVG}svg"
    x, y, w, h = (float(v) for v in root.attrib["viewBox"].split())
    assert (x, y) == (-2, -2) and (w, h) == (204, 204)  # 200 mm flange plus a 1 % margin
    assert float(root.attrib["width"]) == 400
    [path] = root.iter(f"{SVG}path")
    assert path.attrib["fill-rule"] == "evenodd"
    assert path.attrib["d"].count("M") == g.pierce_count


def test_svg_is_upright_and_deterministic() -> None:
    # A 30 x 10 plate with a semicircular top on the left: y must be flipped.
    doc, msp = new_doc()
    vertices = [(0, 0, 0), (30, 0, 0), (30, 10, 0), (10, 10, 1), (0, 10, 0)]
    msp.add_lwpolyline(vertices, format="xyb", close=True)
    g = analyse(doc)
    svg = contours_to_svg(g)
    assert svg == contours_to_svg(g)
    d = ET.fromstring(svg).find(f"{SVG}path").attrib["d"]  # type: ignore[union-attr]
    # The plate bottom (y = 0 in CAD) is at the bottom of the picture: y = height in SVG.
    assert d.startswith(f"M0 {g.height_mm:g}") or f"L0 {g.height_mm:g}" in d
    assert " A5 5 0 0 0 " in d  # counter-clockwise arc: SVG sweep flag 0 once y is flipped


def test_svg_escapes_colours() -> None:
    g = analyse_dxf(generate("DISC", {}))
    svg = contours_to_svg(g, stroke='red" onload="alert(1)', fill="<b>")
    path = ET.fromstring(svg).find(f"{SVG}path")
    assert path is not None and path.attrib["stroke"] == 'red" onload="alert(1)'
    assert "onload" not in path.attrib


@pytest.mark.parametrize("key", sorted(TEMPLATES))
def test_dxf_download_round_trips_to_the_same_figures(key: str) -> None:
    params = {"hole_diameter": 6} if key in {"RECTANGLE", "L_BRACKET"} else {}
    g = analyse_dxf(generate(key, params))
    again = analyse_dxf(geometry_to_dxf(g))
    assert again.cut_length_mm == pytest.approx(g.cut_length_mm, abs=1e-9)
    assert again.area_mm2 == pytest.approx(g.area_mm2, abs=1e-9)
    assert (again.width_mm, again.height_mm) == pytest.approx((g.width_mm, g.height_mm))
    assert again.pierce_count == g.pierce_count
    assert [(h.centre_x_mm, h.centre_y_mm, h.area_mm2) for h in again.holes] == [
        pytest.approx((h.centre_x_mm, h.centre_y_mm, h.area_mm2)) for h in g.holes
    ]


def test_dxf_download_of_a_spline_part_round_trips() -> None:
    doc, msp = new_doc()
    msp.add_spline([(0, 0), (25, 12), (50, 0)])
    msp.add_line((50, 0), (50, -10))
    msp.add_line((50, -10), (0, -10))
    msp.add_line((0, -10), (0, 0))
    g = analyse(doc)
    data = geometry_to_dxf(g)
    assert b"$INSUNITS\n 70\n4\n" in data and b"LWPOLYLINE" in data and b"AC1024" in data
    again = analyse_dxf(data)
    assert again.cut_length_mm == pytest.approx(g.cut_length_mm, abs=1e-9)
    assert again.area_mm2 == pytest.approx(g.area_mm2, abs=1e-9)


def test_download_of_a_plate_keeps_the_holes() -> None:
    doc, msp = new_doc()
    plate(msp, 100, 50)
    msp.add_circle((25, 25), 5)
    again = analyse_dxf(geometry_to_dxf(analyse(doc)))
    assert [(h.centre_x_mm, h.centre_y_mm) for h in again.holes] == [pytest.approx((25, 25))]
