"""RFQ mutations: staff ask partners and pick an answer; partners answer or decline."""

from __future__ import annotations

from typing import Any

from domain.quotes import rfq as rfqs
from domain.quotes.models import Rfq as RfqModel
from domain.quotes.models import RfqInvitation as InvitationModel
from domain.quotes.rfq_choice import rfq_choose as choose
from domain.quotes.rfq_quantities import PriceGiven
from resolvers.mutation import run
from resolvers.quotes.ids import pk, pks
from schema.context import Info
from schema.quotes.inputs import RfqAnswerInput, RfqChooseInput, RfqCreateInput, RfqDeclineInput
from schema.quotes.payloads import RfqInvitationPayload, RfqPayload
from schema.quotes.quote import Quote, Rfq, RfqInvitation
from schema.quotes.types import QuoteError, QuoteLine
from schema.stock.types import Supplier


def _rfq(r: RfqModel) -> dict[str, Any]:
    return {"rfq": Rfq.from_model(r)}


def _invitation(x: InvitationModel) -> dict[str, Any]:
    return {"invitation": RfqInvitation.from_model(x)}


async def rfq_create(info: Info, input: RfqCreateInput) -> RfqPayload:
    ctx = info.context

    async def action() -> RfqModel:
        cmd = rfqs.RfqCreate(
            quote_id=pk(input.quote_id, Quote, "quoteId"),
            quote_line_ids=pks(input.quote_line_ids, QuoteLine, "quoteLineIds"),
            supplier_ids=pks(input.supplier_ids, Supplier, "supplierIds"),
            deadline=input.deadline,
            desired_date=input.desired_date,
            remarks=input.remarks,
            answer_url=f"{ctx.services.public_base_url.rstrip('/')}/graphql",
            quantities={
                pk(q.quote_line_id, QuoteLine, ("quantities", str(i), "quoteLineId")): q.quantities
                for i, q in enumerate(input.quantities or [])
            },
        )
        return await rfqs.rfq_create(ctx.uow, ctx.viewer, cmd)

    return await run(RfqPayload, QuoteError, action, _rfq)


async def rfq_answer(info: Info, input: RfqAnswerInput) -> RfqInvitationPayload:
    ctx = info.context

    async def action() -> InvitationModel:
        cmd = rfqs.RfqAnswer(
            rfq_id=pk(input.rfq_id, Rfq, "rfqId"),
            prices=[
                PriceGiven(
                    pk(p.quote_line_id, QuoteLine, ("prices", str(i), "quoteLineId")),
                    p.net,
                    p.quantity,
                )
                for i, p in enumerate(input.prices)
            ],
            delivery_date=input.delivery_date,
            remarks=input.remarks,
            alternative=input.alternative,
            token=input.token,
        )
        return await rfqs.rfq_answer(ctx.uow, ctx.viewer, cmd)

    return await run(RfqInvitationPayload, QuoteError, action, _invitation)


async def rfq_decline(info: Info, input: RfqDeclineInput) -> RfqInvitationPayload:
    ctx = info.context
    return await run(
        RfqInvitationPayload,
        QuoteError,
        lambda: rfqs.rfq_decline(
            ctx.uow, ctx.viewer, pk(input.rfq_id, Rfq, "rfqId"), input.reason, input.token
        ),
        _invitation,
    )


async def rfq_choose(info: Info, input: RfqChooseInput) -> RfqPayload:
    ctx = info.context

    async def action() -> RfqModel:
        picked = {
            pk(q.quote_line_id, QuoteLine, ("quantities", str(i), "quoteLineId")): q.quantity
            for i, q in enumerate(input.quantities or [])
        }
        invitation_id = pk(input.invitation_id, RfqInvitation, "invitationId")
        return await choose(ctx.uow, ctx.viewer, invitation_id, picked)

    return await run(RfqPayload, QuoteError, action, _rfq)
