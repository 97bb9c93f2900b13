"""livePrice: the price of a draft configuration, pushed whenever anything it depends on
changes, through the event stream, whichever server process made the change."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry
from graphql import GraphQLError

from domain.catalog import configurations as configs
from domain.catalog.models import Configuration as ConfigurationModel
from domain.events.ports import StoredEvent
from domain.shared.errors import DomainError
from resolvers.catalog.mutations.configuration_mutations import configuration_uuid
from schema.catalog.types import Configuration, LivePrice
from schema.context import Info, Loaders
from schema.pricing.types import Price

# Events that can change a draft's price, and the reason the push names.
REASONS = {
    "configuration.updated": "CONFIGURATION_UPDATED",
    "catalog.product_changed": "RULES_CHANGED",
    "laser.material_changed": "MATERIAL_CHANGED",
    "company.updated": "TERMS_CHANGED",
    "customer_group.updated": "TERMS_CHANGED",
}


def _affects(config: ConfigurationModel, event: StoredEvent) -> bool:
    p = event.payload
    if event.topic == "configuration.updated":
        return p.get("configurationId") == str(config.id)
    if event.topic == "catalog.product_changed":
        return p.get("productId") == config.product_id
    if event.topic == "company.updated":
        return config.company_id is not None and event.company_id == config.company_id
    return event.topic in REASONS


async def _priced(
    info: Info, loaders: Loaders, config_id: object, reason: str, event_id: int | None
) -> LivePrice:
    # The event's own session (see Context.event_scope): nothing cached survives between pushes.
    ctx = info.context
    uow = loaders.uow
    config = await configs.get_configuration(uow, ctx.viewer, config_id)  # type: ignore[arg-type]
    priced = await configs.configuration_price(uow, ctx.viewer, ctx.services.price_tokens, config)
    return LivePrice(
        configuration=Configuration.from_model(config),
        price=Price.of(priced.result),
        price_token=priced.price_token,
        expires_at=priced.expires_at,
        reason=reason,
        event_id=event_id,
    )


@strawberry.type
class CatalogSubscription:
    @strawberry.subscription(
        description="The live price of a draft configuration: sent at once, then on every "
        "configurationUpdate and whenever staff change its rules, a material price or the "
        "company's terms. Open to whoever may see the configuration."
    )
    async def live_price(
        self, info: Info, configuration_id: strawberry.relay.GlobalID
    ) -> AsyncGenerator[LivePrice, None]:
        ctx = info.context
        events = ctx.services.events
        if events is None:
            raise GraphQLError("Live prices are not available on this server.")
        try:
            config_id = configuration_uuid(configuration_id)
            config = await configs.get_configuration(ctx.uow, ctx.viewer, config_id)
        except DomainError:
            raise GraphQLError(
                "Configuration not found.", extensions={"code": "NOT_FOUND"}
            ) from None
        finally:
            await ctx.uow.close()
        stream = events.subscribe(lambda e: e.topic in REASONS and _affects(config, e))
        async with ctx.event_scope() as loaders:
            yield await _priced(info, loaders, config_id, "INITIAL", None)
        async for event in stream:
            async with ctx.event_scope() as loaders:
                yield await _priced(info, loaders, config_id, REASONS[event.topic], event.id)
