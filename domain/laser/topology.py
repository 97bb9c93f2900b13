"""From loose edges to closed contours: join ends, drop duplicates, find the gaps.

CAD exports rarely close contours to the last bit, so ends within a tolerance are one joint.
A joint where exactly two ends meet is fine; one end alone is an open contour (reported with
the nearest other loose end, which is usually the other side of the gap); three or more ends
mean contours branch or touch, which a laser cannot follow either.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from domain.laser import outline
from domain.laser.entities import Edge
from domain.laser.errors import LaserErrorCode, ProblemLog, fmt_mm, fmt_point
from domain.laser.outline import Point, Vertex

# Pairing loose ends is quadratic; past this many the drawing is not a part anyway.
_MAX_PAIRED_ENDS = 400


@dataclass(frozen=True, slots=True)
class Contour:
    """A closed cut path in drawing coordinates (mm), with the edges it was made of."""

    vertices: tuple[Vertex, ...]
    edges: tuple[int, ...]


@dataclass
class Topology:
    """The contours found, and what the other checks need to know about the joints."""

    contours: list[Contour]
    edges: list[Edge]  # the edges left after dropping duplicates; Contour.edges index this
    nodes: list[tuple[int, int]]  # per edge: joint id of its start and of its end
    broken: bool  # open ends or branches: nesting is meaningless until they are fixed


class _Joints:
    """Clusters points closer than the tolerance, using a hash grid of tolerance-sized cells."""

    def __init__(self, tolerance: float) -> None:
        self.tolerance = tolerance
        self.points: list[Point] = []
        self.grid: dict[tuple[int, int], list[int]] = defaultdict(list)

    def joint(self, p: Point) -> int:
        """The id of the nearest joint within the tolerance, or of a new one at ``p``."""
        cx, cy = math.floor(p[0] / self.tolerance), math.floor(p[1] / self.tolerance)
        best, best_d = -1, self.tolerance
        for gx in (cx - 1, cx, cx + 1):
            for gy in (cy - 1, cy, cy + 1):
                for j in self.grid.get((gx, gy), ()):
                    d = math.dist(p, self.points[j])
                    if d <= best_d:
                        best, best_d = j, d
        if best >= 0:
            return best
        self.points.append(p)
        self.grid[(cx, cy)].append(len(self.points) - 1)
        return len(self.points) - 1


def build_topology(edges: list[Edge], tolerance: float, log: ProblemLog) -> Topology:
    """Join edge ends into contours; log duplicates, open ends and branching joints."""
    joints = _Joints(tolerance)
    ends = [(joints.joint(e.start), joints.joint(e.end)) for e in edges]
    keep = _drop_duplicates(edges, ends, tolerance, log)
    edges = [edges[i] for i in keep]
    ends = [ends[i] for i in keep]

    incidences: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for i, (a, b) in enumerate(ends):
        incidences[a].append((i, 0))
        incidences[b].append((i, 1))
    bad = {j for j, inc in incidences.items() if len(inc) != 2}
    contours: list[Contour] = []
    used: set[int] = set()
    for i in range(len(edges)):
        if i not in used:
            component = _component(i, ends, incidences)
            used.update(component)
            if not any(ends[k][0] in bad or ends[k][1] in bad for k in component):
                contours.append(_walk(i, edges, ends, incidences))
    _report_open_ends(edges, incidences, log)
    _report_branches(edges, joints, incidences, log)
    return Topology(contours, edges, ends, broken=bool(bad))


def _drop_duplicates(
    edges: list[Edge], ends: list[tuple[int, int]], tolerance: float, log: ProblemLog
) -> list[int]:
    """Indices of edges to keep: an edge lying on an earlier one end to end is reported, dropped.

    Dropping it lets the rest of the analysis go on as if it were drawn once, so the customer
    sees the duplicate itself rather than a cascade of branching joints.
    """
    by_joints: dict[tuple[int, int], list[int]] = defaultdict(list)
    keep: list[int] = []
    for i, (a, b) in enumerate(ends):
        key = (min(a, b), max(a, b))
        edge = edges[i]
        twin = next(
            (
                k
                for k in by_joints[key]
                if abs(edges[k].length - edge.length) <= tolerance
                and math.dist(_half(edges[k]), _half(edge)) <= tolerance
            ),
            None,
        )
        if twin is None:
            by_joints[key].append(i)
            keep.append(i)
            continue
        other = edges[twin].ref
        where = _half(edge)
        log.add(
            LaserErrorCode.DUPLICATE_CONTOUR,
            f"Duplicate {edge.ref.kind} at {fmt_point(*where)} {edge.ref.describe()}: it lies "
            f"on {other.kind} {other.handle}, so the laser would cut it twice",
            at=where,
            ref=edge.ref,
        )
    return keep


def _half(edge: Edge) -> Point:
    return outline.point_at_half(edge.vertices)


def _component(
    start: int, ends: list[tuple[int, int]], incidences: dict[int, list[tuple[int, int]]]
) -> set[int]:
    seen = {start}
    stack = [start]
    while stack:
        i = stack.pop()
        for joint in ends[i]:
            for k, _ in incidences[joint]:
                if k not in seen:
                    seen.add(k)
                    stack.append(k)
    return seen


def _walk(
    first: int,
    edges: list[Edge],
    ends: list[tuple[int, int]],
    incidences: dict[int, list[tuple[int, int]]],
) -> Contour:
    """Follow a component whose every joint joins two ends: it is exactly one cycle."""
    vertices: list[Vertex] = list(edges[first].vertices[:-1])
    order = [first]
    at_edge, at_end = first, 1
    while True:
        joint = ends[at_edge][at_end]
        nxt, nxt_end = next(inc for inc in incidences[joint] if inc != (at_edge, at_end))
        if nxt == first:
            break
        chain = edges[nxt].vertices
        vertices.extend((chain if nxt_end == 0 else outline.reverse_chain(chain))[:-1])
        order.append(nxt)
        at_edge, at_end = nxt, 1 - nxt_end
    return Contour(tuple(vertices), tuple(order))


def _report_open_ends(
    edges: list[Edge], incidences: dict[int, list[tuple[int, int]]], log: ProblemLog
) -> None:
    loose = [inc[0] for inc in incidences.values() if len(inc) == 1]
    points = [edges[i].start if end == 0 else edges[i].end for i, end in loose]
    pairs: list[tuple[float, int, int]] = []
    if len(loose) <= _MAX_PAIRED_ENDS:
        pairs = sorted(
            (math.dist(points[a], points[b]), a, b)
            for a in range(len(loose))
            for b in range(a + 1, len(loose))
        )
    paired: set[int] = set()
    for gap, a, b in pairs:
        if a in paired or b in paired:
            continue
        paired.update((a, b))
        ref_a, ref_b = edges[loose[a][0]].ref, edges[loose[b][0]].ref
        log.add(
            LaserErrorCode.OPEN_CONTOUR,
            f"Open contour: gap of {fmt_mm(gap)} mm between {fmt_point(*points[a])} and "
            f"{fmt_point(*points[b])} {ref_a.describe(ref_b.handle)}",
            at=points[a],
            ref=ref_a,
        )
    for k, (i, _) in enumerate(loose):
        if k not in paired:
            log.add(
                LaserErrorCode.OPEN_CONTOUR,
                f"Open contour: loose end at {fmt_point(*points[k])} {edges[i].ref.describe()}",
                at=points[k],
                ref=edges[i].ref,
            )


def _report_branches(
    edges: list[Edge],
    joints: _Joints,
    incidences: dict[int, list[tuple[int, int]]],
    log: ProblemLog,
) -> None:
    for joint, inc in incidences.items():
        if len(inc) > 2:
            ref = edges[inc[0][0]].ref
            others = sorted({edges[i].ref.handle for i, _ in inc})
            log.add(
                LaserErrorCode.INTERSECTING_CONTOURS,
                f"Branching contour: {len(inc)} entity ends meet at "
                f"{fmt_point(*joints.points[joint])} {ref.describe(*others)}",
                at=joints.points[joint],
                ref=ref,
            )
