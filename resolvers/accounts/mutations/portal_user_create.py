from __future__ import annotations

from domain.accounts import models as am
from domain.accounts import users
from domain.accounts.errors import AccountErrorCode
from resolvers.ids import require_pk
from resolvers.mutation import run
from schema.accounts.inputs import PortalUserCreateInput
from schema.accounts.payloads import PortalUserCreatePayload
from schema.accounts.types import AccountError, Company, PermissionGroup, PortalUser
from schema.context import Info


async def portal_user_create(info: Info, input: PortalUserCreateInput) -> PortalUserCreatePayload:
    ctx = info.context

    async def action() -> am.PortalUser:
        nf = AccountErrorCode.NOT_FOUND
        cmd = users.PortalUserCreate(
            company_id=require_pk(input.company_id, Company, "companyId", nf),
            name=input.name,
            full_name=input.full_name,
            email=input.email,
            password=input.password,
            group_ids=[require_pk(g, PermissionGroup, "groupIds", nf) for g in input.group_ids],
        )
        return await users.portal_user_create(ctx.uow, ctx.viewer, cmd)

    return await run(
        PortalUserCreatePayload, AccountError, action, lambda u: {"user": PortalUser.from_model(u)}
    )
