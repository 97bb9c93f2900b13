"""Staff pick one partner's answer: it becomes the cost of the lines asked for, the sale price
follows from the shop's markup, the choice is kept for routing, and the other partners are
told they were not chosen."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from domain.accounts.viewer import Viewer
from domain.quotes.amounts import settle_quote
from domain.quotes.errors import QuoteErrorCode
from domain.quotes.history import record
from domain.quotes.models import QuoteLine, QuoteSettings, Rfq, RfqInvitation
from domain.quotes.policies import require_quote_desk
from domain.quotes.services import begin_change, get_quote, quote_lines
from domain.quotes.state import RfqInvitationStatus, RfqStatus
from domain.shared.errors import DomainError
from domain.shared.models import utcnow
from domain.shared.uow import UnitOfWork
from domain.stock.models import Supplier

DEFAULT_MARKUP = Decimal(25)


async def rfq_choose(uow: UnitOfWork, viewer: Viewer, invitation_id: int) -> Rfq:
    """Requires staff role ADMIN or SALES. The answer must be in (deadline or not: staff may
    decide early). A sent quote becomes its next revision, as with any change."""
    require_quote_desk(viewer)
    async with uow:
        invitation: RfqInvitation | None = await uow.session.get(
            RfqInvitation, invitation_id, with_for_update=True
        )
        if invitation is None:
            raise DomainError.single(QuoteErrorCode.NOT_FOUND, "Answer not found.", "id")
        rfq = await uow.session.get(Rfq, invitation.rfq_id, with_for_update=True)
        assert rfq is not None
        if rfq.status is not RfqStatus.OPEN:
            raise DomainError.single(QuoteErrorCode.RFQ_CLOSED, "This RFQ is decided.", "id")
        if invitation.status is not RfqInvitationStatus.ANSWERED:
            raise DomainError.single(
                QuoteErrorCode.NOT_ANSWERED, "This partner has not answered with a price.", "id"
            )
        quote = await get_quote(uow, viewer, rfq.quote_id, for_update=True)
        await begin_change(uow, viewer, quote)
        settings = await uow.session.get(QuoteSettings, 1)
        markup = settings.partner_markup_percent if settings else DEFAULT_MARKUP
        prices = {int(p["quoteLineId"]): int(p["net"]) for p in invitation.prices}
        lines = await quote_lines(uow, quote.id)
        for line in lines:
            if line.id in prices:
                _source(line, invitation, prices[line.id], markup)
        settle_quote(quote, lines)
        rfq.status = RfqStatus.DECIDED
        rfq.chosen_invitation_id = invitation.id
        rfq.decided_at = utcnow()
        invitation.status = RfqInvitationStatus.CHOSEN
        await _tell_the_others(uow, rfq, invitation)
        chosen = await uow.session.get(Supplier, invitation.supplier_id)
        record(
            uow,
            viewer,
            quote,
            "rfq decided",
            f"{rfq.number}: {chosen.name if chosen else invitation.supplier_id}, markup {markup} %",
        )
        uow.record_event("rfq.decided", None, {"rfqId": rfq.id, "number": rfq.number})
        await uow.session.flush()
        await uow.commit()
        return rfq


def _source(line: QuoteLine, invitation: RfqInvitation, cost: int, markup: Decimal) -> None:
    line.cost_net = cost
    line.markup_percent = markup
    line.supplier_id = invitation.supplier_id
    line.rfq_invitation_id = invitation.id
    line.supplier_delivery_date = invitation.delivery_date


async def _tell_the_others(uow: UnitOfWork, rfq: Rfq, chosen: RfqInvitation) -> None:
    rows = await uow.rows(
        select(RfqInvitation, Supplier)
        .join(Supplier, Supplier.id == RfqInvitation.supplier_id)
        .where(RfqInvitation.rfq_id == rfq.id, RfqInvitation.id != chosen.id)
        .order_by(RfqInvitation.id)
    )
    for other, supplier in rows:
        if other.status is RfqInvitationStatus.DECLINED:
            continue
        other.status = RfqInvitationStatus.NOT_CHOSEN
        if supplier.email:
            uow.send_mail(
                supplier.email,
                f"Request for quotation {rfq.number}: not chosen",
                f"Hello {supplier.name},\n\nthank you for your answer to {rfq.number}. We chose "
                "another offer this time.\n",
            )
