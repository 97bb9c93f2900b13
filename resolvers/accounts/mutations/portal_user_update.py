from __future__ import annotations

import strawberry

from domain.accounts import models as am
from domain.accounts import users
from domain.accounts.errors import AccountErrorCode
from domain.shared.errors import DomainError, camel
from resolvers.ids import require_pk
from resolvers.mutation import run
from schema.accounts.inputs import PortalUserUpdateInput
from schema.accounts.payloads import PortalUserUpdatePayload
from schema.accounts.types import AccountError, PermissionGroup, PortalUser
from schema.context import Info


async def portal_user_update(info: Info, input: PortalUserUpdateInput) -> PortalUserUpdatePayload:
    ctx = info.context

    async def action() -> am.PortalUser:
        nf = AccountErrorCode.NOT_FOUND
        cmd = users.PortalUserUpdate()
        for name in ("full_name", "email", "is_active", "password"):
            value = getattr(input, name)
            if value is None:
                raise DomainError.single(
                    AccountErrorCode.REQUIRED, "This field cannot be emptied.", camel(name)
                )
            if value is not strawberry.UNSET:
                setattr(cmd, name, value)
        if input.group_ids is not strawberry.UNSET:
            cmd.group_ids = [
                require_pk(g, PermissionGroup, "groupIds", nf) for g in input.group_ids or []
            ]
        user_id = require_pk(input.id, PortalUser, "id", nf)
        return await users.portal_user_update(ctx.uow, ctx.viewer, user_id, cmd)

    return await run(
        PortalUserUpdatePayload, AccountError, action, lambda u: {"user": PortalUser.from_model(u)}
    )
