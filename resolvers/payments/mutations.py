"""Payments mutations: staff record payments, import bank statements, refund, set credit
limits and decide orders held over the credit limit."""

from __future__ import annotations

import datetime as dt

import strawberry
from strawberry import relay

from domain.orders import models as om
from domain.payments import bank, credit, offers, online
from domain.payments.errors import PaymentErrorCode
from resolvers.ids import optional_pk, require_pk
from resolvers.mutation import run
from schema.accounts.types import Company, CustomerGroup
from schema.catalog.types import Channel
from schema.context import Info
from schema.orders.payloads import OrderPayload
from schema.orders.types import Order, OrderError
from schema.payments.types import (
    BankStatementImportPayload,
    BankStatementLine,
    CreditLimitSetPayload,
    Payment,
    PaymentError,
    PaymentMethodCode,
    PaymentMethodOfferSetPayload,
    PaymentPayload,
    Refund,
    RefundPayload,
)
from schema.pricing.types import Money

NF = PaymentErrorCode.NOT_FOUND


@strawberry.input(description="A payment received, for an order or a company's prepaid balance.")
class PaymentRecordInput:
    key: str = strawberry.field(description="Unique per payment: the same key records it once.")
    amount: int = strawberry.field(description="Minor units.")
    currency: str = "EUR"
    order_id: relay.GlobalID | None = None
    company_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Without an order: a top-up of the company's prepaid balance."
    )
    reference: str = ""
    received_at: dt.datetime | None = None


async def payment_record(info: Info, input: PaymentRecordInput) -> PaymentPayload:
    ctx = info.context

    async def action() -> dict[str, object]:
        cmd = bank.PaymentRecord(
            key=input.key,
            amount=input.amount,
            currency=input.currency.upper(),
            order_id=optional_pk(input.order_id, Order, "orderId", NF),
            company_id=optional_pk(input.company_id, Company, "companyId", NF),
            reference=input.reference,
            received_at=input.received_at,
        )
        return {"payment": Payment.from_model(await bank.payment_record(ctx.uow, ctx.viewer, cmd))}

    return await run(PaymentPayload, PaymentError, action, lambda r: r)


async def bank_statement_import(info: Info, csv: str) -> BankStatementImportPayload:
    ctx = info.context

    async def action() -> dict[str, object]:
        outcomes = await bank.bank_statement_import(ctx.uow, ctx.viewer, csv.encode())
        return {
            "lines": [
                BankStatementLine(
                    row=o.line.row,
                    reference=o.line.reference,
                    amount=Money(amount=o.line.amount, currency=o.line.currency),
                    payment=Payment.from_model(o.payment) if o.payment is not None else None,
                    already_recorded=o.already_recorded,
                    problem=o.problem,
                )
                for o in outcomes
            ]
        }

    return await run(BankStatementImportPayload, PaymentError, action, lambda r: r)


async def payment_refund(
    info: Info, id: relay.GlobalID, amount: int | None = None, reason: str = ""
) -> RefundPayload:
    ctx = info.context

    async def action() -> dict[str, object]:
        pk = require_pk(id, Payment, "id", NF)
        refund = await online.payment_refund(ctx.uow, ctx.viewer, pk, amount, reason)
        payment = await online.payment_by_id(ctx.uow, refund.payment_id)
        return {"refund": Refund.from_model(refund), "payment": Payment.from_model(payment)}

    return await run(RefundPayload, PaymentError, action, lambda r: r)


async def company_credit_limit_set(
    info: Info, company_id: relay.GlobalID, credit_limit: int | None = None, currency: str = "EUR"
) -> CreditLimitSetPayload:
    ctx = info.context

    async def action() -> dict[str, object]:
        pk = require_pk(company_id, Company, "companyId", NF)
        row = await credit.credit_limit_set(ctx.uow, ctx.viewer, pk, credit_limit, currency.upper())
        limit = Money(amount=row.credit_limit, currency=row.currency) if row else None
        return {"credit_limit": limit}

    return await run(CreditLimitSetPayload, PaymentError, action, lambda r: r)


async def order_staff_decide(
    info: Info, id: relay.GlobalID, release: bool, reason: str = ""
) -> OrderPayload:
    ctx = info.context

    async def action() -> om.Order:
        pk = require_pk(id, Order, "id", NF)
        return await credit.order_staff_decide(ctx.uow, ctx.viewer, pk, release, reason)

    return await run(OrderPayload, OrderError, action, lambda o: {"order": Order.from_model(o)})


async def payment_method_offer_set(
    info: Info,
    method: PaymentMethodCode,
    offered: bool,
    channel_id: relay.GlobalID | None = None,
    customer_group_id: relay.GlobalID | None = None,
) -> PaymentMethodOfferSetPayload:
    ctx = info.context

    async def action() -> dict[str, object]:
        await offers.payment_method_offer_set(
            ctx.uow,
            ctx.viewer,
            method,
            offered,
            optional_pk(channel_id, Channel, "channelId", NF),
            optional_pk(customer_group_id, CustomerGroup, "customerGroupId", NF),
        )
        return {"method": method, "offered": offered}

    return await run(PaymentMethodOfferSetPayload, PaymentError, action, lambda r: r)
