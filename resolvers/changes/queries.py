"""changes(after:): the change feed for synchronisation."""

from __future__ import annotations

import strawberry
from graphql import GraphQLError

from domain.changes import feed
from domain.changes.errors import ChangeFeedErrorCode
from domain.changes.pages import read_page
from domain.shared.errors import DomainError
from schema.changes.types import Change, ChangeFeedError, ChangeKind, ChangePage
from schema.context import Info
from schema.core import error_list
from schema.permissions import IsAuthenticated


@strawberry.type
class ChangesQuery:
    @strawberry.field(
        description="Changed rows of products, stock items and movements, purchase orders, "
        "orders and order lines, oldest first, each once: complete and gap-free whatever the "
        "server process, so a system that keeps `endCursor` and asks again misses nothing. "
        "Products and stock items carry their sync flags, order lines what they sold (`sale`). "
        "Entries older than the retention are deleted: a cursor before them answers "
        "CURSOR_EXPIRED in `errors` (resync). "
        "Scoped like the objects (a portal user: the catalog, the company's stock, and its "
        "orders with VIEW_COMPANY_ORDERS). Requires a logged-in user or an API key.",
        permission_classes=[IsAuthenticated],
    )
    async def changes(
        self,
        info: Info,
        after: str | None = None,
        first: int | None = None,
        kinds: list[ChangeKind] | None = None,  # type: ignore[valid-type]
    ) -> ChangePage:
        services = info.context.services
        limit = services.max_page_size if first is None else first
        if limit < 1 or limit > services.max_page_size:
            raise GraphQLError(
                f"`first` must lie between 1 and {services.max_page_size}.",
                extensions={"code": "BAD_USER_INPUT"},
            )
        chosen = [feed.ChangeKind(k) for k in kinds] if kinds else list(feed.ChangeKind)
        try:
            try:
                position = feed.START if after is None else feed.Position.decode(after)
            except ValueError as exc:
                raise DomainError.single(
                    ChangeFeedErrorCode.INVALID_CURSOR, "Invalid cursor.", "after"
                ) from exc
            page = await read_page(info.context.uow, info.context.viewer, position, limit, chosen)
        except DomainError as exc:
            return ChangePage(
                nodes=[],
                end_cursor=after or feed.START.encode(),
                has_next_page=False,
                errors=error_list(ChangeFeedError, exc),
            )
        return ChangePage(
            nodes=[Change.from_change(c, page.details) for c in page.changes],
            end_cursor=page.end.encode(),
            has_next_page=page.more,
        )
