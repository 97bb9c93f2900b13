"""analyse_dxf on faulty drawings: every code, with the place in the drawing."""

from __future__ import annotations

import pytest

from domain.laser.dxf_source import LengthUnit
from domain.laser.entities import MAX_ENTITIES
from domain.laser.errors import MAX_PROBLEMS, DrawingError, LaserErrorCode
from domain.shared.errors import DomainError
from tests.unit.laser.drawings import R12_SQUARE, analyse, new_doc, only, plate, problems, to_bytes

Code = LaserErrorCode


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "not a DXF"),
        (b"hello world, this is not a drawing", "not a DXF"),
        (b"%PDF-1.7\n...", "not a DXF"),
        (b"AC1032\x00\x00\x00binary dwg", "DWG file"),
        (b"AutoCAD Binary DXF\r\n\x1a\x00\x00garbage", "binary DXF"),
    ],
)
def test_unreadable_files_are_invalid_dxf(data: bytes, words: str) -> None:
    [problem] = problems(data)
    assert problem.code == Code.INVALID_DXF
    assert words in problem.message
    assert problem.x is None and problem.handle is None


def test_truncated_file_is_invalid_dxf() -> None:
    doc, msp = new_doc()
    plate(msp)
    [problem] = problems(to_bytes(doc)[:3000])
    assert problem.code == Code.INVALID_DXF


def test_empty_drawing_has_no_geometry() -> None:
    doc, _ = new_doc()
    [problem] = problems(doc)
    assert problem.code == Code.NO_GEOMETRY


def test_geometry_only_on_hidden_layers_is_no_geometry() -> None:
    doc, msp = new_doc()
    doc.layers.add("OLD").freeze()
    plate(msp)
    msp.query("LWPOLYLINE").first.dxf.layer = "OLD"
    [problem] = problems(doc)
    assert problem.code == Code.NO_GEOMETRY
    assert "1 entities on hidden layers" in problem.message


def test_text_only_drawing() -> None:
    doc, msp = new_doc()
    msp.add_text("PART 4711")
    msp.add_mtext("please cut 20 pieces")
    [problem] = problems(doc)
    assert problem.code == Code.TEXT_ONLY
    assert "2 entities" in problem.message


def test_unitless_drawing_without_assumed_units() -> None:
    [problem] = problems(R12_SQUARE.encode())
    assert problem.code == Code.UNKNOWN_UNITS
    assert problem.to_detail().field == ("file",)


def test_unitless_drawing_with_assumed_units_passes() -> None:
    assert analyse(R12_SQUARE.encode(), assume_units=LengthUnit.MILLIMETRE).area_mm2 == 100


def test_units_we_do_not_cut_in_are_refused() -> None:
    doc, msp = new_doc(units=2)  # feet
    plate(msp, 1, 1)
    [problem] = problems(doc, assume_units=LengthUnit.MILLIMETRE)
    assert problem.code == Code.UNSUPPORTED_UNITS
    assert "feet" in problem.message


def test_open_contour_names_the_gap_and_both_ends() -> None:
    doc, msp = new_doc()
    doc.layers.add("CUT")
    cut = {"layer": "CUT"}
    bottom = msp.add_line((0, 0), (10, 0), dxfattribs=cut)
    right = msp.add_line((10.8, 0), (10.8, 10), dxfattribs=cut)
    msp.add_line((10.8, 10), (0, 10), dxfattribs=cut)
    msp.add_line((0, 10), (0, 0), dxfattribs=cut)

    problem = only(problems(doc), Code.OPEN_CONTOUR)

    handle = bottom.dxf.handle
    assert problem.message == (
        f"Open contour: gap of 0.8 mm between (10.0, 0.0) and (10.8, 0.0) on layer CUT "
        f"(entities {handle} and {right.dxf.handle})"
    )
    assert (problem.x, problem.y, problem.handle, problem.layer) == (10.0, 0.0, handle, "CUT")
    assert problem.to_detail().field == ("file", f"entity:{handle}", "layer:CUT")


def test_lone_arc_is_open_between_its_ends() -> None:
    doc, msp = new_doc()
    arc = msp.add_arc((0, 0), 10, 0, 90)
    problem = only(problems(doc), Code.OPEN_CONTOUR)
    assert "gap of 14.142 mm between (10.0, 0.0) and (0.0, 10.0)" in problem.message
    assert problem.handle == arc.dxf.handle


def test_duplicate_line_is_reported_and_the_rest_still_analysed() -> None:
    doc, msp = new_doc()
    plate(msp, 100, 50)
    msp.add_circle((20, 20), 5)
    twin = msp.add_circle((20, 20), 5)

    problem = only(problems(doc), Code.DUPLICATE_CONTOUR)

    assert problem.handle == twin.dxf.handle
    assert "Duplicate CIRCLE" in problem.message and "cut it twice" in problem.message


