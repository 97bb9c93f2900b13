"""Catalog types: channels, products with their parameters, versions, quotes, configurations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from enum import Enum
from typing import Any, TypeAlias

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from domain.catalog import models as m
from domain.catalog.errors import CatalogErrorCode as _CatalogCode
from domain.catalog.services import spec_for
from domain.pricing.errors import PricingErrorCode as _PricingCode
from domain.pricing.parameters import ExcludesRule, ParameterDef, RangeWhenRule
from domain.pricing.parameters import ParameterKind as _ParameterKind
from domain.pricing.spec import ProductSpec
from schema.accounts.types import _resolve_by_loader
from schema.context import Info
from schema.core import UserError
from schema.fulfilment.shipping import ShippingOption
from schema.fulfilment.types import (
    DeliveryOption,
    QuoteRequest,
    delivery_options,
    quote_shipping_options,
)
from schema.permissions import IsStaff, hidden_unless
from schema.pricing.types import Price

# GraphQL enums are the domain enums themselves: strawberry.enum registers a class in place,
# and the alias lets mypy read the name as a type.
ProductKind: TypeAlias = m.ProductKind
strawberry.enum(ProductKind, description="What a product is.")
ParameterKind: TypeAlias = _ParameterKind
strawberry.enum(ParameterKind, description="The kind of value a parameter takes.")

# Product mutations fail on catalog rules (codes, specs) or on price rules: one enum for both.
# Members computed from the domain enums: mypy cannot type that, so CatalogErrorCode is Any to it.
CatalogErrorCode = strawberry.enum(  # type: ignore[call-overload]
    Enum(
        "CatalogErrorCode",
        {c.name: c.name for c in (*_CatalogCode, *_PricingCode)},
    ),
    description="Why a catalog or pricing mutation failed.",
)


@strawberry.type(description="A failure of a catalog mutation.")
class CatalogError(UserError):
    code: CatalogErrorCode  # type: ignore[valid-type]


@strawberry.type(description="A storefront or brand portal: its own assortment and currency.")
class Channel(relay.Node):
    id: relay.NodeID[int]
    code: str
    name: str
    currency: str
    is_active: bool

    @classmethod
    def from_model(cls, c: m.Channel) -> Channel:
        return cls(id=c.id, code=c.code, name=c.name, currency=c.currency, is_active=c.is_active)

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Channel | None]:
        return await _resolve_by_loader(cls, info, node_ids, "channel", required)


@strawberry.type(description="A choice offered for an ENUM parameter.")
class ParameterOption:
    key: str
    label: str


@strawberry.type(description="One choice the buyer makes when configuring a product.")
class Parameter:
    key: str
    label: str
    kind: ParameterKind
    options: list[ParameterOption]
    minimum: Decimal | None
    maximum: Decimal | None
    step: Decimal | None
    unit: str | None = strawberry.field(description="Unit of numbers, e.g. `mm` or `pages`.")
    default: JSON | None
    required: bool
    max_length: int | None

    @classmethod
    def of(cls, p: ParameterDef) -> Parameter:
        default: Any = p.default
        if isinstance(default, Decimal):
            default = str(default)
        return cls(
            key=p.key,
            label=p.label,
            kind=p.kind,
            options=[ParameterOption(key=o.key, label=o.label) for o in p.options],
            minimum=p.minimum,
            maximum=p.maximum,
            step=p.step,
            unit=p.unit,
            default=default,
            required=p.required,
            max_length=p.max_length,
        )


@strawberry.type(description="A rule between parameters, for a configurator to grey out choices.")
class ParameterRule:
    kind: str = strawberry.field(description="EXCLUDES or RANGE_WHEN.")
    when_parameter: str
    when_option: str
    parameter: str
    excluded_options: list[str]
    minimum: Decimal | None
    maximum: Decimal | None


def _rules(spec: ProductSpec) -> list[ParameterRule]:
    out = []
    for r in spec.rules:
        if isinstance(r, ExcludesRule):
            out.append(
                ParameterRule(
                    kind="EXCLUDES",
                    when_parameter=r.when_param,
                    when_option=r.when_option,
                    parameter=r.param,
                    excluded_options=list(r.options),
                    minimum=None,
                    maximum=None,
                )
            )
        elif isinstance(r, RangeWhenRule):
            out.append(
                ParameterRule(
                    kind="RANGE_WHEN",
                    when_parameter=r.when_param,
                    when_option=r.when_option,
                    parameter=r.param,
                    excluded_options=[],
                    minimum=r.minimum,
                    maximum=r.maximum,
                )
            )
    return out


@strawberry.type(description="An immutable version of a product's specification and price rules.")
class ProductVersion(relay.Node):
    id: relay.NodeID[int]
    version: int
    created_at: dt.datetime
    _model: strawberry.Private[m.ProductVersion]

    @classmethod
    def from_model(cls, v: m.ProductVersion) -> ProductVersion:
        return cls(id=v.id, version=v.version, created_at=v.created_at, _model=v)

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[ProductVersion | None]:
        return await _resolve_by_loader(cls, info, node_ids, "product_version", required)

    def _spec(self) -> ProductSpec:
        return spec_for(self._model.id, self._model.spec)

    @strawberry.field(description="The parameters a buyer sets, in order.")
    def parameters(self) -> list[Parameter]:
        return [Parameter.of(p) for p in self._spec().parameters]

    @strawberry.field(description="Rules between parameters (unavailable options, ranges).")
    def parameter_rules(self) -> list[ParameterRule]:
        return _rules(self._spec())

    @strawberry.field(
        description="The price rule document (staff only; null for others).",
        extensions=hidden_unless(IsStaff()),
    )
    def price_rules(self) -> JSON | None:
        return JSON(self._model.rules)


@strawberry.type(description="Something the shop sells.")
class Product(relay.Node):
    id: relay.NodeID[int]
    code: str
    kind: ProductKind
    name: str
    description: str
    image_urls: list[str]
    is_active: bool
    purchasable: bool = strawberry.field(
        description="False: listed, but it cannot be priced or ordered (set by staff)."
    )
    ignore_for_sync: bool = strawberry.field(
        description="A hint for synchronising systems (change feeds): leave it out of the sync."
    )
    _model: strawberry.Private[m.Product]
    _channel: strawberry.Private[str | None] = None

    @classmethod
    def from_model(cls, p: m.Product, channel: str | None = None) -> Product:
        return cls(
            id=p.id,
            code=p.code,
            kind=p.kind,
            name=p.name,
            description=p.description,
            image_urls=list(p.image_urls),
            is_active=p.is_active,
            purchasable=p.purchasable,
            ignore_for_sync=p.ignore_for_sync,
            _model=p,
            _channel=channel,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Product | None]:
        return await _resolve_by_loader(cls, info, node_ids, "product", required)

    @strawberry.field(description="The version new prices use.")
    async def current_version(self, info: Info) -> ProductVersion | None:
        if self._model.current_version_id is None:
            return None
        v = await info.context.loaders.product_version.load(self._model.current_version_id)
        return ProductVersion.from_model(v) if v else None

    @strawberry.field(
        description="The price of the default configuration for the viewer (their markup and "
        "discounts), at `quantity` or the smallest quantity; null if it cannot be priced."
    )
    async def from_price(
        self, info: Info, channel: str | None = None, quantity: int = 1
    ) -> Price | None:
        result = await info.context.loaders.default_price.load(
            (self._model.id, self._model.current_version_id, channel or self._channel, quantity)
        )
        return Price.of(result) if result is not None else None


@strawberry.type(description="A price answer with a token that checkout honours until it expires.")
class PriceQuote:
    product: Product
    product_version: ProductVersion = strawberry.field(
        description="The version the price refers to."
    )
    price: Price
    table: list[Price] = strawberry.field(description="The same configuration at other quantities.")
    price_token: str | None = strawberry.field(
        description="Signed statement of this price; null when the configuration is invalid."
    )
    expires_at: dt.datetime | None
    _request: strawberry.Private[QuoteRequest | None] = None

    @strawberry.field(
        description="Per turnaround option (standard, express ...): the price with that option "
        "and the promised dispatch and delivery dates of an order placed at `orderedAt` (now "
        "when omitted), counting working days, the shop's holidays and its daily order cut-off; "
        "`transitDays` are the shipping method's (0: pickup). Fastest first."
    )
    async def delivery_options(
        self, info: Info, transit_days: int = 1, ordered_at: dt.datetime | None = None
    ) -> list[DeliveryOption]:
        if self._request is None:
            return []
        return await delivery_options(info, self._request, transit_days, ordered_at)

    @strawberry.field(
        description="The channel's shipping methods for this configuration to `country` (an "
        "ISO code), each with its cost and promised dates, as checkout would charge them."
    )
    async def shipping_options(
        self, info: Info, country: str, ordered_at: dt.datetime | None = None
    ) -> list[ShippingOption]:
        if self._request is None:
            return []
        return await quote_shipping_options(info, self._request, country, ordered_at)


@strawberry.type(description="A buyer's server-side draft of a product configuration.")
class Configuration(relay.Node):
    id: relay.NodeID[str]
    values: JSON
    quantity: int
    revision: int = strawberry.field(description="Grows by one with every update.")
    updated_at: dt.datetime
    _model: strawberry.Private[m.Configuration]

    @classmethod
    def from_model(cls, c: m.Configuration) -> Configuration:
        return cls(
            id=str(c.id),
            values=JSON(c.values),
            quantity=c.quantity,
            revision=c.revision,
            updated_at=c.updated_at,
            _model=c,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Configuration | None]:
        rows = await info.context.loaders.configuration.load_many(list(node_ids))
        return [cls.from_model(r) if r else None for r in rows]

    @strawberry.field
    async def product(self, info: Info) -> Product:
        p = await info.context.loaders.product.load(self._model.product_id)
        assert p is not None
        return Product.from_model(p)

    @strawberry.field
    async def product_version(self, info: Info) -> ProductVersion:
        v = await info.context.loaders.product_version.load(self._model.product_version_id)
        assert v is not None
        return ProductVersion.from_model(v)


@strawberry.type(description="A live price of a configuration, pushed on every change.")
class LivePrice:
    configuration: Configuration
    price: Price
    price_token: str | None
    expires_at: dt.datetime | None
    reason: str = strawberry.field(
        description="Why this price was sent: INITIAL, CONFIGURATION_UPDATED, RULES_CHANGED, "
        "MATERIAL_CHANGED or TERMS_CHANGED."
    )
    event_id: int | None = strawberry.field(description="The event that caused it, if any.")
