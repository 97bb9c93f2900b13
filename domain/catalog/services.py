"""Use cases of the catalog: channels, products and their versions (staff), reads (everyone)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, delete, func, insert, select, true

from domain.accounts.policies import CUSTOMER_ADMIN_ROLES, require_staff_role
from domain.accounts.viewer import Viewer
from domain.catalog.errors import CatalogErrorCode
from domain.catalog.models import (
    Channel,
    Configuration,
    Product,
    ProductKind,
    ProductVersion,
    channel_product,
)
from domain.pricing.engine import compile_pricing
from domain.pricing.spec import ProductSpec
from domain.shared.errors import DomainError, ErrorCollector, ErrorDetail
from domain.shared.sized_cache import SizedLRU
from domain.shared.unset import UNSET, Unset
from domain.shared.uow import UnitOfWork

CODE_PATTERN = r"^[a-z][a-z0-9-]*$"
CURRENCIES = frozenset({"EUR", "USD", "GBP", "CHF", "PLN", "CZK", "SEK", "DKK", "NOK"})
# Kinds whose price comes from the product's own rule document.
RULE_PRICED = frozenset({ProductKind.PRINT, ProductKind.SERVICE, ProductKind.STOCK_ITEM})


def _code_ok(code: str) -> bool:
    import re

    return bool(re.fullmatch(CODE_PATTERN, code)) and len(code) <= 80


def validate_definition(kind: ProductKind, spec_json: Any, rules_json: Any) -> None:
    """A bad spec or rule is refused with the offending field, before anything is saved."""
    try:
        spec = ProductSpec.from_json(spec_json)
    except DomainError as exc:
        raise DomainError([_under("spec", d) for d in exc.details]) from None
    if kind in RULE_PRICED:
        try:
            compile_pricing(spec, rules_json)
        except DomainError as exc:
            raise DomainError([_under("rules", d) for d in exc.details]) from None


def _under(root: str, d: ErrorDetail) -> ErrorDetail:
    """The input field's path: the engine names paths inside the document, sometimes with it."""
    path = tuple(d.field or ())
    return ErrorDetail(d.code, d.message, path if path[:1] == (root,) else (root, *path))


@dataclass(frozen=True, slots=True)
class ChannelData:
    code: str
    name: str
    currency: str = "EUR"
    company_ids: Sequence[int] = ()


async def channel_create(uow: UnitOfWork, viewer: Viewer, data: ChannelData) -> Channel:
    """Staff (ADMIN, SALES) open a storefront or brand portal."""
    require_staff_role(viewer, CUSTOMER_ADMIN_ROLES)
    errors = ErrorCollector()
    if not _code_ok(data.code):
        errors.add(CatalogErrorCode.INVALID_CODE, "Lowercase letters, digits and '-'.", "code")
    if not data.name.strip():
        errors.add(CatalogErrorCode.REQUIRED, "The name is required.", "name")
    if data.currency not in CURRENCIES:
        errors.add(CatalogErrorCode.INVALID_CURRENCY, "Unsupported currency.", "currency")
    errors.raise_if_any()
    async with uow:
        if await uow.scalar(select(Channel.id).where(Channel.code == data.code)):
            raise DomainError.single(
                CatalogErrorCode.DUPLICATE_CODE, "A channel with this code exists.", "code"
            )
        channel = Channel(
            code=data.code,
            name=data.name.strip(),
            currency=data.currency,
            company_ids=list(data.company_ids),
        )
        uow.session.add(channel)
        await uow.session.flush()
        uow.record_event("catalog.channel_changed", None, {"channelId": channel.id})
        await uow.commit()
        return channel


@dataclass(frozen=True, slots=True)
class ProductData:
    code: str
    kind: ProductKind
    name: str
    spec: Mapping[str, Any]
    rules: Mapping[str, Any]
    description: str = ""
    image_urls: Sequence[str] = ()
    channel_ids: Sequence[int] = ()


def _search_text(code: str, name: str, description: str) -> str:
    return f"{code} {name} {description}".lower()


async def _check_channels(uow: UnitOfWork, channel_ids: Sequence[int]) -> None:
    found = await uow.scalar(
        select(func.count()).select_from(Channel).where(Channel.id.in_(list(channel_ids)))
    )
    if found != len(set(channel_ids)):
        raise DomainError.single(CatalogErrorCode.NOT_FOUND, "Channel not found.", "channelIds")


