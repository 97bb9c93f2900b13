"""Quote lists (the portal's own, every company's for staff), RFQs (staff; a partner its own),
the shop's quote settings and templates."""

from __future__ import annotations

import strawberry
from strawberry import relay

from domain.quotes import queries
from domain.quotes.rfq_tokens import invitation_by_token
from domain.quotes.shop_rules import quote_settings, quote_template
from domain.shared.pagination import fetch_page
from resolvers.pagination import page_window
from resolvers.quotes.mutations.shop_mutations import settings_of, templates_of
from schema.accounts.types import Company
from schema.catalog.types import Channel
from schema.context import Info
from schema.core import Connection, build_connection, decode_gid
from schema.permissions import IsAuthenticated, IsStaff
from schema.quotes.inputs import QuoteFilter
from schema.quotes.quote import (
    Quote,
    QuoteSettings,
    QuoteTemplates,
    Rfq,
    RfqByToken,
    RfqInvitation,
)

STAFF = [IsAuthenticated, IsStaff]


def _pk(gid: relay.GlobalID | None, node_type: type) -> int | None:
    return None if gid is None else (decode_gid(gid, node_type) or -1)


@strawberry.type
class QuotesQuery:
    @strawberry.field(
        description="Quotes, newest first: a portal user's company's (those sent and those "
        "it asked for), every company's for staff.",
        permission_classes=[IsAuthenticated],
    )
    async def quotes(
        self,
        info: Info,
        filter: QuoteFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Quote]:
        offset, limit = page_window(info, first, after)
        f = filter or QuoteFilter()
        stmt = queries.quotes_query(
            info.context.viewer,
            company_id=_pk(f.company_id, Company),
            statuses=f.statuses,
            valid_on=f.valid_on,
            number=f.number,
            search=f.search,
        )
        page = await fetch_page(info.context.uow, stmt, offset, limit)
        return build_connection(page.items, page.offset, page.total, Quote.from_model)

    @strawberry.field(
        description="Requests for quotation: staff see all (narrow with `quoteId`), a partner "
        "those addressed to it.",
        permission_classes=[IsAuthenticated],
    )
    async def rfqs(
        self,
        info: Info,
        quote_id: relay.GlobalID | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Rfq]:
        offset, limit = page_window(info, first, after)
        stmt = queries.rfqs_query(info.context.viewer, _pk(quote_id, Quote))
        page = await fetch_page(info.context.uow, stmt, offset, limit)
        return build_connection(page.items, page.offset, page.total, Rfq.from_model)

    @strawberry.field(
        description="The RFQ a partner's mailed link opens (its token), with the partner's own "
        "answer; null for an unknown token. No login needed: answer with `rfqAnswer` or "
        "`rfqDecline` and the same token."
    )
    async def rfq_by_token(self, info: Info, token: str) -> RfqByToken | None:
        found = await invitation_by_token(info.context.uow, token)
        if found is None:
            return None
        rfq, invitation = found
        return RfqByToken(
            rfq=Rfq.from_model(rfq), invitation=RfqInvitation.from_model(invitation, rfq.currency)
        )

    @strawberry.field(description="The shop's quote rules. Staff only.", permission_classes=STAFF)
    async def quote_settings(self, info: Info) -> QuoteSettings:
        return settings_of(await quote_settings(info.context.uow))

    @strawberry.field(
        description="The quote templates of a channel (null: the shop's default). Staff only.",
        permission_classes=STAFF,
    )
    async def quote_templates(
        self, info: Info, channel_id: relay.GlobalID | None = None
    ) -> QuoteTemplates:
        return templates_of(await quote_template(info.context.uow, _pk(channel_id, Channel)))
