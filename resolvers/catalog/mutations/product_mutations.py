"""channelCreate, productCreate, productUpdate."""

from __future__ import annotations

import strawberry

from domain.catalog import models as cm
from domain.catalog import services
from domain.catalog.errors import CatalogErrorCode
from domain.shared.errors import DomainError
from resolvers.ids import require_pk
from resolvers.mutation import run
from schema.catalog.inputs import ChannelCreateInput, ProductCreateInput, ProductUpdateInput
from schema.catalog.payloads import ChannelCreatePayload, ProductCreatePayload, ProductUpdatePayload
from schema.catalog.types import CatalogError, Channel, Product
from schema.context import Info

NF = CatalogErrorCode.NOT_FOUND


def _json_object(value: object, field: str) -> dict[str, object]:
    if not isinstance(value, dict):
        raise DomainError.single(CatalogErrorCode.INVALID_SPEC, "Expected a JSON object.", field)
    return value


async def channel_create(info: Info, input: ChannelCreateInput) -> ChannelCreatePayload:
    ctx = info.context
    data = services.ChannelData(code=input.code.strip(), name=input.name, currency=input.currency)
    return await run(
        ChannelCreatePayload,
        CatalogError,
        lambda: services.channel_create(ctx.uow, ctx.viewer, data),
        lambda c: {"channel": Channel.from_model(c)},
    )


async def product_create(info: Info, input: ProductCreateInput) -> ProductCreatePayload:
    ctx = info.context

    async def action() -> cm.Product:
        data = services.ProductData(
            code=input.code.strip(),
            kind=input.kind,
            name=input.name,
            spec=_json_object(input.spec, "spec"),
            rules=_json_object(input.rules, "rules"),
            description=input.description,
            image_urls=input.image_urls,
            channel_ids=[require_pk(c, Channel, "channelIds", NF) for c in input.channel_ids],
        )
        return await services.product_create(ctx.uow, ctx.viewer, data)

    return await run(
        ProductCreatePayload, CatalogError, action, lambda p: {"product": Product.from_model(p)}
    )


async def product_update(info: Info, input: ProductUpdateInput) -> ProductUpdatePayload:
    ctx = info.context

    async def action() -> cm.Product:
        cmd = services.ProductUpdate()
        for name in (
            "name",
            "description",
            "image_urls",
            "is_active",
            "purchasable",
            "ignore_for_sync",
        ):
            value = getattr(input, name)
            if value is None:
                raise DomainError.single(
                    CatalogErrorCode.REQUIRED, "This field cannot be emptied.", name
                )
            if value is not strawberry.UNSET:
                setattr(cmd, name, value)
        if input.channel_ids is not strawberry.UNSET:
            cmd.channel_ids = [
                require_pk(c, Channel, "channelIds", NF) for c in input.channel_ids or []
            ]
        if input.spec is not strawberry.UNSET:
            cmd.spec = _json_object(input.spec, "spec")
        if input.rules is not strawberry.UNSET:
            cmd.rules = _json_object(input.rules, "rules")
        product_id = require_pk(input.id, Product, "id", NF)
        return await services.product_update(ctx.uow, ctx.viewer, product_id, cmd)

    return await run(
        ProductUpdatePayload, CatalogError, action, lambda p: {"product": Product.from_model(p)}
    )
