from __future__ import annotations

from domain.accounts import companies
from resolvers.mutation import run
from schema.accounts.inputs import CustomerGroupCreateInput
from schema.accounts.payloads import CustomerGroupCreatePayload
from schema.accounts.types import AccountError, CustomerGroup
from schema.context import Info


async def customer_group_create(
    info: Info, input: CustomerGroupCreateInput
) -> CustomerGroupCreatePayload:
    ctx = info.context
    cmd = companies.CustomerGroupData(
        name=input.name,
        payment_terms_days=input.payment_terms_days,
        discount_percent=input.discount_percent,
        price_change_tolerance_percent=input.price_change_tolerance_percent,
    )
    return await run(
        CustomerGroupCreatePayload,
        AccountError,
        lambda: companies.customer_group_create(ctx.uow, ctx.viewer, cmd),
        lambda g: {"customer_group": CustomerGroup.from_model(g)},
    )
