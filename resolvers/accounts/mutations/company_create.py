from __future__ import annotations

from domain.accounts import companies
from domain.accounts import models as am
from domain.accounts.errors import AccountErrorCode
from resolvers.ids import optional_pk
from resolvers.mutation import run
from schema.accounts.inputs import CompanyCreateInput
from schema.accounts.payloads import CompanyCreatePayload
from schema.accounts.types import AccountError, Company, CustomerGroup
from schema.context import Info


async def company_create(info: Info, input: CompanyCreateInput) -> CompanyCreatePayload:
    ctx = info.context

    async def action() -> am.Company:
        cmd = companies.CompanyCreate(
            code=input.code.strip(),
            name=input.name,
            legal_form=input.legal_form,
            primary_email=input.primary_email,
            primary_full_name=input.primary_full_name,
            primary_password=input.primary_password,
            portal_enabled=input.portal_enabled,
            customer_group_id=optional_pk(
                input.customer_group_id,
                CustomerGroup,
                "customerGroupId",
                AccountErrorCode.NOT_FOUND,
            ),
            markup_percent=input.markup_percent,
            vat_id=input.vat_id,
        )
        return await companies.company_create(ctx.uow, ctx.viewer, cmd)

    return await run(
        CompanyCreatePayload, AccountError, action, lambda c: {"company": Company.from_model(c)}
    )
