"""Creating and editing quotes: staff drafts for a customer, portal users' quote requests,
lines priced by the engine or by hand, per-line overrides with who/when/why, and revisions
(a sent quote that is changed becomes the next revision, a draft until it is sent again)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select, text

from domain.accounts.models import Company
from domain.accounts.viewer import Viewer
from domain.catalog.models import Channel
from domain.catalog.services import channel_for
from domain.quotes.amounts import settle_quote
from domain.quotes.errors import QuoteErrorCode
from domain.quotes.history import record
from domain.quotes.lines import MAX_NET, LineInput, build_line, reprice
from domain.quotes.models import Quote, QuoteLine
from domain.quotes.policies import quote_scope, require_quote_desk, require_quote_requester
from domain.quotes.state import QuoteLineKind, QuoteStatus
from domain.shared.errors import DomainError
from domain.shared.models import utcnow
from domain.shared.unset import UNSET, Unset
from domain.shared.uow import UnitOfWork

MAX_LINES = 100


@dataclass(frozen=True, slots=True)
class QuoteCreate:
    """Staff: ``company_id`` names the customer. A portal user's request is for their own."""

    company_id: int | None = None
    channel: str | None = None
    title: str = ""
    request_text: str = ""
    customer_reference: str = ""
    valid_until: dt.date | None = None
    contact_email: str | None = None
    lines: Sequence[LineInput] = field(default_factory=tuple)


async def get_quote(
    uow: UnitOfWork, viewer: Viewer, quote_id: int, *, for_update: bool = False
) -> Quote:
    """A quote the viewer may see, else NOT_FOUND (another company's answers the same)."""
    stmt = select(Quote).where(Quote.id == quote_id, quote_scope(viewer))
    if for_update:
        stmt = stmt.with_for_update()
    quote: Quote | None = await uow.scalar(stmt)
    if quote is None:
        raise DomainError.single(QuoteErrorCode.NOT_FOUND, "Quote not found.", "id")
    return quote


async def quote_lines(uow: UnitOfWork, quote_id: int) -> list[QuoteLine]:
    return list(
        await uow.scalars(
            select(QuoteLine).where(QuoteLine.quote_id == quote_id).order_by(QuoteLine.position)
        )
    )


def _check_header(title: str, text_: str, reference: str) -> None:
    if len(title) > 200:
        raise DomainError.single(QuoteErrorCode.INVALID, "At most 200 characters.", "title")
    if len(text_) > 10_000:
        raise DomainError.single(
            QuoteErrorCode.INVALID, "At most 10,000 characters.", "requestText"
        )
    if len(reference) > 100:
        raise DomainError.single(
            QuoteErrorCode.INVALID, "At most 100 characters.", "customerReference"
        )


def check_request(viewer: Viewer, cmd: QuoteCreate) -> int:
    """The customer company of a new quote, after the checks that need no database."""
    if viewer.is_portal:
        require_quote_requester(viewer)
        if cmd.company_id not in (None, viewer.company_id):
            raise DomainError.single(QuoteErrorCode.NOT_FOUND, "Company not found.", "companyId")
        assert viewer.company_id is not None
        company_id = viewer.company_id
    else:
        require_quote_desk(viewer)
        if cmd.company_id is None:
            raise DomainError.single(
                QuoteErrorCode.REQUIRED, "Name the customer company.", "companyId"
            )
        company_id = cmd.company_id
    _check_header(cmd.title, cmd.request_text, cmd.customer_reference)
    if len(cmd.lines) > MAX_LINES:
        raise DomainError.single(QuoteErrorCode.INVALID, "Too many lines.", "lines")
    if cmd.valid_until is not None and cmd.valid_until < utcnow().date():
        raise DomainError.single(QuoteErrorCode.INVALID_DATE, "In the past.", "validUntil")
    return company_id


async def quote_create(uow: UnitOfWork, viewer: Viewer, cmd: QuoteCreate) -> Quote:
    """Staff (role ADMIN or SALES) start a draft for a customer company; a portal user with
    PLACE_ORDERS or REQUEST_ORDERS asks for an offer (a REQUESTED quote of their company).
    Lines are priced by the engine where they can be."""
    company_id = check_request(viewer, cmd)
    async with uow:
        channel: Channel = await channel_for(uow, viewer, cmd.channel)
        quote = await add_quote(uow, viewer, company_id, channel, cmd)
        await uow.commit()
        return quote


