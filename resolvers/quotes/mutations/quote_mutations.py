"""Quote mutations of staff (create, edit lines and prices, send, withdraw) and the portal
user's quote request."""

from __future__ import annotations

from typing import Any

from domain.quotes import decisions, requests, sending, services
from domain.quotes.models import Quote as QuoteModel
from domain.shared.unset import UNSET
from resolvers.mutation import run
from resolvers.quotes.ids import line_input, opt_pk, pk
from resolvers.quotes.tools import sending_tools
from schema.accounts.types import Company
from schema.context import Info
from schema.orders.types import CartLine
from schema.quotes.inputs import (
    QuoteCreateInput,
    QuoteDeclineInput,
    QuoteLineAddInput,
    QuoteLineOverrideInput,
    QuoteLineRemoveInput,
    QuoteLineUpdateInput,
    QuoteReasonInput,
    QuoteRequestFromCartInput,
    QuoteSendInput,
    QuoteUpdateInput,
)
from schema.quotes.payloads import QuotePayload
from schema.quotes.quote import Quote
from schema.quotes.types import QuoteError, QuoteLine


def _built(quote: QuoteModel) -> dict[str, Any]:
    return {"quote": Quote.from_model(quote)}


async def quote_create(info: Info, input: QuoteCreateInput) -> QuotePayload:
    ctx = info.context

    async def action() -> QuoteModel:
        cmd = services.QuoteCreate(
            company_id=opt_pk(input.company_id, Company, "companyId"),
            channel=input.channel,
            title=input.title,
            request_text=input.request_text,
            customer_reference=input.customer_reference,
            valid_until=input.valid_until,
            contact_email=input.contact_email,
            lines=[line_input(x, ("lines", str(i))) for i, x in enumerate(input.lines)],
        )
        return await services.quote_create(ctx.uow, ctx.viewer, cmd)

    return await run(QuotePayload, QuoteError, action, _built)


async def quote_request_from_cart(info: Info, input: QuoteRequestFromCartInput) -> QuotePayload:
    ctx = info.context

    async def action() -> QuoteModel:
        ids = input.cart_line_ids
        cmd = requests.QuoteRequestFromCart(
            cart_line_ids=None
            if ids is None
            else [pk(g, CartLine, ("cartLineIds", str(i))) for i, g in enumerate(ids)],
            title=input.title,
            request_text=input.request_text,
            customer_reference=input.customer_reference,
        )
        return await requests.quote_request_from_cart(ctx.uow, ctx.viewer, cmd)

    return await run(QuotePayload, QuoteError, action, _built)


async def quote_update(info: Info, input: QuoteUpdateInput) -> QuotePayload:
    ctx = info.context
    cmd = services.QuoteUpdate(
        title=input.title,
        terms=input.terms,
        customer_reference=input.customer_reference,
        valid_until=input.valid_until,
        contact_email=input.contact_email,
    )
    return await run(
        QuotePayload,
        QuoteError,
        lambda: services.quote_update(ctx.uow, ctx.viewer, pk(input.id, Quote, "id"), cmd),
        _built,
    )


async def quote_line_add(info: Info, input: QuoteLineAddInput) -> QuotePayload:
    ctx = info.context

    async def action() -> QuoteModel:
        quote_id = pk(input.quote_id, Quote, "quoteId")
        return await services.quote_line_add(
            ctx.uow, ctx.viewer, quote_id, line_input(input.line, ("line",))
        )

    return await run(QuotePayload, QuoteError, action, _built)


async def quote_line_update(info: Info, input: QuoteLineUpdateInput) -> QuotePayload:
    ctx = info.context
    cmd = services.QuoteLineUpdate(
        quantity=input.quantity,
        title=input.title,
        description=input.description,
        net=input.net if input.net is not None else UNSET,
        vat_rate_percent=input.vat_rate_percent,
    )
    return await run(
        QuotePayload,
        QuoteError,
        lambda: services.quote_line_update(
            ctx.uow, ctx.viewer, pk(input.line_id, QuoteLine, "lineId"), cmd
        ),
        _built,
    )


async def quote_line_override(info: Info, input: QuoteLineOverrideInput) -> QuotePayload:
    ctx = info.context
    return await run(
        QuotePayload,
        QuoteError,
        lambda: services.quote_line_override(
            ctx.uow, ctx.viewer, pk(input.line_id, QuoteLine, "lineId"), input.net, input.reason
        ),
        _built,
    )


async def quote_line_remove(info: Info, input: QuoteLineRemoveInput) -> QuotePayload:
    ctx = info.context
    return await run(
        QuotePayload,
        QuoteError,
        lambda: services.quote_line_remove(
            ctx.uow, ctx.viewer, pk(input.line_id, QuoteLine, "lineId")
        ),
        _built,
    )


async def quote_send(info: Info, input: QuoteSendInput) -> QuotePayload:
    ctx = info.context
    return await run(
        QuotePayload,
        QuoteError,
        lambda: sending.quote_send(
            ctx.uow, ctx.viewer, sending_tools(info), pk(input.id, Quote, "id")
        ),
        _built,
    )


async def quote_withdraw(info: Info, input: QuoteReasonInput) -> QuotePayload:
    ctx = info.context
    return await run(
        QuotePayload,
        QuoteError,
        lambda: decisions.quote_withdraw(
            ctx.uow, ctx.viewer, pk(input.id, Quote, "id"), input.reason
        ),
        _built,
    )


async def quote_decline(info: Info, input: QuoteDeclineInput) -> QuotePayload:
    ctx = info.context
    return await run(
        QuotePayload,
        QuoteError,
        lambda: decisions.quote_decline(
            ctx.uow, ctx.viewer, pk(input.id, Quote, "id"), input.reason
        ),
        _built,
    )