def test_rectangle_drawn_twice_as_lines_and_polyline_overlaps() -> None:
    doc, msp = new_doc()
    plate(msp, 100, 50)
    msp.add_line((0, 0), (100, 0))
    found = problems(doc)
    assert {p.code for p in found} >= {Code.DUPLICATE_CONTOUR}
    overlap = next(p for p in found if p.code == Code.DUPLICATE_CONTOUR)
    assert (overlap.x, overlap.y) == pytest.approx((50, 0))


def test_partially_overlapping_line() -> None:
    doc, msp = new_doc()
    plate(msp, 100, 50)
    msp.add_line((10, 0), (30, 0))
    found = problems(doc)
    overlap = only(found, Code.DUPLICATE_CONTOUR)
    assert "Overlapping entities near (20.0, 0.0)" in overlap.message


def test_self_intersecting_bow_tie() -> None:
    doc, msp = new_doc()
    bow = msp.add_lwpolyline([(0, 0), (10, 10), (10, 0), (0, 10)], close=True)
    problem = only(problems(doc), Code.SELF_INTERSECTING)
    assert (problem.x, problem.y) == pytest.approx((5, 5))
    assert problem.handle == bow.dxf.handle
    assert "crosses itself at (5.0, 5.0)" in problem.message


def test_crossing_holes_are_intersecting_contours() -> None:
    doc, msp = new_doc()
    plate(msp, 100, 50)
    first = msp.add_circle((20, 25), 5)
    second = msp.add_circle((26, 25), 5)
    problem = only(problems(doc), Code.INTERSECTING_CONTOURS)
    assert problem.x == pytest.approx(23, abs=0.01)
    assert first.dxf.handle in problem.message and second.dxf.handle in problem.message


def test_three_ends_at_one_point_is_a_branch() -> None:
    doc, msp = new_doc()
    plate(msp, 10, 10)  # one closed polyline: its only "end" is the corner (0, 0)
    msp.add_line((0, 0), (10, 10))  # a diagonal from corner to corner
    found = problems(doc)
    branch = next(p for p in found if "Branching contour: 3 entity ends meet" in p.message)
    assert (branch.x, branch.y) == (0.0, 0.0)
    touch = next(p for p in found if "cross or touch" in p.message)
    assert (touch.code, touch.x, touch.y) == (Code.INTERSECTING_CONTOURS, 10.0, 10.0)


def test_two_separate_parts() -> None:
    doc, msp = new_doc()
    plate(msp, 10, 10)
    msp.add_circle((50, 5), 5)
    found = problems(doc)
    assert [p.code for p in found] == [Code.MULTIPLE_OUTER_CONTOURS] * 2
    assert "2 separate parts" in found[0].message


def test_island_inside_a_hole_is_a_separate_part() -> None:
    doc, msp = new_doc()
    plate(msp, 100, 100)
    msp.add_circle((50, 50), 30)
    msp.add_circle((50, 50), 10)
    found = problems(doc)
    assert any("island inside a hole" in p.message for p in found)


def test_too_large_for_the_sheet() -> None:
    doc, msp = new_doc()
    plate(msp, 3200, 200)
    problem = only(problems(doc, max_sheet_mm=(3000, 1500)), Code.TOO_LARGE_FOR_SHEET)
    assert "3200.0 x 200.0 mm" in problem.message
    assert (problem.x, problem.y) == (0.0, 0.0)
    assert problem.handle is not None and problem.layer == "0"


def test_part_turned_by_90_degrees_fits_the_sheet() -> None:
    doc, msp = new_doc()
    plate(msp, 1400, 2900)
    assert analyse(doc, max_sheet_mm=(3000, 1500)).height_mm == 2900


def test_tiny_hole_reports_its_centre() -> None:
    doc, msp = new_doc(units=1)  # inches: coordinates in messages are millimetres
    plate(msp, 4, 2)
    msp.add_circle((1, 1), 0.25)  # 12.7 mm hole: fine
    tiny = msp.add_circle((3, 1), 0.02)  # 1.016 mm hole
    problem = only(problems(doc, min_hole_diameter_mm=3.0), Code.HOLE_TOO_SMALL)
    assert (problem.x, problem.y) == pytest.approx((76.2, 25.4))
    assert problem.handle == tiny.dxf.handle
    assert "1.016 mm across, centred at (76.2, 25.4)" in problem.message
    assert "smallest hole for this material is 3.0 mm" in problem.message


def test_narrow_slot_is_too_small_even_with_a_large_area() -> None:
    doc, msp = new_doc()
    plate(msp, 100, 50)
    msp.add_lwpolyline([(10, 20), (90, 20), (90, 21), (10, 21)], close=True)  # 80 x 1 mm
    only(problems(doc, min_hole_diameter_mm=3), Code.HOLE_TOO_SMALL)


