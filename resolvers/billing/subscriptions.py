"""Billing's live stream: invoices as they are issued, fed by the event outbox. A viewer gets
the events of the invoices they may see (staff all, VIEW_FINANCES their company's)."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable

import strawberry
from graphql import GraphQLError

from domain.accounts.policies import can_see_finances
from domain.accounts.viewer import Viewer
from domain.billing.issuing import INVOICE_ISSUED_TOPIC
from domain.events.ports import StoredEvent
from schema.billing.types import Invoice, InvoiceIssuedEvent
from schema.context import Info
from schema.permissions import IsAuthenticated
from schema.shared_subscriptions import share_stream

INVOICE_TOPICS = frozenset({INVOICE_ISSUED_TOPIC})


def invoice_filter(viewer: Viewer) -> Callable[[StoredEvent], bool]:
    def accept(event: StoredEvent) -> bool:
        return (
            event.topic in INVOICE_TOPICS
            and event.company_id is not None
            and can_see_finances(viewer, event.company_id)
        )

    return accept


@strawberry.type
class BillingSubscription:
    @strawberry.subscription(
        description="Invoices as they are issued (staff: all; a portal user with VIEW_FINANCES: "
        "the company's). Pass `after` (the last eventId seen) to catch up after a reconnect.",
        permission_classes=[IsAuthenticated],
    )
    async def invoice_issued(
        self, info: Info, after: int | None = None
    ) -> AsyncGenerator[InvoiceIssuedEvent, None]:
        ctx = info.context
        if ctx.services.events is None:
            raise GraphQLError("Subscriptions are not available on this server.")
        if after is not None and after < 0:
            raise GraphQLError("`after` is an event id (0 or more).")
        stream = ctx.services.events.subscribe(invoice_filter(ctx.viewer), after_id=after)
        share_stream(replays=after is not None)
        await ctx.uow.close()
        async for event in stream:
            async with ctx.event_scope() as loaders:
                invoice = await loaders.billing.invoice.load(int(event.payload["invoiceId"]))
                yield InvoiceIssuedEvent(
                    event_id=event.id,
                    invoice=Invoice.from_model(invoice) if invoice else None,
                )
