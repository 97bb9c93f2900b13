"""quoteStatusChanged: status changes of the quotes the viewer may see (staff: all; a portal
user: their company's sent quotes and requests), fed by the event outbox; pass `after` (the
last eventId seen) to catch up after a reconnect."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable

import strawberry
from graphql import GraphQLError

from domain.accounts.viewer import Viewer
from domain.events.ports import StoredEvent
from domain.quotes.history import STATUS_TOPIC
from domain.quotes.policies import sees_quote
from domain.quotes.state import QuoteStatus
from schema.context import Info
from schema.permissions import IsAuthenticated
from schema.quotes.quote import Quote, QuoteStatusEvent
from schema.shared_subscriptions import share_stream


def quote_filter(viewer: Viewer) -> Callable[[StoredEvent], bool]:
    """The rule of ``quote_scope``, applied to each status event."""

    def accept(event: StoredEvent) -> bool:
        if event.topic != STATUS_TOPIC or event.company_id is None:
            return False
        p = event.payload
        return sees_quote(
            viewer, event.company_id, int(p.get("sentRevision") or 0), bool(p.get("requested"))
        )

    return accept


@strawberry.type
class QuotesSubscription:
    @strawberry.subscription(
        description="Status changes of the quotes the viewer may see (a portal user: the "
        "company's; staff: all). Pass `after` (the last eventId seen) to catch up after a "
        "reconnect. Requires a logged-in user.",
        permission_classes=[IsAuthenticated],
    )
    async def quote_status_changed(
        self, info: Info, after: int | None = None
    ) -> AsyncGenerator[QuoteStatusEvent, None]:
        ctx = info.context
        if ctx.services.events is None:
            raise GraphQLError("Subscriptions are not available on this server.")
        if after is not None and after < 0:
            raise GraphQLError(
                "`after` is an event id (0 or more).", extensions={"code": "BAD_USER_INPUT"}
            )
        stream = ctx.services.events.subscribe(quote_filter(ctx.viewer), after_id=after)
        share_stream(replays=after is not None)
        await ctx.uow.close()
        async for event in stream:
            p = event.payload
            async with ctx.event_scope() as loaders:
                quote = await loaders.quotes.quote.load(int(p["quoteId"]))
                yield QuoteStatusEvent(
                    event_id=event.id,
                    status=QuoteStatus(p["status"]),
                    previous_status=QuoteStatus(p["previousStatus"])
                    if p.get("previousStatus")
                    else None,
                    revision=int(p["revision"]),
                    quote=Quote.from_model(quote) if quote else None,
                )