async def _set_channels(uow: UnitOfWork, product_id: int, channel_ids: Sequence[int]) -> None:
    await uow.session.execute(
        delete(channel_product).where(channel_product.c.product_id == product_id)
    )
    if channel_ids:
        await uow.session.execute(
            insert(channel_product),
            [{"channel_id": c, "product_id": product_id, "position": 0} for c in set(channel_ids)],
        )


async def product_create(uow: UnitOfWork, viewer: Viewer, data: ProductData) -> Product:
    """Staff (ADMIN, SALES) add a product; its first version holds the spec and price rules."""
    require_staff_role(viewer, CUSTOMER_ADMIN_ROLES)
    errors = ErrorCollector()
    if not _code_ok(data.code):
        errors.add(CatalogErrorCode.INVALID_CODE, "Lowercase letters, digits and '-'.", "code")
    if not data.name.strip():
        errors.add(CatalogErrorCode.REQUIRED, "The name is required.", "name")
    errors.raise_if_any()
    validate_definition(data.kind, data.spec, data.rules)
    async with uow:
        if await uow.scalar(select(Product.id).where(Product.code == data.code)):
            raise DomainError.single(
                CatalogErrorCode.DUPLICATE_CODE, "A product with this code exists.", "code"
            )
        await _check_channels(uow, data.channel_ids)
        product = Product(
            code=data.code,
            kind=data.kind,
            name=data.name.strip(),
            description=data.description,
            image_urls=list(data.image_urls),
            search_text=_search_text(data.code, data.name, data.description),
        )
        uow.session.add(product)
        await uow.session.flush()
        version = ProductVersion(
            product_id=product.id,
            version=1,
            spec=dict(data.spec),
            rules=dict(data.rules),
            created_by_id=viewer.user_id,
        )
        uow.session.add(version)
        await uow.session.flush()
        product.current_version_id = version.id
        await _set_channels(uow, product.id, data.channel_ids)
        uow.record_event("catalog.product_changed", None, {"productId": product.id})
        await uow.commit()
        return product


@dataclass(slots=True)
class ProductUpdate:
    name: str | Unset = UNSET
    description: str | Unset = UNSET
    image_urls: Sequence[str] | Unset = UNSET
    is_active: bool | Unset = UNSET
    purchasable: bool | Unset = UNSET
    ignore_for_sync: bool | Unset = UNSET
    channel_ids: Sequence[int] | Unset = UNSET
    spec: Mapping[str, Any] | Unset = UNSET
    rules: Mapping[str, Any] | Unset = UNSET


async def product_update(
    uow: UnitOfWork, viewer: Viewer, product_id: int, cmd: ProductUpdate
) -> Product:
    """Staff (ADMIN, SALES). A new spec or rule set makes a new version; quotes given on the
    old version keep referring to it, and live prices re-price on the new one."""
    require_staff_role(viewer, CUSTOMER_ADMIN_ROLES)
    async with uow:
        product = await uow.session.get(Product, product_id, with_for_update=True)
        if product is None:
            raise DomainError.single(CatalogErrorCode.NOT_FOUND, "Product not found.", "id")
        if cmd.name is not UNSET:
            if not cmd.name.strip():
                raise DomainError.single(CatalogErrorCode.REQUIRED, "The name is required.", "name")
            product.name = cmd.name.strip()
        if cmd.description is not UNSET:
            product.description = cmd.description
        if cmd.image_urls is not UNSET:
            product.image_urls = list(cmd.image_urls)
        if cmd.is_active is not UNSET:
            product.is_active = cmd.is_active
        if cmd.purchasable is not UNSET:
            product.purchasable = cmd.purchasable
        if cmd.ignore_for_sync is not UNSET:
            product.ignore_for_sync = cmd.ignore_for_sync
        if cmd.channel_ids is not UNSET:
            await _check_channels(uow, cmd.channel_ids)
            await _set_channels(uow, product.id, cmd.channel_ids)
        product.search_text = _search_text(product.code, product.name, product.description)
        new_version = None
        if cmd.spec is not UNSET or cmd.rules is not UNSET:
            current = await uow.session.get(ProductVersion, product.current_version_id)
            assert current is not None
            spec = dict(cmd.spec) if cmd.spec is not UNSET else current.spec
            rules = dict(cmd.rules) if cmd.rules is not UNSET else current.rules
            validate_definition(product.kind, spec, rules)
            latest = await uow.scalar(
                select(func.max(ProductVersion.version)).where(
                    ProductVersion.product_id == product.id
                )
            )
            new_version = ProductVersion(
                product_id=product.id,
                version=int(latest or 0) + 1,
                spec=spec,
                rules=rules,
                created_by_id=viewer.user_id,
            )
            uow.session.add(new_version)
            await uow.session.flush()
            product.current_version_id = new_version.id
        await uow.session.flush()
        uow.record_event(
            "catalog.product_changed",
            None,
            {
                "productId": product.id,
                "versionId": product.current_version_id,
                "repriced": new_version is not None,
            },
        )
        await uow.commit()
        return product


