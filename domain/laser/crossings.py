"""Where cut paths cross, touch or run on top of each other.

A laser cannot follow a contour that crosses itself, and two contours that cross or overlap
would cut the part apart or burn one edge twice. The check works on the flattened paths,
with a hash grid so a part with thousands of segments stays well under a second.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence

from domain.laser import outline
from domain.laser.entities import Edge
from domain.laser.errors import LaserErrorCode, ProblemLog, fmt_point
from domain.laser.outline import Point

# Arcs become chords this close to the curve for the crossing test (mm).
FLATTEN_TOLERANCE_MM = 0.01

# x0, y0, x1, y1, edge, index in the edge, path position (mm) of its start and of its end
_Segment = tuple[float, float, float, float, int, int, float, float]

# Lines, arcs, circles and ellipses cannot cross themselves; these entity types can.
_MAY_CROSS_ITSELF = frozenset({"LWPOLYLINE", "POLYLINE", "SPLINE"})


def report_crossings(
    edges: Sequence[Edge],
    ends: Sequence[tuple[int, int]],
    contour_of: dict[int, int],
    tolerance: float,
    log: ProblemLog,
) -> bool:
    """Log every crossing or overlap once per pair of entities; True if any was found."""
    near = _overlapping_edges(edges, tolerance)
    # Only entities near another one, or able to cross themselves, need their segments tested:
    # on a typical part most holes stand alone, and that is most of the segments.
    may_self = {e for e, edge in enumerate(edges) if edge.ref.kind in _MAY_CROSS_ITSELF}
    involved = {e for pair in near for e in pair} | may_self
    segments: list[_Segment] = []
    lengths: dict[int, float] = {}
    for e in sorted(involved):
        points = outline.flatten(edges[e].vertices, closed=False, tolerance=FLATTEN_TOLERANCE_MM)
        run = 0.0
        for k in range(len(points) - 1):
            (x0, y0), (x1, y1) = points[k], points[k + 1]
            step = math.hypot(x1 - x0, y1 - y0)
            segments.append((x0, y0, x1, y1, e, k, run, run + step))
            run += step
        lengths[e] = run
    reported: set[tuple[int, int]] = set()
    # Sorted, so problems come in a stable order.
    for i, j in sorted(_candidate_pairs(segments, may_self, tolerance)):
        a, b = segments[i], segments[j]
        pair = (min(a[4], b[4]), max(a[4], b[4]))
        if pair in reported or (a[4] != b[4] and pair not in near):
            continue
        if a[4] == b[4] and _close_along(a, b, lengths[a[4]], ends[a[4]], tolerance):
            continue
        found = _relation(a, b, tolerance)
        if found is None:
            continue
        kind, where = found
        if kind == "cross" and _at_shared_joint(a, b, ends, edges, where, tolerance):
            continue
        reported.add(pair)
        _log(kind, where, edges[a[4]], edges[b[4]], contour_of, a[4], b[4], log)
    return bool(reported)


def _log(
    kind: str,
    where: Point,
    edge_a: Edge,
    edge_b: Edge,
    contour_of: dict[int, int],
    a: int,
    b: int,
    log: ProblemLog,
) -> None:
    ref, other = edge_a.ref, edge_b.ref
    at = fmt_point(*where)
    if kind == "overlap":
        code = LaserErrorCode.DUPLICATE_CONTOUR
        message = f"Overlapping entities near {at} run on top of each other, so the laser would"
        message += " cut that stretch twice"
    elif contour_of.get(a) is not None and contour_of.get(a) == contour_of.get(b):
        code = LaserErrorCode.SELF_INTERSECTING
        message = f"Self-intersecting contour: it crosses itself at {at}"
    else:
        code = LaserErrorCode.INTERSECTING_CONTOURS
        message = f"Intersecting contours: they cross or touch at {at}"
    log.add(code, f"{message} {ref.describe(other.handle)}", at=where, ref=ref)


def _overlapping_edges(edges: Sequence[Edge], tolerance: float) -> set[tuple[int, int]]:
    """Pairs of entities whose bounding boxes (grown by the tolerance) overlap: sweep over x."""
    boxes = [outline.bbox(edge.vertices, closed=False) for edge in edges]
    order = sorted(range(len(edges)), key=lambda i: boxes[i][0])
    active: list[int] = []
    pairs: set[tuple[int, int]] = set()
    for i in order:
        x0, y0, _, y1 = boxes[i]
        active = [j for j in active if boxes[j][2] >= x0 - tolerance]
        for j in active:
            if boxes[j][1] <= y1 + tolerance and boxes[j][3] >= y0 - tolerance:
                pairs.add((min(i, j), max(i, j)))
        active.append(i)
    return pairs


def _candidate_pairs(
    segments: list[_Segment], may_self: set[int], tolerance: float
) -> set[tuple[int, int]]:
    """Pairs of segments within a tolerance of one grid cell.

    Long segments are registered piece by piece along their run, so a diagonal does not
    claim its whole bounding box. Pairs within one entity only count for entities that can
    cross themselves (``may_self``): the chords of one circle never do.
    """
    if len(segments) < 2:
        return set()
    total = sum(math.hypot(s[2] - s[0], s[3] - s[1]) for s in segments)
    cell = max(2.0 * total / len(segments), 4.0 * tolerance, 1e-6)
    grid: dict[tuple[int, int], list[int]] = defaultdict(list)
    for i, (x0, y0, x1, y1, *_rest) in enumerate(segments):
        pieces = max(1, math.ceil(math.hypot(x1 - x0, y1 - y0) / cell))
        cells: set[tuple[int, int]] = set()
        for p in range(pieces):
            ax, ay = x0 + (x1 - x0) * p / pieces, y0 + (y1 - y0) * p / pieces
            bx, by = x0 + (x1 - x0) * (p + 1) / pieces, y0 + (y1 - y0) * (p + 1) / pieces
            gx0 = math.floor((min(ax, bx) - tolerance) / cell)
            gx1 = math.floor((max(ax, bx) + tolerance) / cell)
            gy0 = math.floor((min(ay, by) - tolerance) / cell)
            gy1 = math.floor((max(ay, by) + tolerance) / cell)
            cells.update((gx, gy) for gx in range(gx0, gx1 + 1) for gy in range(gy0, gy1 + 1))
        for c in cells:
            grid[c].append(i)
    pairs: set[tuple[int, int]] = set()
    for members in grid.values():
        for n, i in enumerate(members):
            edge = segments[i][4]
            for j in members[n + 1 :]:
                if segments[j][4] != edge or edge in may_self:
                    pairs.add((i, j))
    return pairs


def _close_along(
    a: _Segment, b: _Segment, length: float, ends: tuple[int, int], tolerance: float
) -> bool:
    """Segments of one entity less than two tolerances apart along it meet by construction.

    That covers consecutive segments and the chords of a tiny arc; around a closed entity the
    gap is also measured across its start.
    """
    first, second = (a, b) if a[5] < b[5] else (b, a)
    if second[6] - first[7] <= 2.0 * tolerance:
        return True
    closed = ends[0] == ends[1]
    return closed and length - second[7] + first[6] <= 2.0 * tolerance


def _at_shared_joint(
    a: _Segment,
    b: _Segment,
    ends: Sequence[tuple[int, int]],
    edges: Sequence[Edge],
    where: Point,
    tolerance: float,
) -> bool:
    """True when the 'crossing' is just two entities meeting at their common joint."""
    shared = set(ends[a[4]]) & set(ends[b[4]])
    edge = edges[a[4]]
    return any(
        ends[a[4]][end] in shared and math.dist(point, where) <= 2.0 * tolerance
        for end, point in ((0, edge.start), (1, edge.end))
    )


def _relation(a: _Segment, b: _Segment, tolerance: float) -> tuple[str, Point] | None:
    ax, ay, rx, ry = a[0], a[1], a[2] - a[0], a[3] - a[1]
    bx, by, sx, sy = b[0], b[1], b[2] - b[0], b[3] - b[1]
    rl, sl = math.hypot(rx, ry), math.hypot(sx, sy)
    if rl == 0.0 or sl == 0.0:
        return None
    denom = rx * sy - ry * sx
    qx, qy = bx - ax, by - ay
    if abs(denom) <= tolerance * min(rl, sl):
        # Parallel within the tolerance over their length: overlapping if close and sharing run.
        if abs(qx * ry - qy * rx) / rl > tolerance:
            return None
        if abs((b[2] - ax) * ry - (b[3] - ay) * rx) / rl > tolerance:
            return None
        t0 = (qx * rx + qy * ry) / rl
        t1 = ((b[2] - ax) * rx + (b[3] - ay) * ry) / rl
        lo, hi = max(0.0, min(t0, t1)), min(rl, max(t0, t1))
        if hi - lo <= 2.0 * tolerance:
            return None
        mid = (lo + hi) / 2.0 / rl
        return "overlap", (ax + rx * mid, ay + ry * mid)
    t = (qx * sy - qy * sx) / denom
    u = (qx * ry - qy * rx) / denom
    eps = 1e-9
    if -eps <= t <= 1.0 + eps and -eps <= u <= 1.0 + eps:
        return "cross", (ax + rx * t, ay + ry * t)
    # Closer than the tolerance counts as touching: the laser cannot keep them apart.
    gap, where = min(
        (_distance_to_segment((b[0], b[1]), a), (b[0], b[1])),
        (_distance_to_segment((b[2], b[3]), a), (b[2], b[3])),
        (_distance_to_segment((a[0], a[1]), b), (a[0], a[1])),
        (_distance_to_segment((a[2], a[3]), b), (a[2], a[3])),
    )
    return ("cross", where) if gap <= tolerance else None


def _distance_to_segment(p: Point, seg: _Segment) -> float:
    dx, dy = seg[2] - seg[0], seg[3] - seg[1]
    f = ((p[0] - seg[0]) * dx + (p[1] - seg[1]) * dy) / (dx * dx + dy * dy)
    f = min(1.0, max(0.0, f))
    return math.hypot(p[0] - seg[0] - f * dx, p[1] - seg[1] - f * dy)
