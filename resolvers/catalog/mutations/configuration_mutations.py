"""configurationCreate, configurationUpdate."""

from __future__ import annotations

import uuid

import strawberry

from domain.catalog import configurations as configs
from domain.catalog import models as cm
from domain.catalog.errors import CatalogErrorCode
from domain.shared.errors import DomainError
from resolvers.ids import require_pk
from resolvers.mutation import run
from schema.catalog.inputs import ConfigurationCreateInput, ConfigurationUpdateInput
from schema.catalog.payloads import ConfigurationCreatePayload, ConfigurationUpdatePayload
from schema.catalog.types import CatalogError, Configuration, Product
from schema.context import Info
from schema.pricing.types import Price

NF = CatalogErrorCode.NOT_FOUND


def _values(value: object) -> dict[str, object]:
    if not isinstance(value, dict):
        raise DomainError.single(
            CatalogErrorCode.INVALID_VALUE, "Expected a JSON object.", "values"
        )
    return value


async def _with_price(info: Info, config: cm.Configuration) -> dict[str, object]:
    ctx = info.context
    priced = await configs.configuration_price(
        ctx.uow, ctx.viewer, ctx.services.price_tokens, config
    )
    return {"configuration": Configuration.from_model(config), "price": Price.of(priced.result)}


async def configuration_create(
    info: Info, input: ConfigurationCreateInput
) -> ConfigurationCreatePayload:
    ctx = info.context

    async def action() -> dict[str, object]:
        product_id = require_pk(input.product_id, Product, "productId", NF)
        config = await configs.configuration_create(
            ctx.uow, ctx.viewer, input.channel, product_id, _values(input.values), input.quantity
        )
        return await _with_price(info, config)

    return await run(ConfigurationCreatePayload, CatalogError, action, lambda r: r)


def configuration_uuid(gid: strawberry.relay.GlobalID, field: str = "id") -> uuid.UUID:
    """Configurations have UUID keys, so resolvers.ids (integer keys) does not fit them."""
    if gid.type_name != "Configuration":
        raise DomainError.single(NF, "Configuration not found.", field)
    try:
        return uuid.UUID(gid.node_id)
    except ValueError:
        raise DomainError.single(NF, "Configuration not found.", field) from None


async def configuration_update(
    info: Info, input: ConfigurationUpdateInput
) -> ConfigurationUpdatePayload:
    ctx = info.context

    async def action() -> dict[str, object]:
        cmd = configs.ConfigurationUpdate(merge=not input.replace)
        if input.values is not strawberry.UNSET and input.values is not None:
            cmd.values = _values(input.values)
        if input.quantity is not strawberry.UNSET:
            if input.quantity is None:
                raise DomainError.single(
                    CatalogErrorCode.REQUIRED, "A quantity is required.", "quantity"
                )
            cmd.quantity = input.quantity
        config = await configs.configuration_update(
            ctx.uow, ctx.viewer, configuration_uuid(input.id), cmd
        )
        return await _with_price(info, config)

    return await run(ConfigurationUpdatePayload, CatalogError, action, lambda r: r)
