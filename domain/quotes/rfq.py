"""Requests for quotation to partner suppliers: staff ask several partners at once for some
lines of a quote, with a deadline; partners (their supplier API key) answer with a price per
line, a delivery date and remarks or an alternative, or decline; staff pick one answer, which
becomes the lines' cost (sale price by the shop's markup) and the partner they are routed to."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, false, select, text, true

from domain.accounts.viewer import Viewer
from domain.quotes.errors import QuoteErrorCode
from domain.quotes.history import record
from domain.quotes.models import Quote, QuoteLine, Rfq, RfqInvitation
from domain.quotes.policies import require_partner, require_quote_desk
from domain.quotes.services import get_quote
from domain.quotes.state import CLOSED, RfqInvitationStatus, RfqStatus
from domain.shared.errors import DomainError, ErrorCollector
from domain.shared.models import utcnow
from domain.shared.uow import UnitOfWork
from domain.stock.models import Supplier

MAX_PARTNERS = 20
MAX_NET = 10**12


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


async def rfq_create(uow: UnitOfWork, viewer: Viewer, cmd: RfqCreate) -> Rfq:
    """Requires staff role ADMIN or SALES. Sends the lines' specification to every partner
    named (each gets an e-mail) and opens the RFQ for answers until the deadline."""
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
                    "specification": x.specification,
                }
                for x in lines
            ],
            created_by_staff_id=viewer.user_id,
        )
        uow.session.add(rfq)
        await uow.session.flush()
        for supplier in suppliers:
            uow.session.add(
                RfqInvitation(
                    rfq_id=rfq.id, supplier_id=supplier.id, status=RfqInvitationStatus.INVITED
                )
            )
            if supplier.email:
                uow.send_mail(
                    supplier.email,
                    f"Request for quotation {rfq.number}",
                    _invitation_text(supplier, rfq),
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


def _invitation_text(supplier: Supplier, rfq: Rfq) -> str:
    lines = "\n".join(
        f"- {x['title']}: {x['quantity']} pieces. {x['description']}".rstrip() for x in rfq.lines
    )
    desired = f"Desired delivery: {rfq.desired_date.isoformat()}\n" if rfq.desired_date else ""
    return (
        f"Hello {supplier.name},\n\nwe ask for your price for:\n{lines}\n\n{desired}"
        f"Please answer by {rfq.deadline.isoformat(timespec='minutes')} (UTC) through the "
        f"partner API with your API key: query `rfqs`, then `rfqAnswer` or `rfqDecline` for "
        f"{rfq.number}.\n{rfq.remarks}\n"
    )


@dataclass(frozen=True, slots=True)
class RfqAnswer:
    rfq_id: int
    prices: Sequence[tuple[int, int]] = field(default_factory=tuple)  # (quote line id, net)
    delivery_date: dt.date | None = None
    remarks: str = ""
    alternative: str = ""


async def _partner_invitation(
    uow: UnitOfWork, viewer: Viewer, rfq_id: int
) -> tuple[Rfq, RfqInvitation]:
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
    return rfq, invitation


def _check_prices(rfq: Rfq, cmd: RfqAnswer) -> list[dict[str, int]]:
    asked = {int(x["quoteLineId"]): int(x["quantity"]) for x in rfq.lines}
    given = dict(cmd.prices)
    errors = ErrorCollector()
    for index, (line_id, net) in enumerate(cmd.prices):
        if line_id not in asked:
            errors.add(
                QuoteErrorCode.NOT_FOUND,
                "Not a line of this RFQ.",
                ("prices", str(index), "quoteLineId"),
            )
        if not 0 <= net <= MAX_NET:
            errors.add(QuoteErrorCode.INVALID_PRICE, "Not a price.", ("prices", str(index), "net"))
    missing = [line_id for line_id in asked if line_id not in given]
    if missing:
        errors.add(QuoteErrorCode.REQUIRED, "Give a price for every line asked for.", "prices")
    if len(cmd.remarks) > 5000 or len(cmd.alternative) > 5000:
        errors.add(QuoteErrorCode.INVALID, "At most 5,000 characters.", "remarks")
    errors.raise_if_any()
    return [{"quoteLineId": k, "quantity": asked[k], "net": given[k]} for k in asked]


async def rfq_answer(uow: UnitOfWork, viewer: Viewer, cmd: RfqAnswer) -> RfqInvitation:
    """Requires a partner's API key, before the deadline: a net price for each line asked for
    (for its whole quantity), a delivery date, remarks and an alternative offer if any. A
    partner may change its answer until the deadline."""
    async with uow:
        rfq, invitation = await _partner_invitation(uow, viewer, cmd.rfq_id)
        invitation.prices = _check_prices(rfq, cmd)
        invitation.delivery_date = cmd.delivery_date
        invitation.remarks = cmd.remarks.strip()
        invitation.alternative = cmd.alternative.strip()
        invitation.status = RfqInvitationStatus.ANSWERED
        invitation.answered_at = utcnow()
        await _note_on_quote(uow, viewer, rfq, f"{rfq.number}: answered")
        await uow.commit()
        return invitation


async def rfq_decline(uow: UnitOfWork, viewer: Viewer, rfq_id: int, reason: str) -> RfqInvitation:
    """Requires a partner's API key, before the deadline: the partner will not bid."""
    async with uow:
        rfq, invitation = await _partner_invitation(uow, viewer, rfq_id)
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