async def add_quote(
    uow: UnitOfWork, viewer: Viewer, company_id: int, channel: Channel, cmd: QuoteCreate
) -> Quote:
    """Inside a creating command: the quote (a staff draft or a portal user's request) with
    its lines priced, and its first history entry."""
    company = await uow.session.get(Company, company_id)
    if company is None:
        raise DomainError.single(QuoteErrorCode.NOT_FOUND, "Company not found.", "companyId")
    number = await uow.scalar(select(text("nextval('quote_number_seq')")))
    quote = Quote(
        number=f"q-{number}",
        company_id=company.id,
        channel_id=channel.id,
        status=QuoteStatus.REQUESTED if viewer.is_portal else QuoteStatus.DRAFT,
        revision=1,
        sent_revision=0,
        title=cmd.title.strip(),
        request_text=cmd.request_text.strip(),
        customer_reference=cmd.customer_reference.strip(),
        valid_until=cmd.valid_until,
        contact_email=(cmd.contact_email or "").strip() or None,
        requested_by_id=viewer.user_id if viewer.is_portal else None,
        created_by_staff_id=viewer.user_id if viewer.is_staff else None,
        currency=channel.currency,
    )
    uow.session.add(quote)
    await uow.session.flush()
    lines = []
    for index, line_cmd in enumerate(cmd.lines):
        line = await build_line(uow, viewer, quote, line_cmd, index + 1, ("lines", str(index)))
        uow.session.add(line)
        lines.append(line)
    settle_quote(quote, lines)
    await uow.session.flush()
    record(uow, viewer, quote, "requested" if viewer.is_portal else "created", new=True)
    return quote


async def begin_change(uow: UnitOfWork, viewer: Viewer, quote: Quote) -> None:
    """Staff change a quote: a request becomes a draft; a sent quote becomes the next
    revision (a draft until sent again); a closed quote cannot change."""
    if quote.status in (QuoteStatus.REQUESTED, QuoteStatus.SENT):
        previous = quote.status
        if previous is QuoteStatus.SENT:
            quote.revision += 1
        quote.status = QuoteStatus.DRAFT
        record(
            uow,
            viewer,
            quote,
            "revised" if previous is QuoteStatus.SENT else "taken up",
            f"revision {quote.revision}",
            from_status=previous,
        )
    elif quote.status is not QuoteStatus.DRAFT:
        raise DomainError.single(
            QuoteErrorCode.NOT_EDITABLE, f"A quote that is {quote.status.value} cannot change."
        )


async def _staff_quote(uow: UnitOfWork, viewer: Viewer, quote_id: int) -> Quote:
    require_quote_desk(viewer)
    quote = await get_quote(uow, viewer, quote_id, for_update=True)
    await begin_change(uow, viewer, quote)
    return quote


async def quote_line_add(uow: UnitOfWork, viewer: Viewer, quote_id: int, cmd: LineInput) -> Quote:
    """Requires staff role ADMIN or SALES. Adds a line priced by the engine (a product with
    its configuration, a laser part of the customer) or by hand (a stock item, a free line)."""
    async with uow:
        quote = await _staff_quote(uow, viewer, quote_id)
        lines = await quote_lines(uow, quote.id)
        if len(lines) >= MAX_LINES:
            raise DomainError.single(QuoteErrorCode.INVALID, "Too many lines.", "line")
        position = max((x.position for x in lines), default=0) + 1
        line = await build_line(uow, viewer, quote, cmd, position, ("line",))
        uow.session.add(line)
        settle_quote(quote, [*lines, line])
        await uow.session.flush()
        record(uow, viewer, quote, "line added", f"{position}: {line.title} x {line.quantity}")
        await uow.commit()
        return quote


@dataclass(frozen=True, slots=True)
class QuoteLineUpdate:
    quantity: int | None = None
    title: str | None = None
    description: str | None = None
    net: int | Unset | None = UNSET  # the hand-set price of a free or stock line
    vat_rate_percent: Decimal | None = None


async def _owned_line(uow: UnitOfWork, viewer: Viewer, line_id: int) -> tuple[Quote, QuoteLine]:
    line: QuoteLine | None = await uow.scalar(
        select(QuoteLine)
        .join(Quote, Quote.id == QuoteLine.quote_id)
        .where(QuoteLine.id == line_id, quote_scope(viewer))
    )
    if line is None:
        raise DomainError.single(QuoteErrorCode.NOT_FOUND, "Quote line not found.", "lineId")
    return await _staff_quote(uow, viewer, line.quote_id), line


