"""DXF entities as edges: open chains of bulge vertices in millimetres, projected on XY.

Lines, arcs, circles and polylines stay exact (arcs as bulges); splines and ellipses are
flattened finely here because nothing downstream can represent them exactly. Annotation is
skipped, block references are exploded, anything else is refused with its location rather
than silently dropped: a part we cannot see must not be quoted.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ezdxf import bbox
from ezdxf.document import Drawing
from ezdxf.entities.arc import Arc
from ezdxf.entities.circle import Circle
from ezdxf.entities.dxfgfx import DXFGraphic
from ezdxf.entities.ellipse import Ellipse
from ezdxf.entities.insert import Insert
from ezdxf.entities.line import Line
from ezdxf.entities.lwpolyline import LWPolyline
from ezdxf.entities.polyline import Polyline
from ezdxf.entities.spline import Spline
from ezdxf.math import OCS, Vec3

from domain.laser import outline
from domain.laser.errors import EntityRef, LaserErrorCode, ProblemLog, fmt_point
from domain.laser.outline import Vertex

# Splines and ellipses become polylines this close to the true curve (mm). Fine enough that
# cut length is off by about 1e-5 (0.01 mm per metre), coarse enough to stay fast.
CURVE_TOLERANCE_MM = 0.001

# Exploding block references can multiply entities (MINSERT grids, nested blocks): a small
# upload must not become millions of entities, and a block that contains itself must end.
MAX_ENTITIES = 50_000
MAX_BLOCK_DEPTH = 16

_ANNOTATION = frozenset(
    {
        "TEXT", "MTEXT", "ATTDEF", "ATTRIB", "DIMENSION", "ARC_DIMENSION",
        "LARGE_RADIAL_DIMENSION", "LEADER", "MULTILEADER", "MLEADER", "TOLERANCE", "HATCH",
        "MPOLYGON", "POINT", "IMAGE", "WIPEOUT", "VIEWPORT", "ACAD_TABLE", "XLINE", "RAY",
    }
)  # fmt: skip
# Layers that are never cut: AutoCAD's dimension helper layer.
_SKIPPED_LAYERS = frozenset({"DEFPOINTS"})


@dataclass(frozen=True, slots=True)
class Edge:
    """One entity's cut path; ``vertices`` is an open chain (a circle starts and ends alike)."""

    vertices: tuple[Vertex, ...]
    ref: EntityRef
    length: float

    @property
    def start(self) -> tuple[float, float]:
        return self.vertices[0][0], self.vertices[0][1]

    @property
    def end(self) -> tuple[float, float]:
        return self.vertices[-1][0], self.vertices[-1][1]


@dataclass
class EdgeScan:
    """The edges of a drawing, and counts of what was skipped (to explain an empty result)."""

    edges: list[Edge]
    annotation_count: int
    hidden_count: int


class _Refused(Exception):
    """An entity we cannot cut; the message tells the customer why."""


class _TooComplex(Exception):
    pass


def scan_modelspace(doc: Drawing, scale: float, tolerance: float, log: ProblemLog) -> EdgeScan:
    """Edges of every visible entity in modelspace, coordinates multiplied by ``scale``."""
    scan = EdgeScan([], 0, 0)
    hidden_layers = {
        layer.dxf.name.upper() for layer in doc.layers if layer.is_off() or layer.is_frozen()
    } | _SKIPPED_LAYERS
    try:
        for entity, parent in _flat_entities(doc.modelspace(), log):
            layer = str(entity.dxf.get("layer", "0"))
            if parent is not None and layer == "0":
                layer = parent.layer  # block content on layer 0 takes the INSERT's layer
            if layer.upper() in hidden_layers or entity.dxf.get("invisible", 0):
                scan.hidden_count += 1
                continue
            kind = entity.dxftype()
            if kind in _ANNOTATION:
                scan.annotation_count += 1
                continue
            ref = EntityRef(
                handle=parent.handle if parent else str(entity.dxf.get("handle", "?")),
                layer=layer,
                kind=kind,
                block=parent.block if parent else None,
            )
            _add_edges(entity, ref, scale, tolerance, scan, log)
    except _TooComplex:
        log.add(
            LaserErrorCode.TOO_COMPLEX,
            f"The drawing expands to more than {MAX_ENTITIES} entities; simplify it or "
            "explode repeated blocks.",
        )
    return scan


