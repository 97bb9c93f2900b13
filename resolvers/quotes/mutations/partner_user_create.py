"""partnerUserCreate: a login for a person of a partner supplier (answers its RFQs)."""

from __future__ import annotations

from domain.accounts.errors import AccountErrorCode
from domain.accounts.models import StaffUser as StaffUserModel
from domain.quotes.partner_users import PartnerUserCreate, partner_user_create
from domain.shared.errors import DomainError
from resolvers.mutation import run
from schema.accounts.payloads import StaffUserCreatePayload
from schema.accounts.types import AccountError, StaffUser
from schema.context import Info
from schema.core import decode_gid
from schema.quotes.inputs import PartnerUserCreateInput
from schema.stock.types import Supplier


async def partner_user_create_field(
    info: Info, input: PartnerUserCreateInput
) -> StaffUserCreatePayload:
    ctx = info.context

    async def action() -> StaffUserModel:
        supplier_id = decode_gid(input.supplier_id, Supplier)
        if supplier_id is None:
            raise DomainError.single(
                AccountErrorCode.NOT_FOUND, "Supplier not found.", "supplierId"
            )
        cmd = PartnerUserCreate(supplier_id, input.email, input.full_name, input.password)
        return await partner_user_create(ctx.uow, ctx.viewer, cmd)

    return await run(
        StaffUserCreatePayload,
        AccountError,
        action,
        lambda u: {"staff_user": StaffUser.from_model(u)},
    )
