"""Live account and cart changes from the event outbox; pass `after` (the last eventId seen)
to catch up after a reconnect."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable
from typing import Any

import strawberry
from graphql import GraphQLError

from domain.accounts.viewer import Viewer
from domain.events.ports import StoredEvent
from domain.payments.policies import sees_finances
from schema.context import Info
from schema.core import to_gid
from schema.payments.types import AccountChangedEvent, CartChangedEvent
from schema.permissions import IsAuthenticated, IsPortalUser
from schema.shared_subscriptions import share_stream

ACCOUNT_TOPICS = frozenset({"payment.received", "payment.refunded", "balance.changed"})


def account_filter(viewer: Viewer) -> Callable[[StoredEvent], bool]:
    """Staff see every company's; a portal user with VIEW_FINANCES their company's."""

    def accept(event: StoredEvent) -> bool:
        return (
            event.topic in ACCOUNT_TOPICS
            and event.company_id is not None
            and sees_finances(viewer, event.company_id)
        )

    return accept


def cart_filter(viewer: Viewer) -> Callable[[StoredEvent], bool]:
    """Only one's own cart (every tab and device of the same user)."""

    def accept(event: StoredEvent) -> bool:
        return (
            event.topic == "cart.changed"
            and viewer.is_portal
            and event.payload.get("portalUserId") == viewer.user_id
        )

    return accept


def _stream(info: Info, accept: Callable[[StoredEvent], bool], after: int | None) -> Any:
    events = info.context.services.events
    if events is None:
        raise GraphQLError("Subscriptions are not available on this server.")
    if after is not None and after < 0:
        raise GraphQLError(
            "`after` is an event id (0 or more).", extensions={"code": "BAD_USER_INPUT"}
        )
    stream = events.subscribe(accept, after_id=after)
    share_stream(replays=after is not None)
    return stream


@strawberry.type
class PaymentsSubscription:
    @strawberry.subscription(
        description="Payments received and refunded, and prepaid balance changes, of the "
        "companies whose finances the viewer sees (VIEW_FINANCES: one's own; staff: all). "
        "Refetch `companyAccount` on each.",
        permission_classes=[IsAuthenticated],
    )
    async def account_changed(
        self, info: Info, after: int | None = None
    ) -> AsyncGenerator[AccountChangedEvent, None]:
        stream = _stream(info, account_filter(info.context.viewer), after)
        await info.context.uow.close()
        async for event in stream:
            payment_id = event.payload.get("paymentId")
            assert event.company_id is not None
            yield AccountChangedEvent(
                event_id=event.id,
                kind=event.topic,
                company_id=to_gid("Company", event.company_id),
                payment_id=to_gid("Payment", int(payment_id)) if payment_id else None,
                amount=event.payload.get("amount"),
            )

    @strawberry.subscription(
        description="The viewer's cart changed (in another tab, on another device): a hint to "
        "refetch `cart` and `cartTotals`.",
        permission_classes=[IsAuthenticated, IsPortalUser],
    )
    async def cart_changed(
        self, info: Info, after: int | None = None
    ) -> AsyncGenerator[CartChangedEvent, None]:
        stream = _stream(info, cart_filter(info.context.viewer), after)
        await info.context.uow.close()
        async for event in stream:
            yield CartChangedEvent(event_id=event.id)
