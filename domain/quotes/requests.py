"""A portal user's quote request from their cart ("please make me an offer"): the chosen cart
lines (or the whole cart) become the lines of a REQUESTED quote, each priced by the engine in
the cart's channel. The lines taken leave the cart, as checkout takes its lines: the request
now holds them, and they are ordered by accepting the offer (the rest of the cart stays)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from domain.accounts.viewer import Viewer
from domain.catalog.models import Channel
from domain.orders.cart import cart_lines, clear_cart
from domain.orders.models import CartLine
from domain.quotes.errors import QuoteErrorCode
from domain.quotes.lines import LineInput
from domain.quotes.models import Quote
from domain.quotes.policies import require_quote_requester
from domain.quotes.services import MAX_LINES, QuoteCreate, add_quote, check_request
from domain.shared.errors import DomainError
from domain.shared.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class QuoteRequestFromCart:
    cart_line_ids: Sequence[int] | None = None  # None: the whole cart
    title: str = ""
    request_text: str = ""
    customer_reference: str = ""


def line_of(cart_line: CartLine) -> LineInput:
    """A cart line as a quote line: a saved laser part, or a product with its values; the
    line's remarks become its description."""
    if cart_line.part_id is not None:
        return LineInput(
            quantity=cart_line.quantity, part_id=cart_line.part_id, description=cart_line.remarks
        )
    return LineInput(
        quantity=cart_line.quantity,
        product_id=cart_line.product_id,
        values=dict(cart_line.values),
        description=cart_line.remarks,
    )


async def _chosen(uow: UnitOfWork, viewer: Viewer, ids: Sequence[int] | None) -> list[CartLine]:
    lines = list(await cart_lines(uow, viewer))
    if ids is not None:
        by_id = {line.id: line for line in lines}
        for index, line_id in enumerate(ids):
            if line_id not in by_id:
                raise DomainError.single(
                    QuoteErrorCode.NOT_FOUND, "Cart line not found.", ("cartLineIds", str(index))
                )
        lines = [by_id[line_id] for line_id in dict.fromkeys(ids)]
    if not lines:
        raise DomainError.single(QuoteErrorCode.NO_LINES, "The cart is empty.", "cartLineIds")
    if len(lines) > MAX_LINES:
        raise DomainError.single(
            QuoteErrorCode.INVALID, f"At most {MAX_LINES} lines in one request.", "cartLineIds"
        )
    if len({line.channel_id for line in lines}) > 1:
        raise DomainError.single(
            QuoteErrorCode.INVALID,
            "One quote is for one shop: choose lines of one channel.",
            "cartLineIds",
        )
    return lines


async def quote_request_from_cart(
    uow: UnitOfWork, viewer: Viewer, cmd: QuoteRequestFromCart
) -> Quote:
    """Requires PLACE_ORDERS or REQUEST_ORDERS. The chosen cart lines (default: all) become
    a quote request of the viewer's company in the lines' channel; they leave the cart."""
    require_quote_requester(viewer)
    header = QuoteCreate(
        title=cmd.title, request_text=cmd.request_text, customer_reference=cmd.customer_reference
    )
    company_id = check_request(viewer, header)
    async with uow:
        chosen = await _chosen(uow, viewer, cmd.cart_line_ids)
        channel = await uow.scalar(select(Channel).where(Channel.id == chosen[0].channel_id))
        if channel is None or not channel.is_active:
            raise DomainError.single(
                QuoteErrorCode.PRODUCT_UNAVAILABLE, "The cart's shop is closed.", "cartLineIds"
            )
        request = QuoteCreate(
            title=header.title,
            request_text=header.request_text,
            customer_reference=header.customer_reference,
            lines=[line_of(line) for line in chosen],
        )
        quote = await add_quote(uow, viewer, company_id, channel, request)
        await clear_cart(uow, viewer, [line.id for line in chosen])
        await uow.commit()
        return quote
