"""Pure stock rules: availability, reorder suggestions, purchase order status and the input
checks shared by the use cases. No database, unit-tested."""

from __future__ import annotations

import re
from collections.abc import Sequence

from domain.shared.errors import ErrorCollector
from domain.stock.errors import StockErrorCode
from domain.stock.models import PurchaseOrderStatus

MAX_QUANTITY = 1_000_000
SKU_RE = re.compile(r"^[A-Z0-9][A-Z0-9._/-]{0,39}$")


def available(on_hand: int, reserved: int, unlimited: bool) -> int | None:
    """What can still be called off; None for unlimited items (never refused)."""
    return None if unlimited else on_hand - reserved


def normalise_sku(sku: str) -> str:
    return sku.strip().upper()


def suggested_quantity(
    available_now: int, on_order: int, reorder_point: int, order_multiple: int
) -> int:
    """When available plus what is already on order falls under the reorder point, order the
    shortfall rounded up to the order multiple (at least one multiple); else nothing."""
    projected = available_now + on_order
    if projected >= reorder_point:
        return 0
    shortfall = reorder_point - projected
    multiple = max(order_multiple, 1)
    return -(-shortfall // multiple) * multiple


def purchase_order_status(lines: Sequence[tuple[int, int]]) -> PurchaseOrderStatus:
    """From (ordered, received) per line: nothing in -> OPEN, all in -> RECEIVED."""
    if lines and all(received >= ordered for ordered, received in lines):
        return PurchaseOrderStatus.RECEIVED
    if any(received > 0 for _, received in lines):
        return PurchaseOrderStatus.PARTIALLY_RECEIVED
    return PurchaseOrderStatus.OPEN


def check_quantity(
    errors: ErrorCollector, quantity: int, field: str | tuple[str, ...] = "quantity"
) -> None:
    if not 1 <= quantity <= MAX_QUANTITY:
        errors.add(
            StockErrorCode.INVALID_QUANTITY,
            f"The quantity is a whole number from 1 to {MAX_QUANTITY:,}.",
            field,
        )


def check_lines(
    errors: ErrorCollector, lines: Sequence[tuple[int, int]], *, id_field: str, limit: int = 100
) -> None:
    """(id, quantity) lines: at least one, at most ``limit``, positive, no id twice."""
    if not lines:
        errors.add(StockErrorCode.REQUIRED, "Give at least one line.", "lines")
        return
    if len(lines) > limit:
        errors.add(StockErrorCode.INVALID, f"At most {limit} lines.", "lines")
        return
    seen: set[int] = set()
    for index, (item_id, quantity) in enumerate(lines):
        check_quantity(errors, quantity, ("lines", str(index), "quantity"))
        if item_id in seen:
            errors.add(
                StockErrorCode.DUPLICATE_LINE,
                "This item is listed twice; give its total quantity once.",
                ("lines", str(index), id_field),
            )
        seen.add(item_id)


def check_text(
    errors: ErrorCollector, value: str, field: str, *, limit: int, required: bool = False
) -> None:
    if required and not value.strip():
        errors.add(StockErrorCode.REQUIRED, "This field is required.", field)
    elif len(value.strip()) > limit:
        errors.add(StockErrorCode.INVALID, f"At most {limit} characters.", field)
