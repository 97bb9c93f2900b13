"""Turn `first`/`after` arguments into an offset and limit, enforcing the maximum page size."""

from __future__ import annotations

from graphql import GraphQLError

from schema.context import Info
from schema.core import decode_cursor


def page_window(info: Info, first: int | None, after: str | None) -> tuple[int, int]:
    services = info.context.services
    limit = services.default_page_size if first is None else first
    if limit < 0 or limit > services.max_page_size:
        raise GraphQLError(
            f"`first` must lie between 0 and {services.max_page_size}.",
            extensions={"code": "BAD_USER_INPUT"},
        )
    try:
        after_offset = decode_cursor(after)
    except ValueError as exc:
        raise GraphQLError(str(exc), extensions={"code": "BAD_USER_INPUT"}) from exc
    return (0 if after_offset is None else after_offset + 1), limit
