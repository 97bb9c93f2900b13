from __future__ import annotations

import strawberry

from schema.catalog.types import CatalogError, Channel, Configuration, Product
from schema.pricing.types import Price


@strawberry.type
class ChannelCreatePayload:
    channel: Channel | None = None
    errors: list[CatalogError] = strawberry.field(default_factory=list)


@strawberry.type
class ProductCreatePayload:
    product: Product | None = None
    errors: list[CatalogError] = strawberry.field(default_factory=list)


@strawberry.type
class ProductUpdatePayload(ProductCreatePayload):
    pass


@strawberry.type
class ConfigurationCreatePayload:
    configuration: Configuration | None = None
    price: Price | None = strawberry.field(default=None, description="The draft's price now.")
    errors: list[CatalogError] = strawberry.field(default_factory=list)


@strawberry.type
class ConfigurationUpdatePayload(ConfigurationCreatePayload):
    pass
