"""The quote document and e-mail rendered from the channel's editable templates (sandboxed
Jinja2: shop staff write them, so they may read the values given and nothing else)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from jinja2 import TemplateError
from jinja2.sandbox import SandboxedEnvironment
from sqlalchemy import select

from domain.accounts.models import Address, Company
from domain.catalog.models import Channel
from domain.quotes import default_template as default
from domain.quotes.errors import QuoteErrorCode
from domain.quotes.models import Quote, QuoteLine, QuoteSettings, QuoteTemplate
from domain.shared.errors import DomainError
from domain.shared.money import Money
from domain.shared.uow import UnitOfWork

_HTML = SandboxedEnvironment(autoescape=True)
_TEXT = SandboxedEnvironment(autoescape=False)


class DocumentRenderer(Protocol):
    """Turns HTML and CSS into a PDF (adapters/documents.py: WeasyPrint)."""

    async def render_pdf(self, html: str, css: str) -> bytes: ...


@dataclass(frozen=True, slots=True)
class Templates:
    mail_subject: str
    mail_body: str
    document_html: str
    document_css: str


DEFAULT = Templates(
    default.MAIL_SUBJECT, default.MAIL_BODY, default.DOCUMENT_HTML, default.DOCUMENT_CSS
)


@dataclass(frozen=True, slots=True)
class RenderedQuote:
    subject: str
    body: str
    html: str
    css: str


async def templates_for(uow: UnitOfWork, channel_id: int | None) -> Templates:
    """The channel's own templates, else the shop's default row, else the built-in ones."""
    rows = await uow.scalars(
        select(QuoteTemplate).where(
            (QuoteTemplate.channel_id == channel_id) | QuoteTemplate.channel_id.is_(None)
        )
    )
    best = sorted(rows, key=lambda t: t.channel_id is None)
    if not best:
        return DEFAULT
    t = best[0]
    return Templates(t.mail_subject, t.mail_body, t.document_html, t.document_css)


def _money(amount: int | None, currency: str) -> str:
    return "" if amount is None else Money(amount, currency).formatted()


def context(
    quote: Quote,
    lines: Sequence[QuoteLine],
    company: Company,
    address: Address | None,
    channel: Channel,
    settings: QuoteSettings | None,
) -> dict[str, Any]:
    """The values a template may use (plain dicts and strings only)."""
    cur = quote.currency
    return {
        "shop": {
            "name": channel.name,
            "address": "",
            "terms": settings.default_terms if settings else "",
        },
        "company": {
            "name": company.name,
            "contact_name": company.contact_name or "",
            "vat_id": company.vat_id or "",
        },
        "address": None
        if address is None
        else {
            "street": address.street,
            "postal_code": address.postal_code,
            "city": address.city,
            "country": address.country,
        },
        "quote": {
            "number": quote.number,
            "revision": quote.revision,
            "title": quote.title,
            "date": (quote.sent_at or quote.created_at).date().isoformat(),
            "valid_until": quote.valid_until.isoformat() if quote.valid_until else "",
            "customer_reference": quote.customer_reference,
            "terms": quote.terms,
        },
        "lines": [
            {
                "position": line.position,
                "title": line.title,
                "description": line.description,
                "quantity": line.quantity,
                "vat_rate": f"{line.vat_rate_percent.normalize():f}",
                "net": _money(line.net_amount, cur),
                "breakdown": [
                    {"label": p.get("label", ""), "amount": _money(p.get("amount"), cur)}
                    for p in line.price_lines
                ],
            }
            for line in lines
        ],
        "totals": {
            "net": _money(quote.net_amount, cur),
            "vat": _money(quote.vat_amount, cur),
            "gross": _money(quote.gross_amount, cur),
        },
    }


def render(templates: Templates, values: dict[str, Any]) -> RenderedQuote:
    """Every template filled in; a broken template is INVALID_TEMPLATE, never a crash."""
    try:
        return RenderedQuote(
            subject=_TEXT.from_string(templates.mail_subject).render(values).strip()[:300],
            body=_TEXT.from_string(templates.mail_body).render(values),
            html=_HTML.from_string(templates.document_html).render(values),
            css=templates.document_css,
        )
    except TemplateError as exc:
        raise DomainError.single(
            QuoteErrorCode.INVALID_TEMPLATE, f"The quote template cannot be used: {exc}"
        ) from None


async def render_quote(uow: UnitOfWork, quote: Quote, lines: Sequence[QuoteLine]) -> RenderedQuote:
    company = await uow.session.get(Company, quote.company_id)
    channel = await uow.session.get(Channel, quote.channel_id)
    assert company is not None and channel is not None
    address: Address | None = await uow.scalar(
        select(Address)
        .where(Address.company_id == company.id)
        .order_by((Address.kind == "BILLING").desc(), Address.is_default.desc(), Address.id)
        .limit(1)
    )
    settings = await uow.session.get(QuoteSettings, 1)
    values = context(quote, lines, company, address, channel, settings)
    return render(await templates_for(uow, quote.channel_id), values)
