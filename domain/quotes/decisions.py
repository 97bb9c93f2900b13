"""The customer's answer to a sent quote (accept into an order, or decline with a reason) and
the shop's withdrawal."""

from __future__ import annotations

from dataclasses import dataclass

from domain.accounts.viewer import Viewer
from domain.orders.models import Order
from domain.quotes.acceptance import place_quote_order, require_ordering
from domain.quotes.errors import QuoteErrorCode
from domain.quotes.expiry import expire, is_due
from domain.quotes.history import record
from domain.quotes.models import Quote
from domain.quotes.policies import require_quote_desk, require_quote_requester
from domain.quotes.services import get_quote, quote_lines
from domain.quotes.state import QuoteStatus
from domain.shared.errors import DomainError
from domain.shared.models import utcnow
from domain.shared.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class QuoteAccept:
    quote_id: int
    revision: int | None = None  # the revision the buyer read; refused if it is not current


def _refuse_closed(quote: Quote) -> None:
    if quote.status is QuoteStatus.ACCEPTED:
        raise DomainError.single(
            QuoteErrorCode.ALREADY_ACCEPTED, "This quote was accepted already.", "id"
        )
    if quote.status is QuoteStatus.EXPIRED:
        raise DomainError.single(QuoteErrorCode.EXPIRED, "This quote has expired.", "id")
    if quote.status is not QuoteStatus.SENT:
        raise DomainError.single(
            QuoteErrorCode.INVALID_TRANSITION,
            f"A quote that is {quote.status.value} cannot be answered.",
            "id",
        )


async def _open_quote(uow: UnitOfWork, viewer: Viewer, quote_id: int) -> Quote:
    """The sent quote, locked; an overdue one is expired (and that committed) and refused."""
    quote = await get_quote(uow, viewer, quote_id, for_update=True)
    now = utcnow()
    if is_due(quote, now.date()):
        await expire(uow, quote, now)
        await uow.session.flush()
        await uow.commit()
    _refuse_closed(quote)
    return quote


async def quote_accept(uow: UnitOfWork, viewer: Viewer, cmd: QuoteAccept) -> tuple[Quote, Order]:
    """Requires PLACE_ORDERS (a binding order, released to production) or REQUEST_ORDERS (a
    proposal for a colleague with APPROVE_ORDERS). The current revision becomes an order at the
    quoted prices; a quote is accepted once only, and never after it expired."""
    require_ordering(viewer)
    async with uow:
        quote = await _open_quote(uow, viewer, cmd.quote_id)
        if cmd.revision is not None and cmd.revision != quote.sent_revision:
            raise DomainError.single(
                QuoteErrorCode.OUTDATED_REVISION,
                f"Revision {quote.sent_revision} is the current one; read it first.",
                "revision",
            )
        lines = await quote_lines(uow, quote.id)
        order = await place_quote_order(uow, viewer, quote, lines)
        quote.status = QuoteStatus.ACCEPTED
        quote.order_id = order.id
        quote.accepted_by_id = viewer.user_id
        quote.closed_at = utcnow()
        record(
            uow, viewer, quote, "accepted", f"order {order.number}", from_status=QuoteStatus.SENT
        )
        await uow.session.flush()
        await uow.commit()
        return quote, order


async def quote_decline(uow: UnitOfWork, viewer: Viewer, quote_id: int, reason: str) -> Quote:
    """Requires PLACE_ORDERS or REQUEST_ORDERS, and a reason."""
    require_quote_requester(viewer)
    if not reason.strip() or len(reason) > 2000:
        raise DomainError.single(QuoteErrorCode.REQUIRED, "Say why (1-2,000 characters).", "reason")
    async with uow:
        quote = await _open_quote(uow, viewer, quote_id)
        quote.status = QuoteStatus.DECLINED
        quote.decline_reason = reason.strip()
        quote.closed_at = utcnow()
        record(uow, viewer, quote, "declined", reason.strip(), from_status=QuoteStatus.SENT)
        await uow.commit()
        return quote


async def quote_withdraw(uow: UnitOfWork, viewer: Viewer, quote_id: int, reason: str) -> Quote:
    """Requires staff role ADMIN or SALES: take back a request, draft or sent quote."""
    require_quote_desk(viewer)
    async with uow:
        quote = await get_quote(uow, viewer, quote_id, for_update=True)
        if quote.status not in (QuoteStatus.REQUESTED, QuoteStatus.DRAFT, QuoteStatus.SENT):
            raise DomainError.single(
                QuoteErrorCode.INVALID_TRANSITION,
                f"A quote that is {quote.status.value} cannot be withdrawn.",
                "id",
            )
        previous = quote.status
        quote.status = QuoteStatus.WITHDRAWN
        quote.closed_at = utcnow()
        record(uow, viewer, quote, "withdrawn", reason.strip(), from_status=previous)
        await uow.commit()
        return quote
