"""The shop's quote settings (markup on partner costs, default validity and terms) and the
editable quote templates per channel."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from domain.accounts.viewer import Viewer
from domain.catalog.models import Channel
from domain.quotes.documents import DEFAULT, Templates, render
from domain.quotes.errors import QuoteErrorCode
from domain.quotes.models import QuoteSettings, QuoteTemplate
from domain.quotes.policies import require_quote_desk
from domain.shared.errors import DomainError
from domain.shared.uow import UnitOfWork


async def quote_settings(uow: UnitOfWork) -> QuoteSettings:
    found = await uow.session.get(QuoteSettings, 1)
    return found or QuoteSettings(
        id=1, partner_markup_percent=Decimal(25), validity_days=30, default_terms=""
    )


@dataclass(frozen=True, slots=True)
class QuoteSettingsUpdate:
    partner_markup_percent: Decimal | None = None
    validity_days: int | None = None
    default_terms: str | None = None


async def quote_settings_update(
    uow: UnitOfWork, viewer: Viewer, cmd: QuoteSettingsUpdate
) -> QuoteSettings:
    """Requires staff role ADMIN or SALES."""
    require_quote_desk(viewer)
    if cmd.partner_markup_percent is not None and not (
        Decimal(-50) <= cmd.partner_markup_percent <= Decimal(1000)
    ):
        raise DomainError.single(
            QuoteErrorCode.INVALID, "A markup from -50 to 1000 %.", "partnerMarkupPercent"
        )
    if cmd.validity_days is not None and not 1 <= cmd.validity_days <= 365:
        raise DomainError.single(QuoteErrorCode.INVALID, "1 to 365 days.", "validityDays")
    async with uow:
        row = await uow.session.get(QuoteSettings, 1, with_for_update=True)
        if row is None:
            row = await quote_settings(uow)
            uow.session.add(row)
        if cmd.partner_markup_percent is not None:
            row.partner_markup_percent = cmd.partner_markup_percent
        if cmd.validity_days is not None:
            row.validity_days = cmd.validity_days
        if cmd.default_terms is not None:
            row.default_terms = cmd.default_terms.strip()
        await uow.session.flush()
        await uow.commit()
        return row


SAMPLE = {
    "shop": {"name": "Shop", "address": "", "terms": ""},
    "company": {"name": "Customer", "contact_name": "", "vat_id": ""},
    "address": None,
    "quote": {
        "number": "q-1",
        "revision": 1,
        "title": "",
        "date": "2030-01-01",
        "valid_until": "2030-01-31",
        "customer_reference": "",
        "terms": "",
    },
    "lines": [
        {
            "position": 1,
            "title": "Line",
            "description": "",
            "quantity": 1,
            "vat_rate": "19",
            "net": "EUR 1.00",
            "breakdown": [],
        }
    ],
    "totals": {"net": "EUR 1.00", "vat": "EUR 0.19", "gross": "EUR 1.19"},
}


async def quote_template(uow: UnitOfWork, channel_id: int | None) -> Templates:
    row: QuoteTemplate | None = await uow.scalar(
        select(QuoteTemplate).where(
            QuoteTemplate.channel_id == channel_id
            if channel_id is not None
            else QuoteTemplate.channel_id.is_(None)
        )
    )
    if row is None:
        return DEFAULT
    return Templates(row.mail_subject, row.mail_body, row.document_html, row.document_css)


async def quote_template_update(
    uow: UnitOfWork, viewer: Viewer, channel_id: int | None, templates: Templates
) -> Templates:
    """Requires staff role ADMIN or SALES. The templates of one channel (brand), or with no
    channel the shop's default; tried on sample values first, so a broken one is refused."""
    require_quote_desk(viewer)
    for name, value in (
        ("mailSubject", templates.mail_subject),
        ("mailBody", templates.mail_body),
        ("documentHtml", templates.document_html),
    ):
        if not value.strip() or len(value) > 200_000:
            raise DomainError.single(QuoteErrorCode.REQUIRED, "1 to 200,000 characters.", name)
    render(templates, SAMPLE)
    async with uow:
        if channel_id is not None and await uow.session.get(Channel, channel_id) is None:
            raise DomainError.single(QuoteErrorCode.NOT_FOUND, "Channel not found.", "channelId")
        row = await uow.scalar(
            select(QuoteTemplate)
            .where(
                QuoteTemplate.channel_id == channel_id
                if channel_id is not None
                else QuoteTemplate.channel_id.is_(None)
            )
            .with_for_update()
        )
        if row is None:
            row = QuoteTemplate(channel_id=channel_id)
            uow.session.add(row)
        row.mail_subject = templates.mail_subject
        row.mail_body = templates.mail_body
        row.document_html = templates.document_html
        row.document_css = templates.document_css
        await uow.session.flush()
        await uow.commit()
        return templates
