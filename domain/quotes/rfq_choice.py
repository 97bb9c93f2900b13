"""Staff pick one partner's answer, at one of the quantities it prices for each line: it
becomes the cost of the line (at that quantity), the sale price follows from the shop's
markup, the choice is kept for routing, and the other partners are told they were not
chosen."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from sqlalchemy import select

from domain.accounts.viewer import Viewer
from domain.quotes.amounts import settle_quote
from domain.quotes.errors import QuoteErrorCode
from domain.quotes.history import record
from domain.quotes.lines import reprice
from domain.quotes.models import QuoteLine, QuoteSettings, Rfq, RfqInvitation
from domain.quotes.policies import require_quote_desk
from domain.quotes.rfq_quantities import chosen_prices
from domain.quotes.services import begin_change, get_quote, quote_lines
from domain.quotes.state import QuoteLineKind, RfqInvitationStatus, RfqStatus
from domain.shared.errors import DomainError
from domain.shared.models import utcnow
from domain.shared.uow import UnitOfWork
from domain.stock.models import Supplier

DEFAULT_MARKUP = Decimal(25)


async def rfq_choose(
    uow: UnitOfWork,
    viewer: Viewer,
    invitation_id: int,
    quantities: Mapping[int, int] | None = None,
) -> Rfq:
    """Requires staff role ADMIN or SALES. The answer must be in (deadline or not: staff may
    decide early). ``quantities`` (quote line id -> quantity) picks which of the answer's
    quantities each line takes (default: the line's own, or the answer's only one); a line
    takes that quantity, re-priced by the engine beside the partner's cost. A sent quote
    becomes its next revision, as with any change."""
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
        lines = await quote_lines(uow, quote.id)
        chosen = chosen_prices(
            invitation.prices, {x.id: x.quantity for x in lines}, quantities or {}
        )
        for line in lines:
            if line.id in chosen:
                quantity, cost = chosen[line.id]
                _source(line, invitation, cost, markup)
                if quantity != line.quantity:
                    line.quantity = quantity
                    if line.kind in (QuoteLineKind.CONFIGURATION, QuoteLineKind.PART):
                        await reprice(uow, viewer, quote, line, ("quantities",))
        settle_quote(quote, lines)
        rfq.status = RfqStatus.DECIDED
        rfq.chosen_invitation_id = invitation.id
        rfq.decided_at = utcnow()
        invitation.status = RfqInvitationStatus.CHOSEN
        await _tell_the_others(uow, rfq, invitation)
        partner = await uow.session.get(Supplier, invitation.supplier_id)
        taken = ", ".join(f"{q} pieces at {net}" for q, net in chosen.values())
        record(
            uow,
            viewer,
            quote,
            "rfq decided",
            f"{rfq.number}: {partner.name if partner else invitation.supplier_id} ({taken} "
            f"{quote.currency}), markup {markup} %",
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
