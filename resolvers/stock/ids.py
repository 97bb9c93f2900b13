"""Decoding stock item IDs inside input lists: not found at the line's own path."""

from __future__ import annotations

from collections.abc import Sequence

from strawberry import relay

from domain.shared.errors import DomainError
from domain.stock.errors import StockErrorCode
from schema.core import decode_gid
from schema.stock.inputs import StockItemQuantityInput
from schema.stock.types import StockItem


def line_pks(lines: Sequence[StockItemQuantityInput]) -> list[tuple[int, int]]:
    """(stock item pk, quantity) per line; a wrong or foreign ID answers NOT_FOUND like a
    missing one, at ``lines.<i>.stockItemId``."""
    return [(_pk(line.stock_item_id, i), line.quantity) for i, line in enumerate(lines)]


def _pk(gid: relay.GlobalID, index: int) -> int:
    pk = decode_gid(gid, StockItem)
    if pk is None:
        raise DomainError.single(
            StockErrorCode.NOT_FOUND, "Stock item not found.", ("lines", str(index), "stockItemId")
        )
    return pk
