"""Shared API conventions: the UserError interface, cursor connections, global-ID decoding."""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from enum import Enum
from typing import Any, Generic, TypeVar

import strawberry
from strawberry import relay
from strawberry.types.base import get_object_definition

from domain.shared.errors import DomainError, ErrorDetail

T = TypeVar("T")
N = TypeVar("N")


@strawberry.interface(
    description="An expected failure of a mutation: fix the input at `field` and try again."
)
class UserError:
    field: list[str] | None = strawberry.field(
        description="Path to the input field at fault (camelCase), or null for the whole input."
    )
    message: str = strawberry.field(description="Readable explanation, safe to show to the user.")


def error_list(cls: type[T], exc: DomainError) -> list[T]:
    """Map a domain error to the payload's typed errors of one area."""
    return [_one(cls, d) for d in exc.details]


def _one(cls: type[T], detail: ErrorDetail) -> T:
    target = _code_enum(cls)
    code: Any = detail.code
    if target is not None and not isinstance(code, target):
        # A use case may fail on another area's rule (an order on a catalog rule): map by
        # name, and to the area's generic code when the name is not one of its own.
        members = target.__members__
        code = members.get(code.name) or members.get("INVALID") or members["NOT_FOUND"]
    return cls(
        code=code, field=list(detail.field) if detail.field else None, message=detail.message
    )  # type: ignore[call-arg]


def _code_enum(cls: type) -> type[Enum] | None:
    definition = getattr(cls, "__strawberry_definition__", None)
    if definition is None:
        return None
    for f in definition.fields:
        if f.python_name == "code":
            wrapped = getattr(f.type, "wrapped_cls", None)
            return wrapped if isinstance(wrapped, type) and issubclass(wrapped, Enum) else None
    return None


@strawberry.type(description="Where a page of a connection stands in the whole list.")
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type(description="An item of a connection and its cursor.")
class Edge(Generic[N]):
    cursor: str
    node: N


@strawberry.type(description="A page of a list, with cursors to move on and the total count.")
class Connection(Generic[N]):
    edges: list[Edge[N]]
    page_info: PageInfo
    total_count: int = strawberry.field(description="All items matching the filters.")

    @strawberry.field(description="The nodes of this page, without edges.")
    def nodes(self) -> list[N]:
        return [e.node for e in self.edges]


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"o:{offset}".encode()).decode()


def decode_cursor(cursor: str | None) -> int | None:
    if cursor is None:
        return None
    try:
        kind, _, value = base64.urlsafe_b64decode(cursor.encode()).decode().partition(":")
        if kind != "o":
            raise ValueError
        return int(value)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValueError(f"Invalid cursor: {cursor!r}") from exc


def build_connection(
    items: Sequence[Any], offset: int, total: int, convert: Callable[[Any], N]
) -> Connection[N]:
    edges = [Edge(cursor=encode_cursor(offset + i), node=convert(x)) for i, x in enumerate(items)]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=offset + len(items) < total,
            has_previous_page=offset > 0,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        total_count=total,
    )


def decode_gid(gid: relay.GlobalID, *types: type) -> int | None:
    """The primary key if ``gid`` names one of ``types``; None otherwise (treated as not found)."""
    names = {get_object_definition(t, strict=True).name for t in types}
    if gid.type_name not in names:
        return None
    try:
        return int(gid.node_id)
    except ValueError:
        return None


def to_gid(type_name: str, pk: int) -> relay.GlobalID:
    return relay.GlobalID(type_name, str(pk))
