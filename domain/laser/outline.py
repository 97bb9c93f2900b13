"""Bulge polylines: the exact shape of what a laser cuts.

A vertex is ``(x, y, bulge)``; the bulge belongs to the segment from this vertex to the next,
as in DXF: 0 is a straight line, ``tan(sweep / 4)`` an arc, positive counter-clockwise. Lines
and arcs are what a laser cuts, so keeping them exact (rather than flattened early) gives cut
lengths and areas that equal closed-form values and survive a DXF round trip unchanged. Only
splines and ellipses arrive here already flattened.

A *chain* is open: its last vertex's bulge is unused. An *outline* is closed: the last vertex
connects back to the first with its own bulge.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

Point = tuple[float, float]
Vertex = tuple[float, float, float]

# The largest angle one flattened arc step may sweep, so even tiny arcs keep their shape.
_MAX_STEP = math.pi / 8
# Bulges below this are straight lines: the arc's sagitta is under a nanometre per metre of
# chord, and treating them as arcs would divide by (almost) zero.
STRAIGHT_BULGE = 1e-9


def is_straight(bulge: float) -> bool:
    """Whether a segment with this bulge is treated as a line (see STRAIGHT_BULGE)."""
    return abs(bulge) < STRAIGHT_BULGE


def segment_length(x0: float, y0: float, x1: float, y1: float, bulge: float) -> float:
    """Exact length: the chord for a line, radius x swept angle for an arc."""
    chord = math.hypot(x1 - x0, y1 - y0)
    if is_straight(bulge) or chord == 0.0:
        return chord
    half = 2.0 * math.atan(abs(bulge))  # half the swept angle
    return chord * half / math.sin(half)


def arc_centre(
    x0: float, y0: float, x1: float, y1: float, bulge: float
) -> tuple[float, float, float]:
    """Centre and radius of a bulged segment (bulge must not be 0)."""
    dx, dy = x1 - x0, y1 - y0
    chord = math.hypot(dx, dy)
    k = (1.0 - bulge * bulge) / (4.0 * bulge)  # offset along the chord's left normal, in chords
    cx = (x0 + x1) / 2.0 - dy * k
    cy = (y0 + y1) / 2.0 + dx * k
    return cx, cy, chord * (1.0 + bulge * bulge) / (4.0 * abs(bulge))


def _segments(vertices: Sequence[Vertex], closed: bool) -> list[tuple[Vertex, Vertex]]:
    pairs = list(itertools.pairwise(vertices))
    if closed and len(vertices) > 1:
        pairs.append((vertices[-1], vertices[0]))
    return pairs


def length(vertices: Sequence[Vertex], closed: bool) -> float:
    """Exact length of a chain or outline: what the laser head travels while cutting."""
    return sum(segment_length(a[0], a[1], b[0], b[1], a[2]) for a, b in _segments(vertices, closed))


def signed_area(outline: Sequence[Vertex]) -> float:
    """Exact signed area of a closed outline (positive counter-clockwise).

    Shoelace over the vertices plus, for each arc, the circular segment between chord and arc.
    Coordinates are taken relative to the first vertex so far-off drawings keep precision.
    """
    if len(outline) < 2:
        return 0.0
    ox, oy = outline[0][0], outline[0][1]
    total = 0.0
    for a, b in _segments(outline, True):
        x0, y0, x1, y1 = a[0] - ox, a[1] - oy, b[0] - ox, b[1] - oy
        total += (x0 * y1 - x1 * y0) / 2.0
        if not is_straight(a[2]):
            chord = math.hypot(x1 - x0, y1 - y0)
            sweep = 4.0 * math.atan(abs(a[2]))
            radius = chord / (2.0 * math.sin(sweep / 2.0))
            total += math.copysign(radius * radius / 2.0 * (sweep - math.sin(sweep)), a[2])
    return total


def _arc_steps(radius: float, sweep: float, tolerance: float) -> int:
    step = _MAX_STEP
    if tolerance < radius:
        step = max(min(step, 2.0 * math.acos(1.0 - tolerance / radius)), 1e-9)
    return max(1, math.ceil(abs(sweep) / step - 1e-9))


def flatten(vertices: Sequence[Vertex], closed: bool, tolerance: float) -> list[Point]:
    """Points along the shape, arcs split so no chord strays more than ``tolerance`` from it.

    A chain yields its last vertex; an outline does not repeat its first one.
    """
    points: list[Point] = []
    for a, b in _segments(vertices, closed):
        points.append((a[0], a[1]))
        if is_straight(a[2]) or (a[0], a[1]) == (b[0], b[1]):
            continue
        cx, cy, radius = arc_centre(a[0], a[1], b[0], b[1], a[2])
        sweep = 4.0 * math.atan(a[2])
        start = math.atan2(a[1] - cy, a[0] - cx)
        steps = _arc_steps(radius, sweep, tolerance)
        for i in range(1, steps):
            angle = start + sweep * i / steps
            points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    if not closed and vertices:
        points.append((vertices[-1][0], vertices[-1][1]))
    return points


def _angle_in_sweep(angle: float, start: float, sweep: float) -> bool:
    if sweep >= 0.0:
        return (angle - start) % math.tau <= sweep
    return (start - angle) % math.tau <= -sweep


def bbox(vertices: Sequence[Vertex], closed: bool) -> tuple[float, float, float, float]:
    """Exact (min x, min y, max x, max y): arcs count with their extreme points, not chords."""
    xs = [v[0] for v in vertices]
    ys = [v[1] for v in vertices]
    for a, b in _segments(vertices, closed):
        if is_straight(a[2]) or (a[0], a[1]) == (b[0], b[1]):
            continue
        cx, cy, radius = arc_centre(a[0], a[1], b[0], b[1], a[2])
        start = math.atan2(a[1] - cy, a[0] - cx)
        sweep = 4.0 * math.atan(a[2])
        for quarter in range(4):
            angle = quarter * math.pi / 2.0
            if _angle_in_sweep(angle, start, sweep):
                xs.append(cx + radius * math.cos(angle))
                ys.append(cy + radius * math.sin(angle))
    return min(xs), min(ys), max(xs), max(ys)


def point_at_half(chain: Sequence[Vertex]) -> Point:
    """The point halfway along an open chain; tells near-duplicate entities apart from others."""
    lengths = [segment_length(a[0], a[1], b[0], b[1], a[2]) for a, b in _segments(chain, False)]
    remaining = sum(lengths) / 2.0
    for (a, b), seg in zip(_segments(chain, False), lengths, strict=True):
        if remaining <= seg and seg > 0.0:
            f = remaining / seg
            if is_straight(a[2]):
                return a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f
            cx, cy, radius = arc_centre(a[0], a[1], b[0], b[1], a[2])
            angle = math.atan2(a[1] - cy, a[0] - cx) + 4.0 * math.atan(a[2]) * f
            return cx + radius * math.cos(angle), cy + radius * math.sin(angle)
        remaining -= seg
    return chain[-1][0], chain[-1][1]


def reverse_chain(chain: Sequence[Vertex]) -> tuple[Vertex, ...]:
    """The same open path walked backwards: bulges move one vertex and change sign."""
    n = len(chain)
    return tuple(
        (chain[n - 1 - k][0], chain[n - 1 - k][1], -chain[n - 2 - k][2] if k < n - 1 else 0.0)
        for k in range(n)
    )


def reverse_outline(outline: Sequence[Vertex]) -> tuple[Vertex, ...]:
    """The same closed path walked the other way round (turns its signed area over)."""
    n = len(outline)
    return tuple(
        (outline[n - 1 - k][0], outline[n - 1 - k][1], -outline[(n - 2 - k) % n][2])
        for k in range(n)
    )


def translate(outline: Sequence[Vertex], dx: float, dy: float) -> tuple[Vertex, ...]:
    """Moved by (dx, dy); bulges are unaffected by a move."""
    return tuple((x + dx, y + dy, b) for x, y, b in outline)


def polygon_area(points: Sequence[Point]) -> float:
    """Signed shoelace area of a closed polygon (first point not repeated)."""
    if len(points) < 3:
        return 0.0
    ox, oy = points[0]
    total = 0.0
    for (x0, y0), (x1, y1) in zip(points, [*points[1:], points[0]], strict=True):
        total += (x0 - ox) * (y1 - oy) - (x1 - ox) * (y0 - oy)
    return total / 2.0


def polygon_centroid(points: Sequence[Point]) -> Point:
    """Area centroid (the centre of a round hole), or the vertex mean for a degenerate one."""
    area = polygon_area(points)
    if abs(area) < 1e-12:
        return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)
    ox, oy = points[0]
    sx = sy = 0.0
    for (x0, y0), (x1, y1) in zip(points, [*points[1:], points[0]], strict=True):
        x0, y0, x1, y1 = x0 - ox, y0 - oy, x1 - ox, y1 - oy
        cross = x0 * y1 - x1 * y0
        sx += (x0 + x1) * cross
        sy += (y0 + y1) * cross
    return ox + sx / (6.0 * area), oy + sy / (6.0 * area)


def point_in_polygon(x: float, y: float, points: Sequence[Point]) -> bool:
    """Even-odd ray casting; the nesting rule the laser's CAM uses too."""
    inside = False
    px, py = points[-1]
    for qx, qy in points:
        if (qy > y) != (py > y) and x < px + (y - py) * (qx - px) / (qy - py):
            inside = not inside
        px, py = qx, qy
    return inside
