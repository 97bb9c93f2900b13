"""analyse_dxf on good drawings: exact figures for every kind of entity and unit."""

from __future__ import annotations

import io
import math
from itertools import pairwise

import pytest

from domain.laser.dxf_source import LengthUnit
from tests.unit.laser.drawings import R12_SQUARE, analyse, new_doc, plate, to_bytes


def test_rectangle_with_holes_has_exact_cut_length_area_and_pierces() -> None:
    doc, msp = new_doc()
    plate(msp, 100, 50)
    msp.add_circle((20, 25), 5)
    msp.add_circle((80, 25), 5)

    part = analyse(doc)

    assert part.width_mm == 100 and part.height_mm == 50
    assert part.cut_length_mm == pytest.approx(300 + 2 * 2 * math.pi * 5, abs=1e-9)
    assert part.area_mm2 == pytest.approx(5000 - 2 * math.pi * 25, abs=1e-9)
    assert part.outer_area_mm2 == pytest.approx(5000)
    assert part.pierce_count == 3
    assert [(h.centre_x_mm, h.centre_y_mm) for h in part.holes] == [
        pytest.approx((20, 25)),
        pytest.approx((80, 25)),
    ]
    assert part.holes[0].equivalent_diameter_mm == pytest.approx(10)
    assert part.holes[0].hydraulic_diameter_mm == pytest.approx(10)
    assert part.source_units is LengthUnit.MILLIMETRE


def test_part_is_moved_to_origin_and_contours_are_flattened_inside_the_box() -> None:
    doc, msp = new_doc()
    msp.add_lwpolyline([(500, 300), (600, 300), (600, 350), (500, 350)], close=True)
    msp.add_circle((550, 325), 10)

    part = analyse(doc)

    outer, hole = part.contours
    assert min(p[0] for p in outer) == pytest.approx(0)
    assert min(p[1] for p in outer) == pytest.approx(0)
    assert part.holes[0].centre_x_mm == pytest.approx(50)
    assert all(math.dist(p, (50, 25)) == pytest.approx(10) for p in hole)
    assert len(hole) > 16  # arcs are flattened for drawing


def test_outer_runs_counter_clockwise_and_holes_clockwise() -> None:
    doc, msp = new_doc()
    msp.add_lwpolyline([(0, 0), (0, 50), (100, 50), (100, 0)], close=True)  # clockwise
    msp.add_circle((50, 25), 10)
    outer, hole = analyse(doc).outlines
    signed = [sum(a[0] * b[1] - b[0] * a[1] for a, b in pairwise([*o, o[0]])) for o in (outer,)]
    assert signed[0] > 0
    assert all(v[2] < 0 for v in hole)  # clockwise arcs


def test_loose_lines_and_arcs_chain_into_a_rounded_slot() -> None:
    # A stadium 60 x 20 drawn as two lines and two half arcs, in mixed directions.
    doc, msp = new_doc()
    msp.add_line((10, 0), (50, 0))
    msp.add_line((10, 20), (50, 20))  # drawn left to right, against the walk
    msp.add_arc((50, 10), 10, -90, 90)
    msp.add_arc((10, 10), 10, 90, 270)

    part = analyse(doc)

    assert part.pierce_count == 1
    assert part.cut_length_mm == pytest.approx(80 + 2 * math.pi * 10, abs=1e-9)
    assert part.area_mm2 == pytest.approx(40 * 20 + math.pi * 100, abs=1e-9)
    assert (part.width_mm, part.height_mm) == pytest.approx((60, 20))


def test_lwpolyline_bulges_are_exact_arcs() -> None:
    # A 40 x 20 plate whose right side is a half circle (bulge 1): a "D" shape.
    doc, msp = new_doc()
    msp.add_lwpolyline([(0, 0, 0), (40, 0, 1), (40, 20, 0), (0, 20, 0)], format="xyb", close=True)
    part = analyse(doc)
    assert part.cut_length_mm == pytest.approx(40 + 40 + 20 + math.pi * 10, abs=1e-9)
    assert part.area_mm2 == pytest.approx(800 + math.pi * 50, abs=1e-9)
    assert part.width_mm == pytest.approx(50)  # the arc's extreme, not its chord


