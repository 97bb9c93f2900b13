"""supplierJobStatusChanged: supplier jobs as they move (routing, hand-off, supplier reports),
fed by the event outbox; staff see all, a supplier system its own, nobody else any. Pass
`after` (the last eventId seen) to catch up after a reconnect."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable

import strawberry
from graphql import GraphQLError

from domain.accounts.viewer import Viewer
from domain.events.ports import StoredEvent
from domain.routing.events import TOPIC
from domain.routing.policies import sees_supplier_job_event
from domain.routing.state import SupplierJobStatus as Status
from schema.context import Info
from schema.core import to_gid
from schema.permissions import IsAuthenticated
from schema.routing.types import SupplierJobStatusEvent
from schema.shared_subscriptions import share_stream


def supplier_job_filter(viewer: Viewer) -> Callable[[StoredEvent], bool]:
    def accept(event: StoredEvent) -> bool:
        return event.topic == TOPIC and sees_supplier_job_event(
            viewer, event.payload.get("supplierId")
        )

    return accept


@strawberry.type
class RoutingSubscription:
    @strawberry.subscription(
        description="Status changes of supplier jobs (split on release, handed off, reported "
        "by the supplier, held, cancelled), with the tracking number once shipped. Staff see "
        "all; a supplier system (its API key) its own jobs; customers none (they follow the "
        "order). Pass `after` to catch up after a reconnect.",
        permission_classes=[IsAuthenticated],
    )
    async def supplier_job_status_changed(
        self, info: Info, after: int | None = None
    ) -> AsyncGenerator[SupplierJobStatusEvent, None]:
        ctx = info.context
        if ctx.services.events is None:
            raise GraphQLError("Subscriptions are not available on this server.")
        if after is not None and after < 0:
            raise GraphQLError(
                "`after` is an event id (0 or more).", extensions={"code": "BAD_USER_INPUT"}
            )
        stream = ctx.services.events.subscribe(supplier_job_filter(ctx.viewer), after_id=after)
        share_stream(replays=after is not None)
        await ctx.uow.close()
        async for event in stream:
            p = event.payload
            yield SupplierJobStatusEvent(
                event_id=event.id,
                status=Status(p["status"]),
                previous_status=Status(p["from"]) if p.get("from") else None,
                number=str(p["number"]),
                tracking_number=p.get("trackingNumber"),
                supplier_job_id=strawberry.ID(str(to_gid("SupplierJob", int(p["supplierJobId"])))),
            )
