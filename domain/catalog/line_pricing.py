"""Catalog products as order lines: the `LinePricing` strategy for configurable products
(registered at start-up; see domain/pricing/lines.py)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain.accounts.viewer import Viewer
from domain.catalog.models import Channel, Product, ProductVersion
from domain.catalog.prices import price_context, price_version, product_in_channel
from domain.catalog.services import spec_for
from domain.pricing.context import PriceContext
from domain.pricing.lines import LineKind, LineRequest, PricedLine, result_problems, unavailable
from domain.pricing.tokens import configuration_hash
from domain.shared.errors import DomainError
from domain.shared.uow import UnitOfWork


def specification_for(version: ProductVersion, values: Mapping[str, Any]) -> dict[str, Any]:
    """What production needs to read: every parameter with its label and the chosen value."""
    spec = spec_for(version.id, version.spec)
    check = spec.check(values)
    params = []
    for p in spec.parameters:
        value = check.values.get(p.key)
        params.append(
            {
                "key": p.key,
                "label": p.label,
                "value": str(value) if value is not None else None,
                "display": p.describe(value) if value is not None else None,
            }
        )
    return {"productVersion": version.version, "parameters": params, "values": dict(values)}


class ProductLinePricing:
    """A configurable product, priced by the one engine at its current version."""

    kind: str = LineKind.PRODUCT

    async def admit(self, uow: UnitOfWork, viewer: Viewer, request: LineRequest) -> LineRequest:
        """A configuration was checked when it was saved; nothing to add."""
        return request

    async def price(self, uow: UnitOfWork, viewer: Viewer, request: LineRequest) -> PricedLine:
        """The product as the channel sells it now; gone or invalid lines carry problems."""
        channel = await uow.session.get(Channel, request.channel_id)
        if channel is None or request.product_id is None:
            return unavailable(request, "", "The channel is closed.")
        try:
            product, version = await product_in_channel(uow, channel, request.product_id)
        except DomainError:
            gone = await uow.session.get(Product, request.product_id)
            return unavailable(
                request, gone.name if gone else "", "This product is no longer available."
            )
        ctx = await price_context(uow, viewer, channel)
        return version_line(request, product, version, ctx)


def version_line(
    request: LineRequest, product: Product, version: ProductVersion, ctx: PriceContext
) -> PricedLine:
    """A product version priced by the one engine in a price context, as an order line."""
    result = price_version(version, request.values, request.quantity, ctx)
    return PricedLine(
        request,
        product.id,
        version.id,
        product.name,
        specification_for(version, request.values),
        result,
        () if result.valid else result_problems(result),
        token_subject=f"pv:{version.id}",
        token_config_hash=configuration_hash(request.values),
    )
