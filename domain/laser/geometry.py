"""What a laser part is, read from a customer's DXF: cut length, pierces, size, area, holes.

``analyse_dxf`` is the one entry point. It either returns a ``PartGeometry`` or raises a
``DrawingError`` listing every problem it found, each with a place in the drawing, because
a customer fixing a drawing wants the whole list at once, not one round trip per fault.
This module and the ones it reads through (ezdxf, with numpy) are heavy: import it where a
drawing is analysed, not for the figures themselves (``part_geometry``).

Decisions:
- One part per drawing. A second outer contour (or an island inside a hole, which would fall
  out as a separate piece) is MULTIPLE_OUTER_CONTOURS: price, weight and quantity are per
  part, and nesting several parts on a sheet is the shop's job, not the customer's.
- Ends closer than ``join_tolerance_mm`` (default 0.01 mm) are joined; anything wider is an
  open contour. Lines and arcs stay exact, so cut length and area equal closed-form values;
  splines and ellipses are flattened at 0.001 mm.
- Hole size is judged by the hydraulic diameter 4·A/P: equal to the diameter for round
  holes and close to the width for squares, while a long narrow slot no longer passes on its
  large area alone.
"""

from __future__ import annotations

import math

from domain.laser import outline
from domain.laser.crossings import report_crossings
from domain.laser.dxf_source import read_drawing
from domain.laser.entities import Edge, scan_modelspace
from domain.laser.errors import LaserErrorCode, ProblemLog, fmt_mm, fmt_point
from domain.laser.outline import Point, Vertex
from domain.laser.part_geometry import (
    CONTOUR_FLATTEN_TOLERANCE_MM,
    Hole,
    LengthUnit,
    PartGeometry,
)
from domain.laser.topology import Contour, Topology, build_topology

DEFAULT_JOIN_TOLERANCE_MM = 0.01


def analyse_dxf(
    data: bytes,
    *,
    max_sheet_mm: tuple[float, float] | None = None,
    min_hole_diameter_mm: float | None = None,
    assume_units: LengthUnit | None = None,
    join_tolerance_mm: float = DEFAULT_JOIN_TOLERANCE_MM,
) -> PartGeometry:
    """Measure the part drawn in ``data`` (ASCII or binary DXF), or raise ``DrawingError``.

    ``assume_units`` is used only when the drawing declares no units ($INSUNITS 0); a drawing
    that names its units is always read in them. ``max_sheet_mm`` is the largest sheet
    (width, height); the part may be turned by 90 degrees to fit.
    """
    source = read_drawing(data, assume_units)
    log = ProblemLog()
    scan = scan_modelspace(source.doc, source.units.mm, join_tolerance_mm, log)
    if log.has(LaserErrorCode.TOO_COMPLEX):
        log.raise_if_any()  # the scan stopped part way: anything more would be guesswork
    if not scan.edges:
        _report_empty(scan.annotation_count, scan.hidden_count, log)
        log.raise_if_any()
    topology = build_topology(scan.edges, join_tolerance_mm, log)
    contour_of = {e: c for c, contour in enumerate(topology.contours) for e in contour.edges}
    crossed = report_crossings(topology.edges, topology.nodes, contour_of, join_tolerance_mm, log)
    if max_sheet_mm is not None:
        _check_sheet(topology.edges, max_sheet_mm, log)
    flat = not crossed and _report_flat_contours(topology, join_tolerance_mm, log)
    if topology.broken or crossed or flat or not topology.contours:
        log.raise_if_any()
    outer, holes = _nest(topology, log)
    if min_hole_diameter_mm is not None:
        _check_holes(topology, holes, min_hole_diameter_mm, log)
    log.raise_if_any()
    return _part(topology.contours[outer], [topology.contours[h] for h in holes], source.units)


def _report_empty(annotations: int, hidden: int, log: ProblemLog) -> None:
    if log:
        return  # unsupported entities already explain why nothing is left
    hidden_note = f" ({hidden} entities on hidden layers were ignored)" if hidden else ""
    if annotations:
        log.add(
            LaserErrorCode.TEXT_ONLY,
            f"The drawing holds only text and annotation ({annotations} entities) and no "
            f"contours to cut{hidden_note}",
        )
    else:
        log.add(LaserErrorCode.NO_GEOMETRY, f"The drawing has no contours to cut{hidden_note}")


def _report_flat_contours(topology: Topology, tolerance: float, log: ProblemLog) -> bool:
    """Closed contours narrower on average than the tolerance run back over themselves."""
    found = False
    for contour in topology.contours:
        length = outline.length(contour.vertices, closed=True)
        if abs(outline.signed_area(contour.vertices)) > tolerance * length / 2.0:
            continue
        found = True
        ref = topology.edges[contour.edges[0]].ref
        start = contour.vertices[0][0], contour.vertices[0][1]
        log.add(
            LaserErrorCode.SELF_INTERSECTING,
            f"Contour through {fmt_point(*start)} encloses no area: it runs back over "
            f"itself {ref.describe()}",
            at=start,
            ref=ref,
        )
    return found