async def quote_line_update(
    uow: UnitOfWork, viewer: Viewer, line_id: int, cmd: QuoteLineUpdate
) -> Quote:
    """Requires staff role ADMIN or SALES. A new quantity re-prices an engine line."""
    require_quote_desk(viewer)
    async with uow:
        quote, line = await _owned_line(uow, viewer, line_id)
        if cmd.quantity is not None:
            if not 1 <= cmd.quantity <= 10_000_000:
                raise DomainError.single(
                    QuoteErrorCode.INVALID_QUANTITY, "From 1 to 10,000,000.", "quantity"
                )
            line.quantity = cmd.quantity
        if cmd.title is not None and cmd.title.strip():
            line.title = cmd.title.strip()[:300]
        if cmd.description is not None:
            line.description = cmd.description.strip()
        if cmd.vat_rate_percent is not None:
            if not Decimal(0) <= cmd.vat_rate_percent <= Decimal(100):
                raise DomainError.single(QuoteErrorCode.INVALID, "0 to 100 %.", "vatRatePercent")
            line.vat_rate_percent = cmd.vat_rate_percent
        if cmd.net is not UNSET:
            if line.kind not in (QuoteLineKind.FREE, QuoteLineKind.STOCK_ITEM):
                raise DomainError.single(
                    QuoteErrorCode.INVALID,
                    "The engine prices this line; use an override to change its price.",
                    "net",
                )
            net = None if cmd.net is None else int(cmd.net)
            if net is not None and not 0 <= net <= MAX_NET:
                raise DomainError.single(QuoteErrorCode.INVALID_PRICE, "Not a price.", "net")
            line.engine_net = net
        if line.kind in (QuoteLineKind.CONFIGURATION, QuoteLineKind.PART):
            await reprice(uow, viewer, quote, line, ())
        settle_quote(quote, await quote_lines(uow, quote.id))
        record(uow, viewer, quote, "line changed", f"{line.position}: {line.title}")
        await uow.commit()
        return quote


async def quote_line_override(
    uow: UnitOfWork, viewer: Viewer, line_id: int, net: int | None, reason: str
) -> Quote:
    """Requires staff role ADMIN or SALES. Sets (or with null clears) a hand-made net for the
    line, keeping the engine's price and breakdown beside it; who, when and why are kept."""
    require_quote_desk(viewer)
    if net is not None and not 0 <= net <= MAX_NET:
        raise DomainError.single(QuoteErrorCode.INVALID_PRICE, "Not a price.", "net")
    if net is not None and not reason.strip():
        raise DomainError.single(QuoteErrorCode.REQUIRED, "Say why the price changes.", "reason")
    async with uow:
        quote, line = await _owned_line(uow, viewer, line_id)
        before = line.net_amount
        line.override_net = net
        line.override_reason = reason.strip() if net is not None else None
        line.override_by_staff_id = viewer.user_id if net is not None else None
        line.override_at = utcnow() if net is not None else None
        settle_quote(quote, await quote_lines(uow, quote.id))
        record(
            uow,
            viewer,
            quote,
            "price overridden" if net is not None else "override removed",
            f"{line.position}: {before} -> {line.net_amount} {quote.currency} ({reason.strip()})",
        )
        await uow.commit()
        return quote


async def quote_line_remove(uow: UnitOfWork, viewer: Viewer, line_id: int) -> Quote:
    """Requires staff role ADMIN or SALES."""
    require_quote_desk(viewer)
    async with uow:
        quote, line = await _owned_line(uow, viewer, line_id)
        await uow.session.delete(line)
        await uow.session.flush()
        settle_quote(quote, await quote_lines(uow, quote.id))
        record(uow, viewer, quote, "line removed", f"{line.position}: {line.title}")
        await uow.commit()
        return quote


@dataclass(frozen=True, slots=True)
class QuoteUpdate:
    title: str | None = None
    terms: str | None = None
    customer_reference: str | None = None
    valid_until: dt.date | None = None
    contact_email: str | None = None


async def quote_update(uow: UnitOfWork, viewer: Viewer, quote_id: int, cmd: QuoteUpdate) -> Quote:
    """Requires staff role ADMIN or SALES: title, terms, validity date, contact."""
    require_quote_desk(viewer)
    _check_header(cmd.title or "", "", cmd.customer_reference or "")
    if cmd.valid_until is not None and cmd.valid_until < utcnow().date():
        raise DomainError.single(QuoteErrorCode.INVALID_DATE, "In the past.", "validUntil")
    async with uow:
        quote = await _staff_quote(uow, viewer, quote_id)
        if cmd.title is not None:
            quote.title = cmd.title.strip()
        if cmd.terms is not None:
            quote.terms = cmd.terms.strip()
        if cmd.customer_reference is not None:
            quote.customer_reference = cmd.customer_reference.strip()
        if cmd.valid_until is not None:
            quote.valid_until = cmd.valid_until
        if cmd.contact_email is not None:
            quote.contact_email = cmd.contact_email.strip() or None
        record(uow, viewer, quote, "details changed")
        await uow.commit()
        return quote
