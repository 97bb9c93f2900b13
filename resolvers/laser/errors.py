"""Laser payload errors: like ``resolvers.mutation.run``, plus the place of drawing problems."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from domain.laser.errors import DrawingError
from domain.shared.errors import DomainError
from schema.laser.types import LaserError, LaserErrorCode

P = TypeVar("P")
R = TypeVar("R")


def laser_errors(exc: DomainError) -> list[LaserError]:
    """Every detail of the error; drawing problems keep their coordinates, handle and layer.
    Codes of other areas (a channel NOT_FOUND) map by name, else to INVALID."""
    problems = exc.problems if isinstance(exc, DrawingError) else ()
    members = LaserErrorCode.__members__
    out = []
    for i, detail in enumerate(exc.details):
        place = problems[i] if i < len(problems) else None
        out.append(
            LaserError(
                code=members.get(detail.code.name) or members["INVALID"],
                field=list(detail.field) if detail.field else None,
                message=detail.message,
                x=place.x if place else None,
                y=place.y if place else None,
                handle=place.handle if place else None,
                layer=place.layer if place else None,
            )
        )
    return out


async def run_laser(
    payload: type[P],
    action: Callable[[], Awaitable[R]],
    build: Callable[[R], dict[str, Any]],
) -> P:
    """Run a use case; success maps through ``build``, expected failures into ``errors``."""
    try:
        result = await action()
    except DomainError as exc:
        return payload(errors=laser_errors(exc))  # type: ignore[call-arg]
    return payload(**build(result), errors=[])  # type: ignore[call-arg]
