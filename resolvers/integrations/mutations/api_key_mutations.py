"""apiKeyCreate, apiKeyRotate, apiKeyRevoke."""

from __future__ import annotations

from typing import Any

from strawberry import relay

from domain.integrations import api_keys
from domain.integrations.errors import IntegrationErrorCode
from domain.integrations.scopes import ApiKeyScope
from resolvers.ids import require_pk
from resolvers.mutation import run
from schema.context import Info
from schema.integrations.types import ApiKey, ApiKeyCreateInput, ApiKeyPayload, IntegrationError

NF = IntegrationErrorCode.NOT_FOUND


def _with_secret(result: tuple[Any, str]) -> dict[str, object]:
    return {"api_key": ApiKey.from_model(result[0]), "secret": result[1]}


async def api_key_create(info: Info, input: ApiKeyCreateInput) -> ApiKeyPayload:
    ctx = info.context
    cmd = api_keys.ApiKeyCreate(
        name=input.name,
        rights=list(input.rights),
        scopes=[ApiKeyScope(s) for s in input.scopes],
    )
    return await run(
        ApiKeyPayload,
        IntegrationError,
        lambda: api_keys.api_key_create(ctx.uow, ctx.viewer, cmd),
        _with_secret,
    )


async def api_key_rotate(info: Info, id: relay.GlobalID) -> ApiKeyPayload:
    ctx = info.context

    async def action() -> tuple[Any, str]:
        return await api_keys.api_key_rotate(ctx.uow, ctx.viewer, require_pk(id, ApiKey, "id", NF))

    return await run(ApiKeyPayload, IntegrationError, action, _with_secret)


async def api_key_revoke(info: Info, id: relay.GlobalID) -> ApiKeyPayload:
    ctx = info.context

    async def action() -> Any:
        return await api_keys.api_key_revoke(ctx.uow, ctx.viewer, require_pk(id, ApiKey, "id", NF))

    return await run(
        ApiKeyPayload, IntegrationError, action, lambda k: {"api_key": ApiKey.from_model(k)}
    )
