"""Order and job status streams, fed by the event outbox; each reconnect may pass the last
event id it saw (`after`) and first receives what it missed.

The streams are shared (schema/shared_subscriptions.py): one execution per document, variables
and viewer scope, whatever the number of sockets; and the order or job an event names is loaded
once per event for all executions whose viewers see orders alike."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable, Hashable
from typing import Any

import strawberry
from graphql import GraphQLError

from domain.accounts.viewer import Viewer
from domain.events.ports import StoredEvent
from domain.orders.policies import order_audience, sees_order
from domain.orders.state import OrderStatus
from domain.production.state import JobStatus, TaskStatus
from schema.context import Info, Loaders
from schema.orders.types import Job, JobStatusEvent, Order, OrderStatusEvent, TaskChange
from schema.permissions import IsAuthenticated, IsStaff
from schema.shared_subscriptions import EventMemo, share_stream

ORDER_TOPICS = frozenset({"order.placed", "order.status_changed"})


def tenant_filter(viewer: Viewer, topics: frozenset[str]) -> Callable[[StoredEvent], bool]:
    """Staff see everything; a portal user their company's events, and only their own orders'
    unless they hold VIEW_COMPANY_ORDERS."""

    def accept(event: StoredEvent) -> bool:
        return event.topic in topics and sees_order(
            viewer, event.company_id, event.payload.get("ordererId")
        )

    return accept


def _stream(info: Info, topics: frozenset[str], after: int | None) -> Any:
    ctx = info.context
    if ctx.services.events is None:
        raise GraphQLError("Subscriptions are not available on this server.")
    if after is not None and after < 0:
        raise GraphQLError(
            "`after` is an event id (0 or more).", extensions={"code": "BAD_USER_INPUT"}
        )
    stream = ctx.services.events.subscribe(tenant_filter(ctx.viewer, topics), after_id=after)
    # Registered on the hub: whoever subscribes the same way from now on may join this one.
    share_stream(replays=after is not None)
    return stream


# The order or job an event names, loaded once per event (of this process's hub: ids restart
# with a fresh database) and shared between the executions whose viewers see orders alike: the
# load is scoped by the first one's loaders, and the event reached each of them through their
# tenant filter. What depends on the viewer beyond that (prices, nested fields) resolves per
# execution, on its own loaders.
_EVENT_LOADS = EventMemo()


def _visibility(info: Info) -> Hashable:
    return order_audience(info.context.viewer)


async def _event_job(info: Info, loaders: Loaders, event: StoredEvent) -> Job | None:
    job_id = int(event.payload["jobId"])

    async def load() -> Job | None:
        job = await loaders.job.load(job_id)
        return Job.from_model(job) if job else None

    key = (info.context.services.events, event.id, "job", job_id, _visibility(info))
    return await _EVENT_LOADS.get(key, load)


async def _event_order(info: Info, loaders: Loaders, event: StoredEvent) -> Order | None:
    order_id = int(event.payload["orderId"])

    async def load() -> Order | None:
        order = await loaders.order.load(order_id)
        return Order.from_model(order) if order else None

    key = (info.context.services.events, event.id, "order", order_id, _visibility(info))
    return await _EVENT_LOADS.get(key, load)


@strawberry.type
class OrdersSubscription:
    @strawberry.subscription(
        description="Status changes of the orders the viewer may see (VIEW_COMPANY_ORDERS: the "
        "company's, else one's own). Pass `after` (the last eventId seen) to catch up after a "
        "reconnect. Requires a logged-in user.",
        permission_classes=[IsAuthenticated],
    )
    async def order_status_changed(
        self, info: Info, after: int | None = None
    ) -> AsyncGenerator[OrderStatusEvent, None]:
        stream = _stream(info, ORDER_TOPICS, after)
        await info.context.uow.close()
        async for event in stream:
            async with info.context.event_scope() as loaders:
                previous = event.payload.get("from")
                yield OrderStatusEvent(
                    event_id=event.id,
                    status=OrderStatus(event.payload["status"]),
                    previous_status=OrderStatus(previous) if previous else None,
                    order=await _event_order(info, loaders, event),
                )

    @strawberry.subscription(
        description="Status changes of production jobs of the orders the viewer may see, and "
        "each task that starts or completes (`task`). Pass "
        "`after` to catch up after a reconnect. Requires a logged-in user.",
        permission_classes=[IsAuthenticated],
    )
    async def job_status_changed(
        self, info: Info, after: int | None = None
    ) -> AsyncGenerator[JobStatusEvent, None]:
        stream = _stream(info, frozenset({"job.status_changed"}), after)
        await info.context.uow.close()
        async for event in stream:
            async with info.context.event_scope() as loaders:
                task = event.payload.get("task")
                yield JobStatusEvent(
                    event_id=event.id,
                    status=JobStatus(event.payload["status"]),
                    task=TaskChange(name=task["name"], status=TaskStatus(task["status"]))
                    if task
                    else None,
                    job=await _event_job(info, loaders, event),
                )

    @strawberry.subscription(
        description="The shop's live feed of orders entering production (placed binding or "
        "approved). Requires a staff role.",
        permission_classes=[IsStaff],
    )
    async def incoming_orders(
        self, info: Info, after: int | None = None
    ) -> AsyncGenerator[OrderStatusEvent, None]:
        stream = _stream(info, ORDER_TOPICS, after)
        await info.context.uow.close()
        async for event in stream:
            if event.payload.get("status") != OrderStatus.RELEASED.value:
                continue
            async with info.context.event_scope() as loaders:
                yield OrderStatusEvent(
                    event_id=event.id,
                    status=OrderStatus.RELEASED,
                    previous_status=None,
                    order=await _event_order(info, loaders, event),
                )