def test_ends_within_tolerance_are_joined() -> None:
    doc, msp = new_doc()
    msp.add_line((0, 0), (10, 0))
    msp.add_line((10.004, 0.003), (10, 10))
    msp.add_line((10, 10), (0, 10))
    msp.add_line((0, 10), (0, 0))
    assert analyse(doc).pierce_count == 1


def test_mirrored_arc_extrusion_is_read_in_world_coordinates() -> None:
    # Some CAD programs mirror arcs by flipping the extrusion to (0, 0, -1).
    doc, msp = new_doc()
    msp.add_line((0, 0), (20, 0))
    msp.add_line((20, 0), (20, 10))
    # With a -Z extrusion the OCS x axis is mirrored: centre (-10, 10) is (10, 10) in WCS.
    msp.add_arc((-10, 10), 10, 0, 180, dxfattribs={"extrusion": (0, 0, -1)})
    msp.add_line((0, 10), (0, 0))
    part = analyse(doc)
    assert part.area_mm2 == pytest.approx(200 + math.pi * 50, abs=1e-9)
    assert part.height_mm == pytest.approx(20)


def test_spline_part_is_flattened_finely() -> None:
    doc, msp = new_doc()
    spline = msp.add_spline([(0, 0), (25, 12), (50, 0)])
    msp.add_line((50, 0), (50, -10))
    msp.add_line((50, -10), (0, -10))
    msp.add_line((0, -10), (0, 0))
    part = analyse(doc)
    points = list(spline.flattening(0.00001))
    exact = sum(math.dist(a, b) for a, b in pairwise(points))
    assert part.cut_length_mm == pytest.approx(exact + 10 + 50 + 10, abs=1e-3)
    assert part.pierce_count == 1
    assert part.height_mm == pytest.approx(10 + max(p.y for p in points), abs=1e-3)


def test_full_ellipse_hole() -> None:
    doc, msp = new_doc()
    plate(msp, 100, 100)
    msp.add_ellipse((50, 50), major_axis=(20, 0), ratio=0.5)
    hole = analyse(doc).holes[0]
    # Chords at most 0.001 mm inside the curve lose at most that times the perimeter.
    assert hole.area_mm2 == pytest.approx(math.pi * 20 * 10, abs=0.001 * 100)
    assert hole.area_mm2 < math.pi * 20 * 10
    # Ramanujan's second approximation of the ellipse perimeter, exact to ~1e-10 here.
    a, b = 20, 10
    h = ((a - b) / (a + b)) ** 2
    perimeter = math.pi * (a + b) * (1 + 3 * h / (10 + math.sqrt(4 - 3 * h)))
    assert hole.perimeter_mm == pytest.approx(perimeter, rel=2e-5)


def test_polyline_2d_with_bulges() -> None:
    doc, msp = new_doc()
    msp.add_polyline2d([(0, 0, 0, 0, 1), (20, 0, 0, 0, 1)], format="xyseb", close=True)
    part = analyse(doc)  # two half circles: a 20 mm circle
    assert part.area_mm2 == pytest.approx(math.pi * 100, abs=1e-9)


def test_insert_blocks_are_exploded_with_their_transform() -> None:
    doc, msp = new_doc()
    plate(msp, 100, 50)
    block = doc.blocks.new("HOLE")
    block.add_circle((0, 0), 3)
    msp.add_blockref("HOLE", (20, 25), dxfattribs={"xscale": 2, "yscale": 2})
    grid = msp.add_blockref("HOLE", (60, 15))
    grid.grid(size=(2, 2), spacing=(20, 20))  # MINSERT: 4 holes

    part = analyse(doc)

    assert part.pierce_count == 6
    big = [h for h in part.holes if h.equivalent_diameter_mm > 10]
    assert [(h.centre_x_mm, h.centre_y_mm) for h in big] == [pytest.approx((20, 25))]
    assert big[0].equivalent_diameter_mm == pytest.approx(12)
    small = [(round(h.centre_x_mm), round(h.centre_y_mm)) for h in part.holes if h not in big]
    assert small == [(60, 15), (80, 15), (60, 35), (80, 35)]  # ordered by centre, y first