def _add_edges(
    entity: DXFGraphic,
    ref: EntityRef,
    scale: float,
    tolerance: float,
    scan: EdgeScan,
    log: ProblemLog,
) -> None:
    try:
        chains = _chains(entity)
    except _Refused as refused:
        at = _location(entity, scale)
        log.add(
            LaserErrorCode.UNSUPPORTED_ENTITY,
            f"{ref.kind} {refused} at {fmt_point(*at)} {ref.describe()}",
            at=at,
            ref=ref,
        )
        return
    for chain in chains:
        scaled = _weld(tuple((x * scale, y * scale, b) for x, y, b in chain), tolerance / 10)
        if len(scaled) < 2:
            continue
        xs = [v[0] for v in scaled]
        ys = [v[1] for v in scaled]
        if max(xs) - min(xs) <= tolerance and max(ys) - min(ys) <= tolerance:
            continue  # a dot the laser would only pierce, not cut; CAD leftovers
        scan.edges.append(Edge(scaled, ref, outline.length(scaled, closed=False)))


@dataclass(frozen=True, slots=True)
class _Parent:
    """The top-level INSERT an exploded entity came from, and the layer it passes down."""

    handle: str
    layer: str
    block: str


def _flat_entities(
    entities: Iterable[DXFGraphic], log: ProblemLog
) -> Iterator[tuple[DXFGraphic, _Parent | None]]:
    """Every entity with block references exploded, lazily, within the entity budget."""
    budget = [MAX_ENTITIES]

    def spend(count: int) -> None:
        budget[0] -= count
        if budget[0] < 0:
            raise _TooComplex

    def walk(
        items: Iterable[DXFGraphic], parent: _Parent | None, depth: int
    ) -> Iterator[tuple[DXFGraphic, _Parent | None]]:
        for entity in items:
            spend(1)
            if not isinstance(entity, Insert):
                yield entity, parent
                continue
            layer = str(entity.dxf.get("layer", "0"))
            if parent is None:
                here = _Parent(str(entity.dxf.get("handle", "?")), layer, str(entity.dxf.name))
            else:  # nested: the customer can only click the outermost block reference
                here = _Parent(parent.handle, parent.layer if layer == "0" else layer, parent.block)
            ref = EntityRef(here.handle, here.layer, "INSERT", here.block)
            if depth >= MAX_BLOCK_DEPTH:
                log.add(
                    LaserErrorCode.UNSUPPORTED_ENTITY,
                    f"Block {entity.dxf.name} is nested more than {MAX_BLOCK_DEPTH} deep "
                    f"(or contains itself) {ref.describe()}",
                    ref=ref,
                )
                continue
            spend(entity.mcount)  # refuse a huge MINSERT grid before expanding it
            try:
                yield from walk(_explode(entity), here, depth + 1)
            except _TooComplex:
                raise
            except Exception as exc:  # ezdxf refuses some transforms; report, don't crash
                log.add(
                    LaserErrorCode.UNSUPPORTED_ENTITY,
                    f"Block {entity.dxf.name} cannot be exploded ({exc}) {ref.describe()}",
                    ref=ref,
                )

    yield from walk(entities, None, 0)


def _explode(insert: Insert) -> Iterator[DXFGraphic]:
    for single in insert.multi_insert() if insert.mcount > 1 else [insert]:
        yield from single.virtual_entities()


def _planar_sign(entity: DXFGraphic) -> float:
    """+1/-1 for entities drawn in the XY plane (seen from above or below), else refuse."""
    extrusion = Vec3(entity.dxf.get("extrusion", (0.0, 0.0, 1.0))).normalize()
    if abs(extrusion.x) > 1e-9 or abs(extrusion.y) > 1e-9:
        raise _Refused("is not drawn in the XY plane")
    return 1.0 if extrusion.z > 0 else -1.0


