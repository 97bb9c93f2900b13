"""Error codes of laser parts, and drawing problems that know where they are in the drawing.

A customer who uploads a DXF needs to find the fault in their CAD program, so every geometry
problem carries the entity handle, the layer and coordinates. ``DrawingProblem`` is the
structured form (the API draws markers from it); ``DrawingError`` is the ``DomainError`` that
carries them, so resolvers map it to ``errors: [LaserError!]!`` like any other domain error.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum

from domain.shared.errors import DomainError, ErrorDetail


class LaserErrorCode(Enum):
    """Why a drawing or a template cannot be quoted; values equal names, as GraphQL enums."""

    INVALID_DXF = "INVALID_DXF"
    NO_GEOMETRY = "NO_GEOMETRY"
    TEXT_ONLY = "TEXT_ONLY"
    UNSUPPORTED_ENTITY = "UNSUPPORTED_ENTITY"
    UNKNOWN_UNITS = "UNKNOWN_UNITS"
    UNSUPPORTED_UNITS = "UNSUPPORTED_UNITS"
    TOO_COMPLEX = "TOO_COMPLEX"
    OPEN_CONTOUR = "OPEN_CONTOUR"
    DUPLICATE_CONTOUR = "DUPLICATE_CONTOUR"
    SELF_INTERSECTING = "SELF_INTERSECTING"
    INTERSECTING_CONTOURS = "INTERSECTING_CONTOURS"
    MULTIPLE_OUTER_CONTOURS = "MULTIPLE_OUTER_CONTOURS"
    TOO_LARGE_FOR_SHEET = "TOO_LARGE_FOR_SHEET"
    HOLE_TOO_SMALL = "HOLE_TOO_SMALL"
    INVALID_TEMPLATE_PARAMETER = "INVALID_TEMPLATE_PARAMETER"
    UNKNOWN_TEMPLATE = "UNKNOWN_TEMPLATE"


# The input field every drawing problem points at; resolvers name their upload argument so.
FILE_FIELD = "file"

# A broken drawing can yield thousands of problems; past this many the customer learns
# nothing new, and the payload should stay small.
MAX_PROBLEMS = 100


@dataclass(frozen=True, slots=True)
class EntityRef:
    """Which drawing entity something came from, as the customer's CAD program shows it.

    Entities exploded from a block reference carry the handle of the top-level INSERT (the
    thing the customer can click) and the block name.
    """

    handle: str
    layer: str
    kind: str
    block: str | None = None

    def describe(self, *others: str) -> str:
        """``on layer CUT (entity 2F)``, naming further entities involved when given."""
        handles = [self.handle, *(h for h in others if h != self.handle)]
        names = " and ".join(handles)
        where = f"entit{'ies' if len(handles) > 1 else 'y'} {names}"
        where += f", block {self.block}" if self.block else ""
        return f"on layer {self.layer} ({where})"


@dataclass(frozen=True, slots=True)
class DrawingProblem:
    """One fault of an uploaded drawing, with a place to put a marker.

    ``x``/``y`` are millimetres in the drawing's own coordinate system (scaled from its units,
    not moved), so they match what the customer sees in CAD; ``None`` for file-wide problems.
    """

    code: LaserErrorCode
    message: str
    x: float | None = None
    y: float | None = None
    handle: str | None = None
    layer: str | None = None

    def to_detail(self) -> ErrorDetail:
        """The generic error form: field path ``("file", "entity:2F", "layer:CUT")``."""
        path = [FILE_FIELD]
        if self.handle is not None:
            path.append(f"entity:{self.handle}")
        if self.layer is not None:
            path.append(f"layer:{self.layer}")
        return ErrorDetail(self.code, self.message, tuple(path))


class DrawingError(DomainError):
    """All problems found in one drawing; ``omitted`` counts those cut off at MAX_PROBLEMS."""

    def __init__(self, problems: Sequence[DrawingProblem], omitted: int = 0) -> None:
        self.problems: tuple[DrawingProblem, ...] = tuple(problems)
        self.omitted = omitted
        super().__init__(p.to_detail() for p in self.problems)


def fmt_mm(value: float) -> str:
    """Millimetres for messages: up to 3 decimals, at least one, never ``-0.0``."""
    text = f"{value:.3f}".rstrip("0")
    if text.endswith("."):
        text += "0"
    return "0.0" if text == "-0.0" else text


def fmt_point(x: float, y: float) -> str:
    """``(10.0, 0.8)``: a point as the customer types it into CAD."""
    return f"({fmt_mm(x)}, {fmt_mm(y)})"


@dataclass
class ProblemLog:
    """Collects the problems of one analysis so the customer gets all of them at once."""

    problems: list[DrawingProblem] = field(default_factory=list)
    omitted: int = 0

    def add(
        self,
        code: LaserErrorCode,
        message: str,
        *,
        at: tuple[float, float] | None = None,
        ref: EntityRef | None = None,
    ) -> None:
        if len(self.problems) >= MAX_PROBLEMS:
            self.omitted += 1
            return
        self.problems.append(
            DrawingProblem(
                code=code,
                message=message,
                x=at[0] if at is not None else None,
                y=at[1] if at is not None else None,
                handle=ref.handle if ref is not None else None,
                layer=ref.layer if ref is not None else None,
            )
        )

    def has(self, *codes: LaserErrorCode) -> bool:
        return any(p.code in codes for p in self.problems)

    def raise_if_any(self) -> None:
        if self.problems:
            raise DrawingError(self.problems, self.omitted)

    def __bool__(self) -> bool:
        return bool(self.problems)


def file_error(code: LaserErrorCode, message: str) -> DrawingError:
    """A problem of the whole file (unreadable, no units), without a place in the drawing."""
    return DrawingError([DrawingProblem(code, message)])
