from __future__ import annotations

import strawberry

from domain.accounts import companies
from domain.accounts import models as am
from domain.accounts.errors import AccountErrorCode
from domain.shared.unset import UNSET
from resolvers.ids import optional_pk, require_pk
from resolvers.mutation import run
from schema.accounts.inputs import CompanyUpdateInput
from schema.accounts.payloads import CompanyUpdatePayload
from schema.accounts.types import AccountError, Company, CustomerGroup
from schema.context import Info

_PLAIN = (
    "name",
    "code",
    "legal_form",
    "portal_enabled",
    "markup_percent",
    "vat_id",
    "contact_name",
    "contact_email",
    "contact_phone",
    "bank_account_holder",
    "bank_iban",
    "bank_bic",
)


async def company_update(info: Info, input: CompanyUpdateInput) -> CompanyUpdatePayload:
    ctx = info.context

    async def action() -> am.Company:
        company_id = require_pk(input.id, Company, "id", AccountErrorCode.NOT_FOUND)
        cmd = companies.CompanyUpdate()
        for name in _PLAIN:
            value = getattr(input, name)
            if value is not strawberry.UNSET:
                setattr(cmd, name, value)
        if input.customer_group_id is not strawberry.UNSET:
            cmd.customer_group_id = optional_pk(
                input.customer_group_id,
                CustomerGroup,
                "customerGroupId",
                AccountErrorCode.NOT_FOUND,
            )
        if input.addresses is not strawberry.UNSET:
            cmd.addresses = [
                companies.AddressData(
                    kind=a.kind,
                    name=a.name,
                    street=a.street,
                    postal_code=a.postal_code,
                    city=a.city,
                    country=a.country,
                    is_default=a.is_default,
                )
                for a in input.addresses or []
            ]
        return await companies.company_update(ctx.uow, ctx.viewer, company_id, cmd)

    return await run(
        CompanyUpdatePayload, AccountError, action, lambda c: {"company": Company.from_model(c)}
    )


__all__ = ["UNSET", "company_update"]
