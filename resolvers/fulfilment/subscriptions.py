"""The shipment status stream, fed by the event outbox like the order streams (and filtered
by the same tenant rule: the shipments of the orders the viewer may see)."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry

from domain.fulfilment.models import ShipmentStatus
from resolvers.orders.subscriptions import _stream
from schema.context import Info
from schema.fulfilment.shipping import Shipment, ShipmentStatusEvent
from schema.permissions import IsAuthenticated

SHIPMENT_TOPICS = frozenset({"shipment.status_changed"})


@strawberry.type
class FulfilmentSubscription:
    @strawberry.subscription(
        description="Shipments created or moved (in transit, delivered, failed) on the orders "
        "the viewer may see, with their tracking. Pass `after` (the last eventId seen) to catch "
        "up after a reconnect. Requires a logged-in user.",
        permission_classes=[IsAuthenticated],
    )
    async def shipment_status_changed(
        self, info: Info, after: int | None = None
    ) -> AsyncGenerator[ShipmentStatusEvent, None]:
        stream = _stream(info, SHIPMENT_TOPICS, after)
        await info.context.uow.close()
        async for event in stream:
            async with info.context.event_scope() as loaders:
                previous = event.payload.get("from")
                row = await loaders.shipment.load(int(event.payload["shipmentId"]))
                yield ShipmentStatusEvent(
                    event_id=event.id,
                    status=ShipmentStatus(event.payload["status"]),
                    previous_status=ShipmentStatus(previous) if previous else None,
                    tracking_number=str(event.payload.get("trackingNumber") or ""),
                    tracking_url=str(event.payload.get("trackingUrl") or ""),
                    shipment=Shipment.from_model(row) if row else None,
                )
