"""changes(after:): the change feed for synchronisation."""

from __future__ import annotations

import strawberry
from graphql import GraphQLError

from domain.changes import feed
from schema.changes.types import Change, ChangeKind, ChangePage
from schema.context import Info
from schema.permissions import IsAuthenticated


@strawberry.type
class ChangesQuery:
    @strawberry.field(
        description="Changed rows of products, stock items and movements, purchase orders, "
        "orders and order lines, oldest first, each once: complete and gap-free whatever the "
        "server process, so a system that keeps `endCursor` and asks again misses nothing. "
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
        try:
            position = feed.START if after is None else feed.Position.decode(after)
        except ValueError as exc:
            raise GraphQLError("Invalid cursor.", extensions={"code": "BAD_USER_INPUT"}) from exc
        chosen = [feed.ChangeKind(k) for k in kinds] if kinds else list(feed.ChangeKind)
        rows, end, more = await feed.read_changes(
            info.context.uow, info.context.viewer, position, limit, chosen
        )
        return ChangePage(
            nodes=[Change.from_change(c) for c in rows], end_cursor=end.encode(), has_next_page=more
        )
