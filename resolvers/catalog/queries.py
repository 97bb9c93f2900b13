"""Catalog and price queries."""

from __future__ import annotations

import strawberry
from graphql import GraphQLError

from domain.accounts.policies import may_price_for_other_companies
from domain.catalog import prices as pricing
from domain.catalog import services
from domain.catalog.errors import CatalogErrorCode
from domain.catalog.models import Channel as ChannelModel
from domain.catalog.models import Product as ProductModel
from domain.shared.errors import DomainError
from domain.shared.pagination import fetch_page
from resolvers.ids import optional_pk, require_pk
from resolvers.pagination import page_window
from schema.accounts.types import Company as CompanyType
from schema.catalog.inputs import PriceQuoteInput
from schema.catalog.types import Channel, PriceQuote, Product, ProductKind, ProductVersion
from schema.context import Info
from schema.core import Connection, build_connection
from schema.fulfilment.types import QuoteRequest
from schema.pricing.types import Price


@strawberry.type
class CatalogQuery:
    @strawberry.field(description="Channels (storefronts, brand portals) the viewer may use.")
    async def channels(self, info: Info) -> list[Channel]:
        rows = await info.context.uow.scalars(services.channels_query(info.context.viewer))
        return [Channel.from_model(c) for c in rows]

    @strawberry.field(
        description="A channel's assortment, filtered and searched, by name. `channel` is a "
        "channel code (the default channel when omitted)."
    )
    async def products(
        self,
        info: Info,
        channel: str | None = None,
        kind: ProductKind | None = None,
        search: str | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Product]:
        offset, limit = page_window(info, first, after)
        ctx = info.context
        try:
            ch: ChannelModel = await services.channel_for(ctx.uow, ctx.viewer, channel)
        except DomainError:
            return build_connection([], 0, 0, Product.from_model)
        stmt = services.products_query(ctx.viewer, ch, kind=kind, search=search)
        page = await fetch_page(ctx.uow, stmt, offset, limit)
        code = ch.code
        return build_connection(
            page.items, page.offset, page.total, lambda p: Product.from_model(p, channel=code)
        )

    @strawberry.field(description="A product by its code, if the channel sells it.")
    async def product(self, info: Info, code: str, channel: str | None = None) -> Product | None:
        ctx = info.context
        try:
            ch = await services.channel_for(ctx.uow, ctx.viewer, channel)
        except DomainError:
            return None
        row = await ctx.uow.scalar(
            services.products_query(ctx.viewer, ch).where(ProductModel.code == code)
        )
        return Product.from_model(row, channel=ch.code) if row else None

    @strawberry.field(
        description="Price a configuration now, with a price table and a token checkout honours. "
        "Null when the product is not sold in the channel. An invalid configuration gives "
        "`price.valid = false` and messages. A laser part answers the error "
        "PRICED_BY_PART_QUOTE: price it with `partQuote`."
    )
    async def price_quote(self, info: Info, input: PriceQuoteInput) -> PriceQuote | None:
        ctx = info.context
        nf = CatalogErrorCode.NOT_FOUND
        try:
            product_id = require_pk(input.product_id, Product, "productId", nf)
            version_id = optional_pk(
                input.product_version_id, ProductVersion, "productVersionId", nf
            )
            company_id = (
                optional_pk(input.company_id, CompanyType, "companyId", nf)
                if may_price_for_other_companies(ctx.viewer)
                else None
            )
            channel = await pricing.channel_for_read(ctx.uow, ctx.viewer, input.channel)
            values = input.configuration if isinstance(input.configuration, dict) else {}
            q = await pricing.quote(
                ctx.uow,
                ctx.viewer,
                ctx.services.price_tokens,
                channel,
                product_id,
                values,
                input.quantity,
                version_id=version_id,
                quantities=input.quantities,
                company_id=company_id,
            )
        except DomainError as exc:
            _none_if_not_found(exc)
            return None
        return PriceQuote(
            product=Product.from_model(q.product, channel=channel.code),
            product_version=ProductVersion.from_model(q.version),
            price=Price.of(q.result),
            table=[Price.of(r) for r in q.table],
            price_token=q.price_token,
            expires_at=q.expires_at,
            _request=QuoteRequest(
                channel, q.product.id, q.version.id, dict(values), input.quantity, company_id
            ),
        )


def _none_if_not_found(exc: DomainError) -> None:
    """Not found (or not sold here) is null (returns); any other refusal is raised as a typed
    field error."""
    detail = next((d for d in exc.details if d.code is not CatalogErrorCode.NOT_FOUND), None)
    if detail is None:
        return None
    raise GraphQLError(
        detail.message,
        extensions={
            "code": detail.code.name,
            "field": list(detail.field) if detail.field else None,
        },
    ) from exc
