"""Requests for quotation to partner suppliers: staff ask several partners at once for some
lines of a quote (one or more quantities a line), with a deadline; partners (their supplier
API key) answer with a price per line and quantity, a delivery date and remarks or an
alternative, or decline; staff compare the answers per quantity and pick one, which becomes
the line's cost (sale price by the shop's markup) and the partner it is routed to."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, false, select, text, true

from domain.accounts.viewer import Viewer
from domain.quotes.errors import QuoteErrorCode
from domain.quotes.history import record
from domain.quotes.models import Quote, QuoteLine, Rfq, RfqInvitation
from domain.quotes.policies import require_partner, require_quote_desk
from domain.quotes.rfq_quantities import PriceGiven, asked_quantities, checked_prices
from domain.quotes.rfq_tokens import invitation_by_token, new_token, partner_of
from domain.quotes.services import get_quote
from domain.quotes.state import CLOSED, RfqInvitationStatus, RfqStatus
from domain.shared.errors import DomainError, ErrorCollector
from domain.shared.models import utcnow
from domain.shared.uow import UnitOfWork
from domain.stock.models import Supplier

MAX_PARTNERS = 20


def rfq_scope(viewer: Viewer) -> ColumnElement[bool]:
    """Staff see every RFQ; a partner only those addressed to it; nobody else any."""
    if viewer.is_staff:
        return true()
    if viewer.is_supplier and viewer.supplier_id is not None:
        invited = select(RfqInvitation.rfq_id).where(
            RfqInvitation.supplier_id == viewer.supplier_id
        )
        return Rfq.id.in_(invited)
    return false()


def invitation_scope(viewer: Viewer) -> ColumnElement[bool]:
    """Staff see every answer; a partner its own; nobody else any."""
    if viewer.is_staff:
        return true()
    if viewer.is_supplier and viewer.supplier_id is not None:
        return RfqInvitation.supplier_id == viewer.supplier_id
    return false()


@dataclass(frozen=True, slots=True)
class RfqCreate:
    quote_id: int
    quote_line_ids: Sequence[int]
    supplier_ids: Sequence[int]
    deadline: dt.datetime
    desired_date: dt.date | None = None
    remarks: str = ""
    # Quantities to ask per quote line (default: the line's own quantity).
    quantities: Mapping[int, Sequence[int]] = field(default_factory=dict)
    # Where the mailed link points (the API's GraphQL endpoint); the token is appended.
    answer_url: str = "/graphql"


async def rfq_create(uow: UnitOfWork, viewer: Viewer, cmd: RfqCreate) -> Rfq:
    """Requires staff role ADMIN or SALES. Sends the lines' specification and the quantities
    asked to every partner named (each gets an e-mail) and opens the RFQ for answers until
    the deadline."""
    require_quote_desk(viewer)
    errors = ErrorCollector()
    if not cmd.quote_line_ids:
        errors.add(QuoteErrorCode.REQUIRED, "Name the lines to ask for.", "quoteLineIds")
    if not cmd.supplier_ids or len(set(cmd.supplier_ids)) > MAX_PARTNERS:
        errors.add(QuoteErrorCode.REQUIRED, f"Ask 1 to {MAX_PARTNERS} partners.", "supplierIds")
    if cmd.deadline <= utcnow():
        errors.add(QuoteErrorCode.INVALID_DATE, "The deadline is in the past.", "deadline")
    errors.raise_if_any()
    async with uow:
        quote = await get_quote(uow, viewer, cmd.quote_id, for_update=True)
        if quote.status in CLOSED:
            raise DomainError.single(
                QuoteErrorCode.NOT_EDITABLE, f"The quote is {quote.status.value}.", "quoteId"
            )
        lines = list(
            await uow.scalars(
                select(QuoteLine)
                .where(QuoteLine.id.in_(cmd.quote_line_ids), QuoteLine.quote_id == quote.id)
                .order_by(QuoteLine.position)
            )
        )
        if len(lines) != len(set(cmd.quote_line_ids)):
            raise DomainError.single(
                QuoteErrorCode.NOT_FOUND, "Quote line not found.", "quoteLineIds"
            )
        if set(cmd.quantities) - {x.id for x in lines}:
            raise DomainError.single(
                QuoteErrorCode.NOT_FOUND, "Not a line asked for.", "quantities"
            )
        suppliers = list(
            await uow.scalars(
                select(Supplier)
                .where(Supplier.id.in_(cmd.supplier_ids), Supplier.is_active.is_(True))
                .order_by(Supplier.id)
            )
        )
        if len(suppliers) != len(set(cmd.supplier_ids)):
            raise DomainError.single(
                QuoteErrorCode.SUPPLIER_UNAVAILABLE, "Supplier not found.", "supplierIds"
            )
        number = await uow.scalar(select(text("nextval('rfq_number_seq')")))
        rfq = Rfq(
            number=f"r-{number}",
            quote_id=quote.id,
            company_id=quote.company_id,
            currency=quote.currency,
            status=RfqStatus.OPEN,
            deadline=cmd.deadline,
            desired_date=cmd.desired_date,
            remarks=cmd.remarks.strip(),
            lines=[
                {
                    "quoteLineId": x.id,
                    "position": x.position,
                    "title": x.title,
                    "description": x.description,
                    "quantity": x.quantity,
                    "quantities": asked_quantities(
                        x.quantity, cmd.quantities.get(x.id), ("quantities",)
                    ),
                    "specification": x.specification,
                }
                for x in lines
            ],
            created_by_staff_id=viewer.user_id,
        )
        uow.session.add(rfq)
        await uow.session.flush()
        for supplier in suppliers:
            token, token_hash = new_token()
            uow.session.add(
                RfqInvitation(
                    rfq_id=rfq.id,
                    supplier_id=supplier.id,
                    status=RfqInvitationStatus.INVITED,
                    token_hash=token_hash,
                )
            )
            if supplier.email:
                uow.send_mail(
                    supplier.email,
                    f"Request for quotation {rfq.number}",
                    _invitation_text(supplier, rfq, token, cmd.answer_url),
                )
        record(
            uow,
            viewer,
            quote,
            "rfq sent",
            f"{rfq.number} to {', '.join(s.name for s in suppliers)}",
        )
        await uow.session.flush()
        uow.record_event("rfq.opened", None, {"rfqId": rfq.id, "number": rfq.number})
        await uow.commit()
        return rfq


def _pieces(line: dict[str, object]) -> str:
    quantities = line.get("quantities") or [line["quantity"]]
    assert isinstance(quantities, list)
    return " / ".join(f"{q} pieces" for q in quantities)


def _invitation_text(supplier: Supplier, rfq: Rfq, token: str, answer_url: str) -> str:
    lines = "\n".join(
        f"- {x['title']}: {_pieces(x)}. {x['description']}".rstrip() for x in rfq.lines
    )
    desired = f"Desired delivery: {rfq.desired_date.isoformat()}\n" if rfq.desired_date else ""
    return (
        f"Hello {supplier.name},\n\nwe ask for your price for:\n{lines}\n\n{desired}"
        f"Please answer by {rfq.deadline.isoformat(timespec='minutes')} (UTC).\n\n"
        f"Without a login: your personal link (keep it to yourself)\n"
        f"{answer_url}?token={token}\n"
        f"Send the token to that GraphQL endpoint: query `rfqByToken(token: ...)`, then "
        f"`rfqAnswer` or `rfqDecline` with the token in the input.\n"
        f"With your partner API key or partner login: query `rfqs`, then `rfqAnswer` or "
        f"`rfqDecline` for {rfq.number}.\n{rfq.remarks}\n"
    )


@dataclass(frozen=True, slots=True)
class RfqAnswer:
    rfq_id: int
    prices: Sequence[PriceGiven] = field(default_factory=tuple)
    delivery_date: dt.date | None = None
    remarks: str = ""
    alternative: str = ""
    token: str | None = None  # the mailed link's token, instead of a partner login or key


async def _partner_invitation(
    uow: UnitOfWork, viewer: Viewer, rfq_id: int, token: str | None
) -> tuple[Viewer, Rfq, RfqInvitation]:
    """The invitation the partner answers, locked, with who acts: the partner logged in (its
    API key or a partner user), or the partner whose mailed token is given."""
    if token:
        found = await invitation_by_token(uow, token, for_update=True)
        if found is None or found[0].id != rfq_id:
            raise DomainError.single(QuoteErrorCode.NOT_FOUND, "RFQ not found.", "rfqId")
        rfq, invitation = found
        viewer = partner_of(invitation)
    else:
        supplier_id = require_partner(viewer)
        row = await uow.rows(
            select(Rfq, RfqInvitation)
            .join(RfqInvitation, RfqInvitation.rfq_id == Rfq.id)
            .where(Rfq.id == rfq_id, RfqInvitation.supplier_id == supplier_id)
            .with_for_update(of=RfqInvitation)
        )
        if not row:
            raise DomainError.single(QuoteErrorCode.NOT_FOUND, "RFQ not found.", "rfqId")
        rfq, invitation = row[0]
    if rfq.status is not RfqStatus.OPEN:
        raise DomainError.single(QuoteErrorCode.RFQ_CLOSED, "This RFQ is closed.", "rfqId")
    if utcnow() > rfq.deadline:
        raise DomainError.single(
            QuoteErrorCode.DEADLINE_PASSED,
            f"The deadline was {rfq.deadline.isoformat(timespec='minutes')}.",
            "rfqId",
        )
    if invitation.status is RfqInvitationStatus.DECLINED:
        raise DomainError.single(QuoteErrorCode.ALREADY_ANSWERED, "You declined this RFQ.", "rfqId")
    return viewer, rfq, invitation


async def rfq_answer(uow: UnitOfWork, viewer: Viewer, cmd: RfqAnswer) -> RfqInvitation:
    """Requires a partner's API key or partner login, or the mailed token (``cmd.token``),
    before the deadline: a net price for each line asked for
    at one or more of the quantities asked (each net for that whole quantity), a delivery
    date, remarks and an alternative offer if any. A partner may change its answer until the
    deadline."""
    if len(cmd.remarks) > 5000 or len(cmd.alternative) > 5000:
        raise DomainError.single(QuoteErrorCode.INVALID, "At most 5,000 characters.", "remarks")
    async with uow:
        viewer, rfq, invitation = await _partner_invitation(uow, viewer, cmd.rfq_id, cmd.token)
        invitation.prices = checked_prices(rfq.lines, cmd.prices)
        invitation.delivery_date = cmd.delivery_date
        invitation.remarks = cmd.remarks.strip()
        invitation.alternative = cmd.alternative.strip()
        invitation.status = RfqInvitationStatus.ANSWERED
        invitation.answered_at = utcnow()
        await _note_on_quote(uow, viewer, rfq, f"{rfq.number}: answered")
        await uow.commit()
        return invitation


async def rfq_decline(
    uow: UnitOfWork, viewer: Viewer, rfq_id: int, reason: str, token: str | None = None
) -> RfqInvitation:
    """Requires a partner's API key or partner login, or the mailed token, before the
    deadline: the partner will not bid."""
    async with uow:
        viewer, rfq, invitation = await _partner_invitation(uow, viewer, rfq_id, token)
        invitation.status = RfqInvitationStatus.DECLINED
        invitation.decline_reason = reason.strip()[:2000] or None
        invitation.answered_at = utcnow()
        await _note_on_quote(uow, viewer, rfq, f"{rfq.number}: declined")
        await uow.commit()
        return invitation


async def _note_on_quote(uow: UnitOfWork, viewer: Viewer, rfq: Rfq, detail: str) -> None:
    quote = await uow.session.get(Quote, rfq.quote_id)
    assert quote is not None
    record(uow, viewer, quote, "rfq answer", detail)
    uow.record_event("rfq.answered", None, {"rfqId": rfq.id, "number": rfq.number})
