"""Price requests with I/O (catalog owns them: the pure engine in domain.pricing knows no product
tables): build the price context from who asks, load the product version,
and call the one pure engine. Every entry point (storefront query, live subscription, cart,
checkout, staff estimator, quote) comes through here, so the same spec gets the same price."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from domain.accounts.models import Company, CustomerGroup
from domain.accounts.viewer import Viewer
from domain.catalog.errors import CatalogErrorCode
from domain.catalog.models import Channel, Product, ProductKind, ProductVersion, channel_product
from domain.catalog.services import active_channel_query, channel_open_to
from domain.pricing.context import PriceContext
from domain.pricing.engine import compiled_for, evaluate, price_table
from domain.pricing.result import PriceResult
from domain.pricing.tokens import (
    PriceClaim,
    PriceTokenConfig,
    configuration_hash,
    issue_price_token,
)
from domain.shared.errors import DomainError
from domain.shared.models import utcnow
from domain.shared.read_cache import CACHES
from domain.shared.uow import UnitOfWork

MAX_TABLE_ROWS = 20


@dataclass(frozen=True, slots=True)
class Quote:
    product: Product
    version: ProductVersion
    result: PriceResult
    table: tuple[PriceResult, ...]
    price_token: str | None
    expires_at: dt.datetime | None


# Read paths (price queries, catalog pages) keep what they look up per request in read caches,
# dropped when the tables change (domain/shared/read_cache.py). Commands read the database.
# Cached rows are read through `committed_reader`: committed data only, detached from the
# request's session (its rollback would otherwise expire them under every later reader).
_TERMS = CACHES.cache("price_terms", tables=("company", "customer_group"), maxsize=10_000)
_CHANNELS = CACHES.cache("channel_by_code", tables=("channel",), maxsize=256)
_OFFERS = CACHES.cache(
    "product_in_channel",
    tables=("product", "product_version", "channel_product"),
    maxsize=20_000,
)


async def _terms(uow: UnitOfWork, company_id: int, *, cached: bool) -> tuple[Any, ...]:
    """(markup percent, customer group id, group discount percent) of a company."""

    async def read(reader: UnitOfWork) -> tuple[Any, ...]:
        row = await reader.rows(
            select(Company.markup_percent, CustomerGroup.id, CustomerGroup.discount_percent)
            .outerjoin(CustomerGroup, CustomerGroup.id == Company.customer_group_id)
            .where(Company.id == company_id)
        )
        return (row[0][0] or Decimal(0), row[0][1], row[0][2] or Decimal(0)) if row else ()

    return await _TERMS.read_through(company_id, uow, read) if cached else await read(uow)


async def price_context(
    uow: UnitOfWork,
    viewer: Viewer,
    channel: Channel,
    company_id: int | None = None,
    *,
    cached: bool = False,
) -> PriceContext:
    """The buyer's terms: their company's markup and customer-group discount, the channel's
    currency. Staff estimating for a customer pass ``company_id``. Read paths pass
    ``cached=True``; commands (checkout) read the database."""
    cid = viewer.company_id if viewer.is_portal else company_id
    markup = Decimal(0)
    discount = Decimal(0)
    group_id = None
    if cid is not None:
        terms = await _terms(uow, cid, cached=cached)
        if terms:
            markup, group_id, discount = terms
    return PriceContext(
        currency=channel.currency,
        channel_id=channel.id,
        company_id=cid,
        customer_group_id=group_id,
        company_markup_percent=markup,
        customer_group_discount_percent=discount,
    )


async def channel_for_read(uow: UnitOfWork, viewer: Viewer, code: str | None) -> Channel:
    """`channel_for` from the read cache (a detached row: read its columns only)."""

    async def read(reader: UnitOfWork) -> Channel | None:
        found: Channel | None = await reader.scalar(active_channel_query(code))
        return found

    channel = await _CHANNELS.read_through(code, uow, read)
    if channel is None or not channel_open_to(channel, viewer):
        raise DomainError.single(CatalogErrorCode.NOT_FOUND, "Channel not found.", "channel")
    return channel


async def product_in_channel_for_read(
    uow: UnitOfWork, channel: Channel, product_id: int, version_id: int | None = None
) -> tuple[Product, ProductVersion]:
    """`product_in_channel` from the read cache (detached rows: read their columns only)."""

    async def read(reader: UnitOfWork) -> tuple[Product, ProductVersion] | DomainError:
        try:
            return await product_in_channel(reader, channel, product_id, version_id)
        except DomainError as exc:
            return exc  # kept too: "not sold here" is asked as often as the rest

    found = await _OFFERS.read_through((channel.id, product_id, version_id), uow, read)
    if isinstance(found, DomainError):
        raise DomainError(found.details)
    return found


async def product_in_channel(
    uow: UnitOfWork, channel: Channel, product_id: int, version_id: int | None = None
) -> tuple[Product, ProductVersion]:
    """The product if the channel sells it, at its current version or a named older one."""
    product: Product | None = await uow.scalar(
        select(Product)
        .join(channel_product, channel_product.c.product_id == Product.id)
        .where(Product.id == product_id, channel_product.c.channel_id == channel.id)
    )
    if product is None or not product.is_active:
        raise DomainError.single(CatalogErrorCode.NOT_FOUND, "Product not found.", "productId")
    if not product.purchasable:
        raise DomainError.single(
            CatalogErrorCode.NOT_PURCHASABLE, "This product cannot be ordered now.", "productId"
        )
    vid = version_id if version_id is not None else product.current_version_id
    version: ProductVersion | None = await uow.scalar(
        select(ProductVersion).where(
            ProductVersion.id == vid, ProductVersion.product_id == product.id
        )
    )
    if version is None:
        raise DomainError.single(
            CatalogErrorCode.NOT_FOUND, "Product version not found.", "productVersionId"
        )
    return product, version


def price_version(
    version: ProductVersion, values: Mapping[str, Any], quantity: int, ctx: PriceContext
) -> PriceResult:
    compiled = compiled_for(("pv", version.id), version.spec, version.rules)
    return evaluate(compiled, values, quantity, ctx)


def sign(
    tokens: PriceTokenConfig,
    subject: str,
    values: Mapping[str, Any],
    result: PriceResult,
    ctx: PriceContext,
) -> tuple[str | None, dt.datetime | None]:
    if not result.valid or result.net is None or result.gross is None:
        return None, None
    expires = utcnow() + dt.timedelta(seconds=tokens.ttl_s)
    claim = PriceClaim(
        subject=subject,
        config_hash=configuration_hash(values),
        quantity=result.quantity,
        channel_id=ctx.channel_id,
        company_id=ctx.company_id,
        net=result.net.amount,
        gross=result.gross.amount,
        currency=result.currency,
        expires_at=expires,
    )
    return issue_price_token(tokens, claim), expires


async def quote(
    uow: UnitOfWork,
    viewer: Viewer,
    tokens: PriceTokenConfig,
    channel: Channel,
    product_id: int,
    values: Mapping[str, Any],
    quantity: int,
    *,
    version_id: int | None = None,
    quantities: Sequence[int] = (),
    company_id: int | None = None,
) -> Quote:
    """The price of one configuration (plus a price table across ``quantities``)."""
    if len(quantities) > MAX_TABLE_ROWS:
        raise DomainError.single(
            CatalogErrorCode.INVALID_VALUE,
            f"At most {MAX_TABLE_ROWS} quantities in a price table.",
            "quantities",
        )
    product, version = await product_in_channel_for_read(uow, channel, product_id, version_id)
    if product.kind == ProductKind.LASER_PART:
        raise DomainError.single(
            CatalogErrorCode.PRICED_BY_PART_QUOTE,
            "A laser part is priced from its drawing: ask partQuote (with a part, or a template "
            "and its parameters) instead of priceQuote.",
            "productId",
        )
    ctx = await price_context(uow, viewer, channel, company_id, cached=True)
    compiled = compiled_for(("pv", version.id), version.spec, version.rules)
    result = evaluate(compiled, values, quantity, ctx)
    table = tuple(price_table(compiled, values, sorted(set(quantities)), ctx)) if quantities else ()
    token, expires = sign(tokens, f"pv:{version.id}", values, result, ctx)
    return Quote(product, version, result, table, token, expires)
