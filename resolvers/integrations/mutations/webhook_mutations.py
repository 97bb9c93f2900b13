"""webhookCreate, webhookUpdate, webhookDelete, webhookSecretRotate."""

from __future__ import annotations

import datetime as dt
from typing import Any

from strawberry import relay

from domain.integrations import webhooks
from domain.integrations.api_keys import key_viewer
from domain.integrations.errors import IntegrationErrorCode
from domain.integrations.models import ApiKey as ApiKeyRow
from domain.integrations.targets import url_problem
from domain.shared.unset import UNSET
from resolvers.ids import optional_pk, require_pk
from resolvers.integrations.webhook_documents import document_checker
from resolvers.mutation import run
from schema.context import Info
from schema.core import to_gid
from schema.integrations.types import (
    ApiKey,
    IntegrationError,
    Webhook,
    WebhookCreateInput,
    WebhookDeletePayload,
    WebhookPayload,
    WebhookUpdateInput,
)

NF = IntegrationErrorCode.NOT_FOUND


def _checks(info: Info) -> dict[str, Any]:
    ctx = info.context
    production = not ctx.services.debug

    async def shape_only(url: str) -> str | None:
        return url_problem(url, production=production)

    async def owner_of(key: ApiKeyRow) -> Any:
        return await key_viewer(ctx.uow, key)

    return {
        "owner_of": owner_of,
        "check_document": document_checker(info.schema),
        "check_target": ctx.services.webhook_targets or shape_only,
    }


def _given(value: Any) -> Any:
    return UNSET if value is None else value


async def webhook_create(info: Info, input: WebhookCreateInput) -> WebhookPayload:
    ctx = info.context
    cmd = webhooks.WebhookSave(
        name=input.name,
        target_url=input.target_url,
        document=input.document,
        is_active=input.is_active,
    )

    async def action() -> Any:
        key_id = optional_pk(input.api_key_id, ApiKey, "apiKeyId", NF)
        return await webhooks.webhook_create(ctx.uow, ctx.viewer, key_id, cmd, **_checks(info))

    return await run(
        WebhookPayload,
        IntegrationError,
        action,
        lambda w: {"webhook": Webhook.from_model(w), "secret": w.secret},
    )


async def webhook_update(info: Info, input: WebhookUpdateInput) -> WebhookPayload:
    ctx = info.context
    cmd = webhooks.WebhookSave(
        name=_given(input.name),
        target_url=_given(input.target_url),
        document=_given(input.document),
        is_active=_given(input.is_active),
    )

    async def action() -> Any:
        pk = require_pk(input.id, Webhook, "id", NF)
        return await webhooks.webhook_update(ctx.uow, ctx.viewer, pk, cmd, **_checks(info))

    return await run(
        WebhookPayload, IntegrationError, action, lambda w: {"webhook": Webhook.from_model(w)}
    )


async def webhook_delete(info: Info, id: relay.GlobalID) -> WebhookDeletePayload:
    ctx = info.context

    async def action() -> int:
        return await webhooks.webhook_delete(ctx.uow, ctx.viewer, require_pk(id, Webhook, "id", NF))

    return await run(
        WebhookDeletePayload,
        IntegrationError,
        action,
        lambda pk: {"deleted_id": to_gid("Webhook", pk)},
    )


async def webhook_secret_rotate(
    info: Info, id: relay.GlobalID, overlap_seconds: int | None = None
) -> WebhookPayload:
    ctx = info.context
    overlap = None if overlap_seconds is None else dt.timedelta(seconds=overlap_seconds)

    async def action() -> Any:
        pk = require_pk(id, Webhook, "id", NF)
        return await webhooks.webhook_secret_rotate(ctx.uow, ctx.viewer, pk, overlap)

    return await run(
        WebhookPayload,
        IntegrationError,
        action,
        lambda w: {"webhook": Webhook.from_model(w), "secret": w.secret},
    )
