"""webhookPing, webhookDeliveryReplay, webhookDeliveriesReplay."""

from __future__ import annotations

import datetime as dt
from typing import Any

from strawberry import relay

from domain.integrations import webhooks
from domain.integrations.errors import IntegrationErrorCode
from resolvers.ids import require_pk
from resolvers.mutation import run
from schema.context import Info
from schema.integrations.types import (
    IntegrationError,
    Webhook,
    WebhookDeliveriesReplayPayload,
    WebhookDelivery,
    WebhookDeliveryPayload,
)

NF = IntegrationErrorCode.NOT_FOUND


def _delivery(d: Any) -> dict[str, object]:
    return {"delivery": WebhookDelivery.from_model(d)}


async def webhook_ping(info: Info, id: relay.GlobalID) -> WebhookDeliveryPayload:
    ctx = info.context

    async def action() -> Any:
        return await webhooks.webhook_ping(ctx.uow, ctx.viewer, require_pk(id, Webhook, "id", NF))

    return await run(WebhookDeliveryPayload, IntegrationError, action, _delivery)


async def webhook_delivery_replay(info: Info, id: relay.GlobalID) -> WebhookDeliveryPayload:
    ctx = info.context

    async def action() -> Any:
        pk = require_pk(id, WebhookDelivery, "id", NF)
        return await webhooks.webhook_delivery_replay(ctx.uow, ctx.viewer, pk)

    return await run(WebhookDeliveryPayload, IntegrationError, action, _delivery)


async def webhook_deliveries_replay(
    info: Info, webhook_id: relay.GlobalID, since: dt.datetime
) -> WebhookDeliveriesReplayPayload:
    ctx = info.context

    async def action() -> Any:
        pk = require_pk(webhook_id, Webhook, "webhookId", NF)
        return await webhooks.webhook_deliveries_replay(ctx.uow, ctx.viewer, pk, since)

    return await run(
        WebhookDeliveriesReplayPayload,
        IntegrationError,
        action,
        lambda ids: {"replayed": len(ids)},
    )