def _chains(entity: DXFGraphic) -> list[tuple[Vertex, ...]]:
    if isinstance(entity, Line):
        s, e = Vec3(entity.dxf.start), Vec3(entity.dxf.end)
        return [((s.x, s.y, 0.0), (e.x, e.y, 0.0))]
    if isinstance(entity, Arc):  # before Circle: an Arc is a Circle subclass in ezdxf
        sweep = (entity.dxf.end_angle - entity.dxf.start_angle) % 360.0
        return [_arc(entity, entity.dxf.start_angle, sweep if sweep > 1e-9 else 360.0)]
    if isinstance(entity, Circle):
        return [_arc(entity, 0.0, 360.0)]
    if isinstance(entity, LWPolyline):
        sign = _planar_sign(entity)
        points = [(float(x), float(y), float(b)) for x, y, b in entity.get_points("xyb")]
        return [_polyline(entity.ocs(), entity.dxf.elevation, sign, points, entity.closed)]
    if isinstance(entity, Polyline):
        if not entity.is_2d_polyline:
            raise _Refused("is a 3D polyline or mesh, not a flat contour")
        sign = _planar_sign(entity)
        points = [
            (v.dxf.location.x, v.dxf.location.y, float(v.dxf.get("bulge", 0.0)))
            for v in entity.vertices
            if not v.dxf.flags & 16  # spline frame control points are not on the curve
        ]
        return [_polyline(entity.ocs(), entity.dxf.elevation.z, sign, points, entity.is_closed)]
    if isinstance(entity, Ellipse):
        _planar_sign(entity)
        return [_curve(entity.flattening(CURVE_TOLERANCE_MM, segments=8), closed=False)]
    if isinstance(entity, Spline):
        return [_curve(entity.flattening(CURVE_TOLERANCE_MM, segments=4), entity.closed)]
    raise _Refused("is not supported (use lines, arcs, circles, polylines, splines, ellipses)")


def _arc(entity: Circle, start_deg: float, sweep_deg: float) -> tuple[Vertex, ...]:
    """Arc as bulge vertices, in pieces of at most 180 degrees so bulges stay well-conditioned."""
    sign = _planar_sign(entity)
    ocs = entity.ocs()
    centre = Vec3(entity.dxf.center)
    radius = float(entity.dxf.radius)
    pieces = 1 if sweep_deg <= 180.0 else 2
    bulge = sign * math.tan(math.radians(sweep_deg / pieces) / 4.0)
    vertices: list[Vertex] = []
    for i in range(pieces + 1):
        angle = math.radians(start_deg + sweep_deg * i / pieces)
        p = ocs.to_wcs(
            Vec3(centre.x + radius * math.cos(angle), centre.y + radius * math.sin(angle), centre.z)
        )
        vertices.append((p.x, p.y, bulge if i < pieces else 0.0))
    return tuple(vertices)


def _polyline(
    ocs: OCS, elevation: float, sign: float, points: list[Vertex], closed: bool
) -> tuple[Vertex, ...]:
    vertices: list[Vertex] = []
    for x, y, b in points:
        p = ocs.to_wcs(Vec3(x, y, elevation))
        vertices.append((p.x, p.y, b * sign))
    if closed and vertices:
        vertices.append((vertices[0][0], vertices[0][1], 0.0))
    elif vertices:
        vertices[-1] = (vertices[-1][0], vertices[-1][1], 0.0)
    return tuple(vertices)


def _curve(points: Iterable[Vec3], closed: bool) -> tuple[Vertex, ...]:
    vertices = [(p.x, p.y, 0.0) for p in points]
    if closed and vertices and vertices[0][:2] != vertices[-1][:2]:
        vertices.append(vertices[0])
    return tuple(vertices)


def _weld(chain: tuple[Vertex, ...], distance: float) -> tuple[Vertex, ...]:
    """Merge vertices closer than ``distance``: repeated points and micrometre arcs are CAD
    noise that would only confuse the crossing check. The later vertex's bulge is kept, as
    it belongs to the segment that still exists.
    """
    result: list[Vertex] = []
    for v in chain:
        if result and math.dist(result[-1][:2], v[:2]) < distance:
            result[-1] = v
            continue
        result.append(v)
    if result:
        result[-1] = (result[-1][0], result[-1][1], 0.0)
    return tuple(result)


def _location(entity: DXFGraphic, scale: float) -> tuple[float, float]:
    """A representative point of an entity we could not convert, for the error marker."""
    for name in ("center", "start", "insert", "location", "defpoint"):
        if entity.dxf.hasattr(name):
            p = Vec3(entity.dxf.get(name))
            return p.x * scale, p.y * scale
    try:
        box = bbox.extents([entity], fast=True)
    except Exception:  # a marker is a courtesy; the error itself is already recorded
        return 0.0, 0.0
    if box.has_data:
        return box.center.x * scale, box.center.y * scale
    return 0.0, 0.0
