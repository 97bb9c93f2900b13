from __future__ import annotations

from domain.accounts import auth
from resolvers.mutation import run
from schema.accounts.inputs import TokenCreateInput
from schema.accounts.payloads import TokenCreatePayload, TokenRefreshPayload
from schema.accounts.types import AccountError
from schema.context import Info


def _tokens(info: Info, pair: auth.TokenPair) -> dict[str, object]:
    # The rest of this operation (the payload's `me`) runs as the user who just logged in.
    info.context.viewer = pair.viewer
    return {
        "access_token": pair.access_token,
        "access_token_expires_at": pair.access_expires_at,
        "refresh_token": pair.refresh_token,
        "refresh_token_expires_at": pair.refresh_expires_at,
    }


async def token_create(info: Info, input: TokenCreateInput) -> TokenCreatePayload:
    ctx = info.context
    return await run(
        TokenCreatePayload,
        AccountError,
        lambda: auth.token_create(
            ctx.uow,
            ctx.services.tokens,
            ctx.services.throttle,
            input.login,
            input.password,
            ctx.client_address,
        ),
        lambda pair: _tokens(info, pair),
    )


async def token_refresh(info: Info, refresh_token: str) -> TokenRefreshPayload:
    ctx = info.context
    return await run(
        TokenRefreshPayload,
        AccountError,
        lambda: auth.token_refresh(ctx.uow, ctx.services.tokens, refresh_token),
        lambda pair: _tokens(info, pair),
    )
