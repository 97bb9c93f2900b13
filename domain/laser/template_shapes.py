"""Building blocks of the parametric templates: their types and the shapes they draw."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from domain.laser.errors import LaserErrorCode
from domain.laser.outline import Vertex
from domain.shared.errors import ErrorCollector

MIN_WEB_MM = 1.0
# Bulge of a 90 degree arc: tan(90° / 4).
_QUARTER = math.tan(math.pi / 8)

Params = Mapping[str, float]


@dataclass(frozen=True, slots=True)
class ParameterDef:
    """One input of a template; ``unit`` is "mm", "count" (whole number) or "ratio"."""

    key: str
    label: str
    default: float
    minimum: float
    maximum: float
    unit: str = "mm"


@dataclass(frozen=True, slots=True)
class PartShapes:
    """What a template draws: closed bulge outlines and circles (centre x, centre y, radius)."""

    outlines: list[tuple[Vertex, ...]] = field(default_factory=list)
    circles: list[tuple[float, float, float]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class TemplateDef:
    """A template: its form (parameters), its combination rules (check) and its drawing."""

    key: str
    name: str
    description: str
    parameters: tuple[ParameterDef, ...]
    check: Callable[[Params, ErrorCollector], None]
    draw: Callable[[Params], PartShapes]


def bad(errors: ErrorCollector, key: str, message: str) -> None:
    """Record an INVALID_TEMPLATE_PARAMETER pointing at the form input ``key``."""
    errors.add(LaserErrorCode.INVALID_TEMPLATE_PARAMETER, message, ("parameters", key))


def rounded_rectangle(w: float, h: float, r: float) -> tuple[Vertex, ...]:
    """Counter-clockwise from the bottom edge; sides of zero length (r = half a side) vanish."""
    if r <= 0.0:
        return ((0.0, 0.0, 0.0), (w, 0.0, 0.0), (w, h, 0.0), (0.0, h, 0.0))
    q = _QUARTER
    corners = [
        (r, 0.0, 0.0), (w - r, 0.0, q), (w, r, 0.0), (w, h - r, q),
        (w - r, h, 0.0), (r, h, q), (0.0, h - r, 0.0), (0.0, r, q),
    ]  # fmt: skip
    result: list[Vertex] = []
    for v in corners:
        if result and math.dist(result[-1][:2], v[:2]) < 1e-9:
            result[-1] = v  # zero-length side: the later vertex carries the arc that follows
        else:
            result.append(v)
    if math.dist(result[-1][:2], result[0][:2]) < 1e-9:
        result.pop()  # the first vertex is the later one around the loop: it keeps its bulge
    return tuple(result)


def slot(cx: float, cy: float, length: float, width: float) -> tuple[Vertex, ...]:
    """A horizontal slot (stadium) ``length`` long overall, with round ends."""
    s, r = (length - width) / 2.0, width / 2.0
    return (
        (cx - s, cy - r, 0.0),
        (cx + s, cy - r, 1.0),
        (cx + s, cy + r, 0.0),
        (cx - s, cy + r, 1.0),
    )


def clear_of_edges(x: float, y: float, radius: float, w: float, h: float, r: float) -> bool:
    """Whether a round cut keeps MIN_WEB_MM from the edges of a w x h plate with corner radius r."""
    mx, my = min(x, w - x), min(y, h - y)  # mirrored into the bottom-left corner
    if r <= 0.0 or mx >= r or my >= r:
        return mx - radius >= MIN_WEB_MM - 1e-9 and my - radius >= MIN_WEB_MM - 1e-9
    return math.dist((mx, my), (r, r)) + radius <= r - MIN_WEB_MM + 1e-9


def spread(count: int, size: float, margin: float) -> list[float]:
    """Positions of ``count`` features evenly between the margins (centred when alone)."""
    if count == 1:
        return [size / 2.0]
    return [margin + (size - 2.0 * margin) * i / (count - 1) for i in range(count)]
