"""Inputs of the catalog and pricing operations."""

from __future__ import annotations

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from schema.catalog.types import ProductKind


@strawberry.input(description="What to price: a product, its configuration and quantities.")
class PriceQuoteInput:
    product_id: relay.GlobalID
    configuration: JSON = strawberry.field(
        default_factory=dict,
        description='Parameter values by key, e.g. {"size": "A5", "pages": 4}; defaults fill gaps.',
    )
    quantity: int = 1
    quantities: list[int] = strawberry.field(
        default_factory=list, description="Further quantities for a price table (at most 20)."
    )
    channel: str | None = strawberry.field(
        default=None, description="Channel code; the default channel when omitted."
    )
    product_version_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Price an older version (e.g. to re-check a quote)."
    )
    company_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Staff only: price for this customer (their markup, discount)."
    )


@strawberry.input
class ChannelCreateInput:
    code: str
    name: str
    currency: str = "EUR"


@strawberry.input(description="A product; `spec` and `rules` are validated before saving.")
class ProductCreateInput:
    code: str
    kind: ProductKind
    name: str
    spec: JSON = strawberry.field(description="Parameters and rules between them.")
    rules: JSON = strawberry.field(description="The price rule document.")
    description: str = ""
    image_urls: list[str] = strawberry.field(default_factory=list)
    channel_ids: list[relay.GlobalID] = strawberry.field(default_factory=list)


@strawberry.input(description="Changes; a new `spec` or `rules` creates a new product version.")
class ProductUpdateInput:
    id: relay.GlobalID
    name: str | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    image_urls: list[str] | None = strawberry.UNSET
    is_active: bool | None = strawberry.UNSET
    purchasable: bool | None = strawberry.field(
        default=strawberry.UNSET,
        description="False: still listed, but it cannot be priced or ordered.",
    )
    ignore_for_sync: bool | None = strawberry.field(
        default=strawberry.UNSET,
        description="A hint for synchronising systems reading the change feed: skip it.",
    )
    channel_ids: list[relay.GlobalID] | None = strawberry.UNSET
    spec: JSON | None = strawberry.UNSET
    rules: JSON | None = strawberry.UNSET


@strawberry.input
class ConfigurationCreateInput:
    product_id: relay.GlobalID
    values: JSON = strawberry.field(default_factory=dict)
    quantity: int = 1
    channel: str | None = None


@strawberry.input
class ConfigurationUpdateInput:
    id: relay.GlobalID
    values: JSON | None = strawberry.field(
        default=strawberry.UNSET,
        description="Merged into the draft (a null value removes that key) unless `replace`.",
    )
    replace: bool = False
    quantity: int | None = strawberry.UNSET
