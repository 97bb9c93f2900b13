"""Sending a quote: the current revision is priced, frozen as a revision with its PDF, and
mailed to the customer's contact with the PDF attached."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from domain.accounts.models import Company, PortalUser
from domain.accounts.viewer import Viewer
from domain.quotes.amounts import settle_quote
from domain.quotes.documents import DocumentRenderer, render_quote
from domain.quotes.errors import QuoteErrorCode
from domain.quotes.history import record
from domain.quotes.models import Quote, QuoteLine, QuoteRevision, QuoteSettings
from domain.quotes.policies import require_quote_desk
from domain.quotes.services import get_quote, quote_lines
from domain.quotes.state import QuoteStatus
from domain.shared.errors import DomainError, ErrorCollector
from domain.shared.mail import Attachment
from domain.shared.models import utcnow
from domain.shared.ports import FileStorage
from domain.shared.uow import UnitOfWork

DEFAULT_VALIDITY_DAYS = 30


@dataclass(frozen=True, slots=True)
class SendingTools:
    """What sending needs from outside: the PDF renderer and the file storage."""

    renderer: DocumentRenderer
    files: FileStorage


def snapshot(lines: list[QuoteLine]) -> list[dict[str, object]]:
    """The lines as the customer received them (the revision history shows these)."""
    return [
        {
            "position": x.position,
            "kind": x.kind.value,
            "title": x.title,
            "description": x.description,
            "quantity": x.quantity,
            "net": x.net_amount,
            "vat": x.vat_amount,
            "vatRatePercent": str(x.vat_rate_percent),
            "priceLines": x.price_lines,
        }
        for x in lines
    ]


async def _requester_to_notify(uow: UnitOfWork, quote: Quote, to_address: str) -> int | None:
    """The portal user who asked for the quote, when the PDF went to someone else: the
    `quote_sent` notification (domain/notifications) tells them it is there. A requester who
    got the PDF mail is not told twice."""
    if quote.requested_by_id is None:
        return None
    user = await uow.session.get(PortalUser, quote.requested_by_id)
    if user is None or (user.email or "").lower() == to_address.lower():
        return None
    return user.id


async def _contact(uow: UnitOfWork, quote: Quote) -> str:
    if quote.contact_email:
        return quote.contact_email
    if quote.requested_by_id is not None:
        user = await uow.session.get(PortalUser, quote.requested_by_id)
        if user is not None and user.email:
            return user.email
    company = await uow.session.get(Company, quote.company_id)
    if company is not None and company.contact_email:
        return company.contact_email
    raise DomainError.single(
        QuoteErrorCode.NO_CONTACT, "The customer has no e-mail address; give one.", "contactEmail"
    )


def _check_sendable(quote: Quote, lines: list[QuoteLine], today: dt.date) -> None:
    if quote.status not in (QuoteStatus.REQUESTED, QuoteStatus.DRAFT):
        raise DomainError.single(
            QuoteErrorCode.INVALID_TRANSITION,
            f"A quote that is {quote.status.value} cannot be sent; change it first.",
        )
    errors = ErrorCollector()
    if not lines:
        errors.add(QuoteErrorCode.NO_LINES, "The quote has no lines.", "lines")
    for index, line in enumerate(lines):
        if line.net_amount is None:
            errors.add(
                QuoteErrorCode.UNPRICED_LINES,
                f"Line {line.position} ({line.title}) has no price yet.",
                ("lines", str(index)),
            )
    if quote.valid_until is not None and quote.valid_until < today:
        errors.add(QuoteErrorCode.INVALID_DATE, "The validity date has passed.", "validUntil")
    errors.raise_if_any()


async def quote_send(uow: UnitOfWork, viewer: Viewer, tools: SendingTools, quote_id: int) -> Quote:
    """Requires staff role ADMIN or SALES. Freezes the current revision (lines, totals, PDF),
    mails it to the customer's contact with the PDF attached, and opens it for acceptance
    until its validity date (the shop's default validity when none is set)."""
    require_quote_desk(viewer)
    async with uow:
        quote = await get_quote(uow, viewer, quote_id, for_update=True)
        lines = await quote_lines(uow, quote.id)
        settle_quote(quote, lines)
        now = utcnow()
        _check_sendable(quote, lines, now.date())
        to_address = await _contact(uow, quote)
        if quote.valid_until is None:
            settings = await uow.session.get(QuoteSettings, 1)
            days = settings.validity_days if settings else DEFAULT_VALIDITY_DAYS
            quote.valid_until = now.date() + dt.timedelta(days=days)
        previous = quote.status
        quote.status = QuoteStatus.SENT
        quote.sent_revision = quote.revision
        quote.sent_at = now
        rendered = await render_quote(uow, quote, lines)
        pdf = await tools.renderer.render_pdf(rendered.html, rendered.css)
        key, _ = await tools.files.put(pdf)
        uow.session.add(
            QuoteRevision(
                quote_id=quote.id,
                company_id=quote.company_id,
                revision=quote.revision,
                valid_until=quote.valid_until,
                currency=quote.currency,
                net_amount=quote.net_amount,
                vat_amount=quote.vat_amount,
                gross_amount=quote.gross_amount,
                lines=snapshot(lines),
                pdf_storage_key=key,
                sent_by_staff_id=viewer.user_id,
            )
        )
        filename = f"{quote.number}-r{quote.revision}.pdf"
        uow.send_mail(
            to_address,
            rendered.subject,
            rendered.body,
            [Attachment(filename, "application/pdf", pdf)],
        )
        record(
            uow,
            viewer,
            quote,
            "sent",
            f"revision {quote.revision} to {to_address}",
            from_status=previous,
            extra={"customerUserId": await _requester_to_notify(uow, quote, to_address)},
        )
        await uow.session.flush()
        await uow.commit()
        return quote


async def revision_pdf(
    uow: UnitOfWork, files: FileStorage, quote_id: int, revision: int
) -> tuple[Quote, bytes]:
    """The PDF a revision was sent with (the caller checked the signed link)."""
    row = await uow.rows(
        select(Quote, QuoteRevision.pdf_storage_key)
        .join(QuoteRevision, QuoteRevision.quote_id == Quote.id)
        .where(Quote.id == quote_id, QuoteRevision.revision == revision)
    )
    if not row or row[0][1] is None:
        raise DomainError.single(QuoteErrorCode.NOT_FOUND, "Quote not found.", "id")
    quote, key = row[0]
    return quote, await files.get(key)
