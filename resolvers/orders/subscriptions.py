"""Order and job status streams, fed by the event outbox; each reconnect may pass the last
event id it saw (`after`) and first receives what it missed."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable
from typing import Any

import strawberry
from graphql import GraphQLError

from domain.accounts.rights import Right
from domain.accounts.viewer import Viewer
from domain.events.ports import StoredEvent
from domain.orders.state import JobStatus, OrderStatus, TaskStatus
from resolvers.context import Info
from resolvers.permissions import IsAuthenticated, IsStaff
from schema.orders.types import Job, JobStatusEvent, Order, OrderStatusEvent, TaskChange

ORDER_TOPICS = frozenset({"order.placed", "order.status_changed"})


def tenant_filter(viewer: Viewer, topics: frozenset[str]) -> Callable[[StoredEvent], bool]:
    """Staff see everything; a portal user their company's events, and only their own orders'
    unless they hold VIEW_COMPANY_ORDERS."""

    def accept(event: StoredEvent) -> bool:
        if event.topic not in topics:
            return False
        if viewer.is_staff:
            return True
        if not viewer.is_portal or event.company_id != viewer.company_id:
            return False
        return (
            Right.VIEW_COMPANY_ORDERS in viewer.rights
            or event.payload.get("ordererId") == viewer.user_id
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
    return ctx.services.events.subscribe(tenant_filter(ctx.viewer, topics), after_id=after)


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
                order = await loaders.order.load(int(event.payload["orderId"]))
                previous = event.payload.get("from")
                yield OrderStatusEvent(
                    event_id=event.id,
                    status=OrderStatus(event.payload["status"]),
                    previous_status=OrderStatus(previous) if previous else None,
                    order=Order.from_model(order) if order else None,
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
                job = await loaders.job.load(int(event.payload["jobId"]))
                task = event.payload.get("task")
                yield JobStatusEvent(
                    event_id=event.id,
                    status=JobStatus(event.payload["status"]),
                    task=TaskChange(name=task["name"], status=TaskStatus(task["status"]))
                    if task
                    else None,
                    job=Job.from_model(job) if job else None,
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
                order = await loaders.order.load(int(event.payload["orderId"]))
                yield OrderStatusEvent(
                    event_id=event.id,
                    status=OrderStatus.RELEASED,
                    previous_status=None,
                    order=Order.from_model(order) if order else None,
                )
