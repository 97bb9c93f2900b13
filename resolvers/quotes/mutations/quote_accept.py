"""quoteAccept: the buyer accepts the current revision; an order is placed."""

from __future__ import annotations

from typing import Any

from domain.orders.models import Order as OrderModel
from domain.quotes import decisions
from domain.quotes.models import Quote as QuoteModel
from resolvers.mutation import run
from resolvers.quotes.ids import pk
from schema.context import Info
from schema.orders.types import Order
from schema.quotes.inputs import QuoteAcceptInput
from schema.quotes.payloads import QuoteAcceptPayload
from schema.quotes.quote import Quote
from schema.quotes.types import QuoteError


async def quote_accept(info: Info, input: QuoteAcceptInput) -> QuoteAcceptPayload:
    ctx = info.context

    async def action() -> tuple[QuoteModel, OrderModel]:
        cmd = decisions.QuoteAccept(quote_id=pk(input.id, Quote, "id"), revision=input.revision)
        return await decisions.quote_accept(ctx.uow, ctx.viewer, cmd)

    def build(result: tuple[QuoteModel, OrderModel]) -> dict[str, Any]:
        quote, order = result
        return {"quote": Quote.from_model(quote), "order": Order.from_model(order)}

    return await run(QuoteAcceptPayload, QuoteError, action, build)
