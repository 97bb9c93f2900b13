"""Query fields of the payments area: a company's account and statement."""

from __future__ import annotations

import datetime as dt

import strawberry
from strawberry import relay

from domain.payments import balance, offers
from domain.payments.errors import PaymentErrorCode
from domain.shared.errors import DomainError
from resolvers.ids import require_pk
from schema.accounts.types import Company
from schema.context import Info
from schema.payments.types import AccountStatement, CompanyAccount
from schema.permissions import IsAuthenticated


def _company_pk(info: Info, company_id: relay.GlobalID | None) -> int | None:
    if company_id is None:
        return info.context.viewer.company_id
    return require_pk(company_id, Company, "companyId", PaymentErrorCode.NOT_FOUND)


@strawberry.type
class PaymentsQuery:
    @strawberry.field(
        description="The payment methods checkout accepts from the viewer in a channel (its "
        "code; the default channel when omitted), for `orderPlace(paymentMethod:)`.",
        permission_classes=[IsAuthenticated],
    )
    async def payment_methods(self, info: Info, channel: str | None = None) -> list[str]:
        try:
            return await offers.offered_methods(info.context.uow, info.context.viewer, channel)
        except DomainError:
            return []

    @strawberry.field(
        description="What a company owes, paid and holds as prepaid balance (your own company "
        "when omitted). Requires VIEW_FINANCES in the company, or staff; null otherwise.",
        permission_classes=[IsAuthenticated],
    )
    async def company_account(
        self, info: Info, company_id: relay.GlobalID | None = None
    ) -> CompanyAccount | None:
        ctx = info.context
        try:
            pk = _company_pk(info, company_id)
            if pk is None:
                return None
            return CompanyAccount.from_domain(
                await balance.account_balance(ctx.uow, ctx.viewer, pk)
            )
        except DomainError:
            return None

    @strawberry.field(
        description="A company's account statement from `start` to `end` (days, UTC) with "
        "the running balance, and as CSV. Requires VIEW_FINANCES in the company, or staff; "
        "null otherwise.",
        permission_classes=[IsAuthenticated],
    )
    async def account_statement(
        self, info: Info, start: dt.date, end: dt.date, company_id: relay.GlobalID | None = None
    ) -> AccountStatement | None:
        ctx = info.context
        try:
            pk = _company_pk(info, company_id)
            if pk is None:
                return None
            statement = await balance.account_statement(ctx.uow, ctx.viewer, pk, start, end)
        except DomainError:
            return None
        return AccountStatement.from_domain(statement)
