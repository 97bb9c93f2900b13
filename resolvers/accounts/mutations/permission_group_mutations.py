"""permissionGroupCreate, permissionGroupUpdate, permissionGroupDelete."""

from __future__ import annotations

import strawberry

from domain.accounts import models as am
from domain.accounts import users
from domain.accounts.errors import AccountErrorCode
from domain.shared.errors import DomainError
from domain.shared.unset import UNSET
from resolvers.ids import require_pk
from resolvers.mutation import run
from schema.accounts.inputs import PermissionGroupCreateInput, PermissionGroupUpdateInput
from schema.accounts.payloads import (
    PermissionGroupCreatePayload,
    PermissionGroupDeletePayload,
    PermissionGroupUpdatePayload,
)
from schema.accounts.types import AccountError, Company, PermissionGroup
from schema.context import Info
from schema.core import to_gid

NF = AccountErrorCode.NOT_FOUND


async def permission_group_create(
    info: Info, input: PermissionGroupCreateInput
) -> PermissionGroupCreatePayload:
    ctx = info.context

    async def action() -> am.PermissionGroup:
        company_id = require_pk(input.company_id, Company, "companyId", NF)
        data = users.PermissionGroupData(name=input.name, rights=frozenset(input.rights))
        return await users.permission_group_create(ctx.uow, ctx.viewer, company_id, data)

    return await run(
        PermissionGroupCreatePayload,
        AccountError,
        action,
        lambda g: {"permission_group": PermissionGroup.from_model(g)},
    )


async def permission_group_update(
    info: Info, input: PermissionGroupUpdateInput
) -> PermissionGroupUpdatePayload:
    ctx = info.context

    async def action() -> am.PermissionGroup:
        group_id = require_pk(input.id, PermissionGroup, "id", NF)
        if input.name is None or input.rights is None:
            raise DomainError.single(
                AccountErrorCode.REQUIRED,
                "This field cannot be emptied.",
                "name" if input.name is None else "rights",
            )
        name = UNSET if input.name is strawberry.UNSET else input.name
        rights = UNSET if input.rights is strawberry.UNSET else frozenset(input.rights)
        return await users.permission_group_update(ctx.uow, ctx.viewer, group_id, name, rights)

    return await run(
        PermissionGroupUpdatePayload,
        AccountError,
        action,
        lambda g: {"permission_group": PermissionGroup.from_model(g)},
    )


async def permission_group_delete(
    info: Info, id: strawberry.relay.GlobalID
) -> PermissionGroupDeletePayload:
    ctx = info.context

    async def action() -> int:
        group_id = require_pk(id, PermissionGroup, "id", NF)
        return await users.permission_group_delete(ctx.uow, ctx.viewer, group_id)

    return await run(
        PermissionGroupDeletePayload,
        AccountError,
        action,
        lambda pk: {"deleted_id": to_gid("PermissionGroup", pk)},
    )
