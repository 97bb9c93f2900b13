"""Server-side draft configurations: a buyer edits them, a live price follows every change."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from domain.accounts.viewer import Viewer
from domain.catalog.errors import CatalogErrorCode
from domain.catalog.models import Channel, Configuration
from domain.catalog.prices import price_context, price_version, product_in_channel, sign
from domain.catalog.services import channel_for, configuration_scope
from domain.pricing.result import PriceResult
from domain.pricing.tokens import PriceTokenConfig
from domain.shared.errors import DomainError
from domain.shared.unset import UNSET, Unset
from domain.shared.uow import UnitOfWork

MAX_VALUES = 100


def _clean_values(values: Mapping[str, Any]) -> dict[str, Any]:
    if len(values) > MAX_VALUES:
        raise DomainError.single(
            CatalogErrorCode.INVALID_VALUE, f"At most {MAX_VALUES} values.", "values"
        )
    # Stored as JSON: keep only JSON-native scalars; the engine checks the rest.
    out: dict[str, Any] = {}
    for key, value in values.items():
        if not isinstance(value, str | int | float | bool) and value is not None:
            raise DomainError.single(
                CatalogErrorCode.INVALID_VALUE,
                "A value is a string, number or boolean.",
                ("values", str(key)),
            )
        out[str(key)] = value
    return out


def _check_quantity(quantity: int) -> None:
    if not 1 <= quantity <= 10_000_000:
        raise DomainError.single(
            CatalogErrorCode.INVALID_VALUE, "The quantity is a whole number from 1.", "quantity"
        )


async def configuration_create(
    uow: UnitOfWork,
    viewer: Viewer,
    channel_code: str | None,
    product_id: int,
    values: Mapping[str, Any],
    quantity: int,
) -> Configuration:
    """Open to anyone: anonymous drafts are reachable only through their random id."""
    clean = _clean_values(values)
    _check_quantity(quantity)
    async with uow:
        channel = await channel_for(uow, viewer, channel_code)
        product, version = await product_in_channel(uow, channel, product_id)
        config = Configuration(
            id=uuid.uuid4(),
            company_id=viewer.company_id if viewer.is_portal else None,
            portal_user_id=viewer.user_id if viewer.is_portal else None,
            product_id=product.id,
            product_version_id=version.id,
            channel_id=channel.id,
            values=clean,
            quantity=quantity,
            revision=1,
        )
        uow.session.add(config)
        await uow.session.flush()
        await uow.commit()
        return config


async def get_configuration(
    uow: UnitOfWork, viewer: Viewer, config_id: uuid.UUID, field: str = "id"
) -> Configuration:
    """A draft the viewer may see, else NOT_FOUND at ``field`` (the input field that named it:
    `id`, or `configurationId` when a cart line refers to it)."""
    config: Configuration | None = await uow.scalar(
        select(Configuration).where(Configuration.id == config_id, configuration_scope(viewer))
    )
    if config is None:
        raise DomainError.single(CatalogErrorCode.NOT_FOUND, "Configuration not found.", field)
    return config


@dataclass(slots=True)
class ConfigurationUpdate:
    values: Mapping[str, Any] | Unset = UNSET
    merge: bool = True
    quantity: int | Unset = UNSET
    upgrade_version: bool = False


async def configuration_update(
    uow: UnitOfWork, viewer: Viewer, config_id: uuid.UUID, cmd: ConfigurationUpdate
) -> Configuration:
    """Change values (merged into the draft by default; null removes a value) or the quantity.
    Every subscriber of the draft's live price gets the new price."""
    async with uow:
        config = await get_configuration(uow, viewer, config_id)
        if cmd.values is not UNSET:
            incoming = _clean_values(cmd.values)
            values = dict(config.values) if cmd.merge else {}
            for key, value in incoming.items():
                if value is None:
                    values.pop(key, None)
                else:
                    values[key] = value
            config.values = values
        if cmd.quantity is not UNSET:
            _check_quantity(cmd.quantity)
            config.quantity = cmd.quantity
        if cmd.upgrade_version:
            channel = await uow.session.get(Channel, config.channel_id)
            assert channel is not None
            _, version = await product_in_channel(uow, channel, config.product_id)
            config.product_version_id = version.id
        config.revision += 1
        await uow.session.flush()
        uow.record_event(
            "configuration.updated",
            config.company_id,
            {"configurationId": str(config.id), "revision": config.revision},
        )
        await uow.commit()
        return config


@dataclass(frozen=True, slots=True)
class ConfigurationPrice:
    result: PriceResult
    price_token: str | None
    expires_at: dt.datetime | None


async def configuration_price(
    uow: UnitOfWork, viewer: Viewer, tokens: PriceTokenConfig, config: Configuration
) -> ConfigurationPrice:
    """The draft's price on the product's current version (a live price follows rule changes);
    the token names the version it was computed on."""
    channel = await uow.session.get(Channel, config.channel_id)
    if channel is None:
        raise DomainError.single(CatalogErrorCode.NOT_FOUND, "Channel not found.", "channel")
    _, version = await product_in_channel(uow, channel, config.product_id)
    ctx = await price_context(uow, viewer, channel, config.company_id)
    result = price_version(version, config.values, config.quantity, ctx)
    token, expires = sign(tokens, f"pv:{version.id}", config.values, result, ctx)
    return ConfigurationPrice(result, token, expires)