def test_nested_blocks_and_annotation_are_handled() -> None:
    doc, msp = new_doc()
    inner = doc.blocks.new("INNER")
    inner.add_circle((0, 0), 2)
    outer = doc.blocks.new("OUTER")
    plate(outer, 50, 50)
    outer.add_blockref("INNER", (25, 25))
    outer.add_text("part no. 17")
    msp.add_blockref("OUTER", (0, 0))
    msp.add_text("drawing title")
    msp.add_linear_dim(base=(0, -10), p1=(0, 0), p2=(50, 0)).render()
    assert analyse(doc).pierce_count == 2


def test_hidden_and_defpoints_layers_are_not_cut() -> None:
    doc, msp = new_doc()
    plate(msp, 100, 50)
    doc.layers.add("NOTES").off()
    msp.add_circle((10, 10), 50, dxfattribs={"layer": "NOTES"})
    msp.add_line((0, 0), (5, 5), dxfattribs={"layer": "Defpoints"})
    assert analyse(doc).pierce_count == 1


@pytest.mark.parametrize(
    ("units", "factor", "expected"),
    [(1, 25.4, LengthUnit.INCH), (5, 10, LengthUnit.CENTIMETRE), (6, 1000, LengthUnit.METRE)],
)
def test_drawing_units_are_converted_to_mm(units: int, factor: float, expected: LengthUnit) -> None:
    doc, msp = new_doc(units=units)
    plate(msp, 4, 2)
    msp.add_circle((1, 1), 0.25)
    part = analyse(doc)
    assert (part.width_mm, part.height_mm) == pytest.approx((4 * factor, 2 * factor))
    assert part.area_mm2 == pytest.approx((8 - math.pi / 16) * factor**2)
    assert part.cut_length_mm == pytest.approx((12 + math.pi / 2) * factor)
    assert part.source_units is expected


def test_unitless_drawing_is_read_with_assumed_units() -> None:
    part = analyse(R12_SQUARE.encode(), assume_units=LengthUnit.INCH)
    assert part.width_mm == pytest.approx(254)
    assert part.source_units is LengthUnit.INCH


def test_assumed_units_never_override_declared_units() -> None:
    doc, msp = new_doc(units=4)
    plate(msp, 10, 10)
    assert analyse(doc, assume_units=LengthUnit.INCH).width_mm == 10


def test_binary_dxf_and_crlf_line_ends_are_read() -> None:
    doc, msp = new_doc()
    plate(msp, 30, 20)
    binary = io.BytesIO()
    doc.write(binary, fmt="bin")
    assert binary.getvalue().startswith(b"AutoCAD Binary DXF")
    assert analyse(binary.getvalue()).area_mm2 == pytest.approx(600)
    crlf = to_bytes(doc).replace(b"\n", b"\r\n")
    assert analyse(crlf).area_mm2 == pytest.approx(600)


@pytest.mark.parametrize("damage", ["missing EOF", "bad float"])
def test_slightly_broken_files_are_recovered(damage: str) -> None:
    doc, msp = new_doc()
    plate(msp, 100, 50)
    text = to_bytes(doc).decode()
    if damage == "missing EOF":
        text = text[: text.rindex("  0\nEOF")]
    else:
        text = text.replace(" 20\n50.0\n", " 20\n5O.0\n", 1)  # letter O for a zero
        assert "5O.0" in text
    assert analyse(text.encode()).pierce_count == 1


def test_old_code_page_text_is_decoded() -> None:
    doc, msp = new_doc(version="R2000")
    plate(msp, 10, 10)
    msp.add_text("Maß Öse")
    data = to_bytes(doc).replace("Maß Öse".encode(), "Maß Öse".encode("cp1252"))
    assert analyse(data).pierce_count == 1


def test_weight_from_net_area() -> None:
    doc, msp = new_doc()
    plate(msp, 100, 100)  # 10000 mm² x 2 mm = 20 cm³
    assert analyse(doc).weight_g(2.0, 7.85) == pytest.approx(157.0)
