"""Errors of an answer let go of the stack frames they were raised in, once the answer is built.

An error's traceback keeps every frame it passed through alive, and those frames hold the
executor (`self`), the request's context and the error itself: a reference cycle per failed
field, which only the garbage collector frees, with the whole request attached. By the time
`Schema.execute` returns, the errors have been logged with their stack (server/observability)
and masked; what the client gets is built from their message, path and extensions. So the
tracebacks are dropped there, and a failed request is freed as soon as it ends, like any other
(tests/api/test_request_garbage.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def release_frames(errors: Iterable[BaseException] | None) -> None:
    """Drop the tracebacks of `errors`, of their original errors and of their causes."""
    pending = list(errors or ())
    seen: set[int] = set()
    while pending:
        error = pending.pop()
        if id(error) in seen:
            continue
        seen.add(id(error))
        error.__traceback__ = None
        for linked in (
            getattr(error, "original_error", None),
            error.__cause__,
            error.__context__,
        ):
            if isinstance(linked, BaseException):
                pending.append(linked)


class ReleasedErrorFrames:
    """A Schema mixin: `execute` returns its result with `release_frames` applied."""

    async def execute(self, *args: Any, **kwargs: Any) -> Any:
        result = await super().execute(*args, **kwargs)  # type: ignore[misc]
        release_frames(getattr(result, "errors", None))
        return result
