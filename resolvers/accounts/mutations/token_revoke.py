from __future__ import annotations

from domain.accounts import auth
from resolvers.mutation import run
from schema.accounts.payloads import TokenRevokePayload
from schema.accounts.types import AccountError
from schema.context import Info


async def token_revoke(info: Info, refresh_token: str) -> TokenRevokePayload:
    return await run(
        TokenRevokePayload,
        AccountError,
        lambda: auth.token_revoke(info.context.uow, refresh_token),
        lambda _: {"revoked": True},
    )
