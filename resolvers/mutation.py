"""The one place that maps a domain error to a payload's typed errors."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from domain.shared.errors import DomainError
from schema.core import error_list

P = TypeVar("P")
R = TypeVar("R")


async def run(
    payload: type[P],
    error_type: type[Any],
    action: Callable[[], Awaitable[R]],
    build: Callable[[R], dict[str, Any]],
) -> P:
    """Run a use case; success maps through ``build``, expected failures into ``errors``."""
    try:
        result = await action()
    except DomainError as exc:
        return payload(errors=error_list(error_type, exc))  # type: ignore[call-arg]
    return payload(**build(result), errors=[])  # type: ignore[call-arg]
