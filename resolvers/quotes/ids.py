"""Global IDs of the quotes area decoded inside the command, so a wrong or foreign ID is a
typed NOT_FOUND at its own path, like a missing one."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from strawberry import relay

from domain.quotes.errors import QuoteErrorCode
from domain.quotes.lines import LineInput
from domain.shared.errors import DomainError
from resolvers.catalog.mutations.configuration_mutations import configuration_uuid
from schema.catalog.types import Product
from schema.core import decode_gid
from schema.laser.parts import Part
from schema.quotes.inputs import QuoteLineInput
from schema.stock.types import StockItem


def pk(gid: relay.GlobalID, node_type: type, field: str | tuple[str, ...]) -> int:
    found = decode_gid(gid, node_type)
    if found is None:
        raise DomainError.single(QuoteErrorCode.NOT_FOUND, "Not found.", field)
    return found


def opt_pk(gid: relay.GlobalID | None, node_type: type, field: str | tuple[str, ...]) -> int | None:
    return None if gid is None else pk(gid, node_type, field)


def pks(gids: Sequence[relay.GlobalID], node_type: type, field: str) -> list[int]:
    return [pk(g, node_type, (field, str(i))) for i, g in enumerate(gids)]


def _configuration(gid: relay.GlobalID | None, at: tuple[str, ...]) -> uuid.UUID | None:
    if gid is None:
        return None
    try:
        return configuration_uuid(gid)
    except DomainError:
        raise DomainError.single(
            QuoteErrorCode.NOT_FOUND, "Configuration not found.", (*at, "configurationId")
        ) from None


def line_input(x: QuoteLineInput, at: tuple[str, ...]) -> LineInput:
    values: Any = x.configuration or {}
    if not isinstance(values, dict):
        raise DomainError.single(
            QuoteErrorCode.INVALID, "An object of values.", (*at, "configuration")
        )
    rate = x.vat_rate_percent
    return LineInput(
        quantity=x.quantity,
        product_id=opt_pk(x.product_id, Product, (*at, "productId")),
        configuration_id=_configuration(x.configuration_id, at),
        values=values,
        part_id=opt_pk(x.part_id, Part, (*at, "partId")),
        stock_item_id=opt_pk(x.stock_item_id, StockItem, (*at, "stockItemId")),
        title=x.title,
        description=x.description,
        net=x.net,
        vat_rate_percent=Decimal(rate) if rate is not None else None,
    )