def _check_sheet(edges: list[Edge], sheet: tuple[float, float], log: ProblemLog) -> None:
    boxes = [outline.bbox(e.vertices, closed=False) for e in edges]
    x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
    width, height = max(b[2] for b in boxes) - x0, max(b[3] for b in boxes) - y0
    sheet_w, sheet_h = sheet
    if (width <= sheet_w and height <= sheet_h) or (width <= sheet_h and height <= sheet_w):
        return
    widest = max(
        range(len(edges)), key=lambda i: (boxes[i][2] - boxes[i][0]) + (boxes[i][3] - boxes[i][1])
    )
    ref = edges[widest].ref
    log.add(
        LaserErrorCode.TOO_LARGE_FOR_SHEET,
        f"Part is {fmt_mm(width)} x {fmt_mm(height)} mm (from {fmt_point(x0, y0)}), larger than "
        f"the largest sheet of {fmt_mm(sheet_w)} x {fmt_mm(sheet_h)} mm {ref.describe()}",
        at=(x0, y0),
        ref=ref,
    )


def _nest(topology: Topology, log: ProblemLog) -> tuple[int, list[int]]:
    """Even-odd nesting: a contour inside an even number of others is an outer one."""
    contours = topology.contours
    boxes = [outline.bbox(c.vertices, closed=True) for c in contours]
    polygons: dict[int, list[Point]] = {}  # flattened only when it may contain another

    def polygon(j: int) -> list[Point]:
        if j not in polygons:
            polygons[j] = outline.flatten(contours[j].vertices, True, CONTOUR_FLATTEN_TOLERANCE_MM)
        return polygons[j]

    depth = [0] * len(contours)
    for i, box in enumerate(boxes):
        x, y = contours[i].vertices[0][:2]  # on the contour; no contours cross by now
        for j, other in enumerate(boxes):
            if (
                i != j
                and other[0] <= box[0]
                and other[1] <= box[1]
                and other[2] >= box[2]
                and other[3] >= box[3]
                and outline.point_in_polygon(x, y, polygon(j))
            ):
                depth[i] += 1
    outers = [i for i, d in enumerate(depth) if d % 2 == 0]
    if len(outers) > 1:
        for n, i in enumerate(outers, start=1):
            ref = topology.edges[contours[i].edges[0]].ref
            start = contours[i].vertices[0][0], contours[i].vertices[0][1]
            kind = "an island inside a hole" if depth[i] else "an outer contour"
            log.add(
                LaserErrorCode.MULTIPLE_OUTER_CONTOURS,
                f"The drawing holds {len(outers)} separate parts; upload one part per file "
                f"(part {n} is {kind} through {fmt_point(*start)} {ref.describe()})",
                at=start,
                ref=ref,
            )
    return outers[0], [i for i, d in enumerate(depth) if d % 2 == 1]


def _check_holes(topology: Topology, holes: list[int], minimum: float, log: ProblemLog) -> None:
    for i in holes:
        contour = topology.contours[i]
        area = abs(outline.signed_area(contour.vertices))
        size = 4.0 * area / outline.length(contour.vertices, closed=True)
        if size >= minimum - 1e-9:
            continue
        centre = outline.polygon_centroid(
            outline.flatten(contour.vertices, True, CONTOUR_FLATTEN_TOLERANCE_MM)
        )
        ref = topology.edges[contour.edges[0]].ref
        log.add(
            LaserErrorCode.HOLE_TOO_SMALL,
            f"Hole too small: {fmt_mm(size)} mm across, centred at {fmt_point(*centre)}; the "
            f"smallest hole for this material is {fmt_mm(minimum)} mm {ref.describe()}",
            at=centre,
            ref=ref,
        )


def _part(outer: Contour, holes: list[Contour], units: LengthUnit) -> PartGeometry:
    x0, y0, x1, y1 = outline.bbox(outer.vertices, closed=True)

    def placed(vertices: tuple[Vertex, ...], ccw: bool) -> tuple[Vertex, ...]:
        moved = outline.translate(vertices, -x0, -y0)
        return moved if (outline.signed_area(moved) > 0) == ccw else outline.reverse_outline(moved)

    outer_outline = placed(outer.vertices, ccw=True)
    hole_shapes = []
    for contour in holes:
        shape = placed(contour.vertices, ccw=False)
        flat = tuple(outline.flatten(shape, True, CONTOUR_FLATTEN_TOLERANCE_MM))
        area = abs(outline.signed_area(shape))
        perimeter = outline.length(shape, closed=True)
        cx, cy = outline.polygon_centroid(flat)
        hole = Hole(
            cx, cy, area, perimeter, 2.0 * math.sqrt(area / math.pi), 4.0 * area / perimeter
        )
        hole_shapes.append((round(cy, 3), round(cx, 3), hole, shape, flat))
    hole_shapes.sort(key=lambda h: (h[0], h[1]))
    outlines = (outer_outline, *(h[3] for h in hole_shapes))
    outer_flat = tuple(outline.flatten(outer_outline, True, CONTOUR_FLATTEN_TOLERANCE_MM))
    outer_area = outline.signed_area(outer_outline)
    return PartGeometry(
        width_mm=x1 - x0,
        height_mm=y1 - y0,
        cut_length_mm=sum(outline.length(o, closed=True) for o in outlines),
        pierce_count=len(outlines),
        area_mm2=outer_area - sum(h[2].area_mm2 for h in hole_shapes),
        outer_area_mm2=outer_area,
        holes=tuple(h[2] for h in hole_shapes),
        flattened=(outer_flat, *(h[4] for h in hole_shapes)),
        outlines=outlines,
        source_units=units,
    )
