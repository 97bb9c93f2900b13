"""The shop's quote settings and templates."""

from __future__ import annotations

from typing import Any

from domain.quotes import shop_rules
from domain.quotes.documents import Templates
from domain.quotes.models import QuoteSettings as SettingsModel
from resolvers.mutation import run
from resolvers.quotes.ids import opt_pk
from schema.catalog.types import Channel
from schema.context import Info
from schema.quotes.inputs import QuoteSettingsUpdateInput, QuoteTemplateUpdateInput
from schema.quotes.payloads import QuoteSettingsPayload, QuoteTemplatePayload
from schema.quotes.quote import QuoteSettings, QuoteTemplates
from schema.quotes.types import QuoteError


def settings_of(s: SettingsModel) -> QuoteSettings:
    return QuoteSettings(
        partner_markup_percent=f"{s.partner_markup_percent:f}",
        validity_days=s.validity_days,
        default_terms=s.default_terms,
    )


def templates_of(t: Templates) -> QuoteTemplates:
    return QuoteTemplates(
        mail_subject=t.mail_subject,
        mail_body=t.mail_body,
        document_html=t.document_html,
        document_css=t.document_css,
    )


async def quote_settings_update(
    info: Info, input: QuoteSettingsUpdateInput
) -> QuoteSettingsPayload:
    ctx = info.context
    cmd = shop_rules.QuoteSettingsUpdate(
        partner_markup_percent=input.partner_markup_percent,
        validity_days=input.validity_days,
        default_terms=input.default_terms,
    )

    def build(s: SettingsModel) -> dict[str, Any]:
        return {"settings": settings_of(s)}

    return await run(
        QuoteSettingsPayload,
        QuoteError,
        lambda: shop_rules.quote_settings_update(ctx.uow, ctx.viewer, cmd),
        build,
    )


async def quote_template_update(
    info: Info, input: QuoteTemplateUpdateInput
) -> QuoteTemplatePayload:
    ctx = info.context
    templates = Templates(
        input.mail_subject, input.mail_body, input.document_html, input.document_css
    )

    async def action() -> Templates:
        channel_id = opt_pk(input.channel_id, Channel, "channelId")
        return await shop_rules.quote_template_update(ctx.uow, ctx.viewer, channel_id, templates)

    def build(t: Templates) -> dict[str, Any]:
        return {"templates": templates_of(t)}

    return await run(QuoteTemplatePayload, QuoteError, action, build)
