"""API keys, webhooks and their delivery log, for whoever manages them."""

from __future__ import annotations

import strawberry
from strawberry import relay

from domain.integrations import api_keys, webhooks
from domain.integrations.models import DeliveryStatus
from domain.shared.pagination import fetch_page
from resolvers.pagination import page_window
from schema.context import Info
from schema.core import Connection, build_connection, decode_gid
from schema.integrations.types import ApiKey, DeliveryStatusEnum, Webhook, WebhookDelivery
from schema.permissions import IsAuthenticated


@strawberry.type
class IntegrationsQuery:
    @strawberry.field(
        description="API keys the viewer manages, newest first (MANAGE_USERS: the company's; "
        "staff ADMIN: all). Secrets are never shown again.",
        permission_classes=[IsAuthenticated],
    )
    async def api_keys(self, info: Info) -> list[ApiKey]:
        rows = await api_keys.api_keys(info.context.uow, info.context.viewer)
        return [ApiKey.from_model(k) for k in rows]

    @strawberry.field(
        description="Webhooks the viewer manages (or, for an API key, its own).",
        permission_classes=[IsAuthenticated],
    )
    async def webhooks(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[Webhook]:
        offset, limit = page_window(info, first, after)
        stmt = webhooks.webhooks_query(info.context.viewer)
        page = await fetch_page(info.context.uow, stmt, offset, limit)
        return build_connection(page.items, page.offset, page.total, Webhook.from_model)

    @strawberry.field(
        description="The delivery log of one webhook, newest first; filter by status (e.g. "
        "FAILED to see what to replay).",
        permission_classes=[IsAuthenticated],
    )
    async def webhook_deliveries(
        self,
        info: Info,
        webhook_id: relay.GlobalID,
        status: DeliveryStatusEnum | None = None,  # type: ignore[valid-type]
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[WebhookDelivery]:
        offset, limit = page_window(info, first, after)
        pk = decode_gid(webhook_id, Webhook) or -1
        stmt = webhooks.deliveries_query(
            info.context.viewer, pk, DeliveryStatus(status) if status else None
        )
        page = await fetch_page(info.context.uow, stmt, offset, limit)
        return build_connection(page.items, page.offset, page.total, WebhookDelivery.from_model)