def products_query(
    viewer: Viewer,
    channel: Channel | None,
    *,
    kind: ProductKind | None = None,
    search: str | None = None,
    include_inactive: bool = False,
) -> Select[Any]:
    """Storefronts see a channel's active assortment; staff may list everything."""
    stmt = select(Product)
    if channel is not None:
        stmt = stmt.join(channel_product, channel_product.c.product_id == Product.id).where(
            channel_product.c.channel_id == channel.id
        )
    if not (include_inactive and viewer.is_staff):
        stmt = stmt.where(Product.is_active.is_(True))
    if kind is not None:
        stmt = stmt.where(Product.kind == kind)
    if search:
        terms = [t for t in search.lower().split() if t]
        stmt = stmt.where(*(Product.search_text.contains(t, autoescape=True) for t in terms))
    order = [channel_product.c.position] if channel is not None else []
    return stmt.order_by(*order, Product.name, Product.id)


async def channel_for(uow: UnitOfWork, viewer: Viewer, code: str | None) -> Channel:
    """The channel a storefront names (or the first one); closed brand portals admit only their
    customers, and a channel the viewer may not use answers like a missing one."""
    channel: Channel | None = await uow.scalar(active_channel_query(code))
    if channel is None or not channel_open_to(channel, viewer):
        raise DomainError.single(CatalogErrorCode.NOT_FOUND, "Channel not found.", "channel")
    return channel


def active_channel_query(code: str | None) -> Select[Any]:
    """The active channel called `code`, or the first one."""
    stmt = select(Channel).where(Channel.is_active.is_(True))
    return stmt.where(Channel.code == code) if code else stmt.order_by(Channel.id).limit(1)


def channel_open_to(channel: Channel, viewer: Viewer) -> bool:
    if viewer.is_staff or not channel.company_ids:
        return True
    return viewer.company_id is not None and viewer.company_id in channel.company_ids


def configuration_scope(viewer: Viewer) -> ColumnElement[bool]:
    """A company's drafts are its own; an anonymous draft is reachable only by its (random) id."""
    if viewer.is_staff:
        return true()
    if viewer.is_portal:
        return Configuration.company_id == viewer.company_id
    return Configuration.company_id.is_(None)


def channels_query(viewer: Viewer) -> Select[Any]:
    stmt = select(Channel).order_by(Channel.code)
    if viewer.is_staff:
        return stmt
    stmt = stmt.where(Channel.is_active.is_(True))
    if viewer.is_portal and viewer.company_id is not None:
        return stmt.where(
            (func.cardinality(Channel.company_ids) == 0)
            | Channel.company_ids.contains([viewer.company_id])
        )
    return stmt.where(func.cardinality(Channel.company_ids) == 0)


# The most recently used parsed specs (versions never change). Catalog pages are answered from
# the response cache once rendered, so this only serves misses, quotes and live prices: as many
# as the compiled price rules keep (domain/pricing/engine.py), ~8 KiB each.
_SPECS: SizedLRU[int, ProductSpec] = SizedLRU(8 * 1024 * 1024, max_entries=256)


def clear_spec_cache() -> None:
    """Forget every parsed spec (tests that restart identities, so that ids repeat)."""
    _SPECS.clear()


def spec_for(version_id: int, spec_json: Mapping[str, Any]) -> ProductSpec:
    """Parsed once per immutable product version while it is in use (an LRU bounded by
    entries and bytes)."""
    spec: ProductSpec | None = _SPECS.get(version_id)
    if spec is None:
        spec = ProductSpec.from_json(spec_json)
        _SPECS.put(version_id, spec)
    return spec