def test_unsupported_entities_are_reported_with_location() -> None:
    doc, msp = new_doc()
    plate(msp)
    face = msp.add_3dface([(0, 0, 0), (10, 0, 0), (10, 10, 0)])
    msp.add_polyline3d([(0, 0, 0), (10, 0, 5)])
    msp.add_circle((50, 25), 5, dxfattribs={"extrusion": (1, 0, 0)})
    found = [p for p in problems(doc) if p.code == Code.UNSUPPORTED_ENTITY]
    assert len(found) == 3
    assert found[0].handle == face.dxf.handle and found[0].x == pytest.approx(5)
    assert "3D polyline" in found[1].message
    assert "not drawn in the XY plane" in found[2].message


def test_block_bomb_is_too_complex() -> None:
    doc, msp = new_doc()
    block = doc.blocks.new("HOLE")
    block.add_circle((0, 0), 1)
    msp.add_blockref("HOLE", (0, 0)).grid(size=(1000, 1000), spacing=(5, 5))
    found = problems(doc)
    assert found[0].code == Code.TOO_COMPLEX
    assert str(MAX_ENTITIES) in found[0].message


def test_all_problems_come_at_once_as_a_domain_error() -> None:
    doc, msp = new_doc()
    plate(msp, 3200, 100)
    msp.add_line((10, 10), (20, 10))
    msp.add_3dface([(0, 0, 0), (10, 0, 0), (10, 10, 0)])
    with pytest.raises(DomainError) as caught:
        analyse(doc, max_sheet_mm=(3000, 1500))
    assert isinstance(caught.value, DrawingError)
    codes = {d.code for d in caught.value.details}
    assert codes == {Code.OPEN_CONTOUR, Code.UNSUPPORTED_ENTITY, Code.TOO_LARGE_FOR_SHEET}
    assert all(d.field and d.field[0] == "file" for d in caught.value.details)


def test_problem_list_is_capped() -> None:
    doc, msp = new_doc()
    for i in range(MAX_PROBLEMS + 20):
        msp.add_line((i * 10, 0), (i * 10 + 5, 0))
    with pytest.raises(DrawingError) as caught:
        analyse(doc)
    assert len(caught.value.problems) == MAX_PROBLEMS
    assert caught.value.omitted == 20


def test_near_duplicate_line_a_few_micrometres_off_is_an_overlap() -> None:
    doc, msp = new_doc()
    plate(msp, 100, 50)
    msp.add_line((20, 50.005), (80, 50.004))
    overlap = only(problems(doc), Code.DUPLICATE_CONTOUR)
    assert overlap.y == pytest.approx(50, abs=0.01)


def test_hole_touching_the_edge_within_tolerance_is_intersecting() -> None:
    doc, msp = new_doc()
    plate(msp, 100, 50)
    msp.add_lwpolyline([(40, 10), (60, 10), (60, 49.995), (40, 49.995)], close=True)
    touch = only(problems(doc), Code.INTERSECTING_CONTOURS)
    assert touch.y == pytest.approx(50, abs=0.01)


def test_contour_running_back_over_itself_encloses_no_area() -> None:
    doc, msp = new_doc()
    plate(msp, 100, 50)
    msp.add_lwpolyline([(10, 10), (30, 10), (10, 10.001)], close=True)
    problem = only(problems(doc), Code.SELF_INTERSECTING)
    assert "encloses no area" in problem.message


def test_cad_noise_arcs_at_corners_do_not_look_like_crossings() -> None:
    doc, msp = new_doc()
    q = 0.41421356  # quarter-circle bulge
    r = 1e-7  # corner "fillets" of a tenth of a micrometre, as some exports leave them
    msp.add_lwpolyline(
        [(r, 0, 0), (100 - r, 0, q), (100, r, 0), (100, 50 - r, q), (100 - r, 50, 0),
         (r, 50, q), (0, 50 - r, 0), (0, r, q)],
        format="xyb",
        close=True,
    )  # fmt: skip
    assert analyse(doc).area_mm2 == pytest.approx(5000)


def test_invisible_entities_are_not_cut() -> None:
    doc, msp = new_doc()
    plate(msp, 100, 50)
    msp.add_circle((10, 10), 500, dxfattribs={"invisible": 1})
    assert analyse(doc).pierce_count == 1


def test_block_bomb_stops_the_analysis_at_once() -> None:
    doc, msp = new_doc()
    block = doc.blocks.new("HOLE")
    block.add_line((0, 0), (1, 0))  # every copy would also be an open contour
    msp.add_blockref("HOLE", (0, 0)).grid(size=(500, 500), spacing=(5, 5))
    assert [p.code for p in problems(doc)] == [Code.TOO_COMPLEX]


def test_block_that_contains_itself_is_refused_not_looped() -> None:
    doc, msp = new_doc()
    plate(msp, 100, 50)
    block = doc.blocks.new("LOOP")
    block.add_circle((0, 0), 1)
    block.add_blockref("LOOP", (3, 0))
    ref = msp.add_blockref("LOOP", (10, 10), dxfattribs={"layer": "HOLES"})
    found = [p for p in problems(doc) if p.code == Code.UNSUPPORTED_ENTITY]
    assert found and found[0].handle == ref.dxf.handle and found[0].layer == "HOLES"
