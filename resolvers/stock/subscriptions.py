"""stockLevelChanged: the company's stock balances as they move, fed by the event outbox;
a reconnecting subscriber passes the last event id it saw (`after`) and catches up first.
Shared like the order streams (schema/shared_subscriptions.py)."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable, Hashable

import strawberry
from graphql import GraphQLError
from strawberry import relay

from domain.accounts.viewer import Viewer
from domain.events.ports import StoredEvent
from domain.stock.ledger import TOPIC
from domain.stock.models import MovementKind
from domain.stock.policies import sees_stock_of
from schema.context import Info, Loaders
from schema.core import decode_gid
from schema.permissions import IsAuthenticated
from schema.shared_subscriptions import EventMemo, share_stream
from schema.stock.types import StockItem, StockLevelEvent


def stock_filter(viewer: Viewer, item_id: int | None) -> Callable[[StoredEvent], bool]:
    """Staff see every level change; a portal user only their company's items."""

    def accept(event: StoredEvent) -> bool:
        if event.topic != TOPIC or not sees_stock_of(viewer, event.company_id):
            return False
        return item_id is None or event.payload.get("stockItemId") == item_id

    return accept


# The stock item an event names, loaded once per event for the executions whose viewers see
# stock alike (stock_scope: staff everything, a portal user their company's).
_EVENT_LOADS = EventMemo()


async def _event_item(info: Info, loaders: Loaders, event: StoredEvent) -> StockItem | None:
    item_id = int(event.payload["stockItemId"])

    async def load() -> StockItem | None:
        item = await loaders.stock.item.load(item_id)
        return StockItem.from_model(item) if item else None

    viewer = info.context.viewer
    visibility: Hashable = "staff" if viewer.is_staff else (viewer.kind, viewer.company_id)
    key = (info.context.services.events, event.id, item_id, visibility)
    return await _EVENT_LOADS.get(key, load)


@strawberry.type
class StockSubscription:
    @strawberry.subscription(
        description="Balance changes of the stock items the viewer may see (a portal user: "
        "the company's; staff: all), optionally of one item. Pass `after` (the last eventId "
        "seen) to catch up after a reconnect. Requires a logged-in user.",
        permission_classes=[IsAuthenticated],
    )
    async def stock_level_changed(
        self, info: Info, after: int | None = None, stock_item_id: relay.GlobalID | None = None
    ) -> AsyncGenerator[StockLevelEvent, None]:
        ctx = info.context
        if ctx.services.events is None:
            raise GraphQLError("Subscriptions are not available on this server.")
        if after is not None and after < 0:
            raise GraphQLError(
                "`after` is an event id (0 or more).", extensions={"code": "BAD_USER_INPUT"}
            )
        item_id = None if stock_item_id is None else (decode_gid(stock_item_id, StockItem) or -1)
        stream = ctx.services.events.subscribe(stock_filter(ctx.viewer, item_id), after_id=after)
        share_stream(replays=after is not None)
        await ctx.uow.close()
        async for event in stream:
            p = event.payload
            # A fresh session and loaders per event (nested fields too), closed once sent.
            async with ctx.event_scope() as loaders:
                yield StockLevelEvent(
                    event_id=event.id,
                    movement_kind=MovementKind(p["kind"]),
                    on_hand=int(p["onHand"]),
                    reserved=int(p["reserved"]),
                    available=p.get("available"),
                    stock_item=await _event_item(info, loaders, event),
                )
