"""Supplier systems push their stock counts: authenticated by a per-supplier API key (stored
as a SHA-256 digest, shown once), idempotent by the supplier's message id."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert

from domain.accounts.tokens import new_opaque_token, token_digest
from domain.accounts.viewer import Viewer, ViewerKind
from domain.shared.errors import DomainError, ErrorCollector
from domain.shared.uow import UnitOfWork
from domain.stock.errors import StockErrorCode
from domain.stock.ledger import post_movement
from domain.stock.models import MovementKind, StockItem, Supplier, SupplierMessage
from domain.stock.policies import SUPPLIER_KEY_ROLES, require_stock_role, require_supplier
from domain.stock.rules import MAX_QUANTITY

KEY_PREFIX = "prs_sup_"
MAX_ITEMS = 1000


def is_supplier_key(token: str | None) -> bool:
    return bool(token) and str(token).startswith(KEY_PREFIX)


async def supplier_viewer(uow: UnitOfWork, key: str) -> Viewer | None:
    """The viewer for an active supplier's key; None for any other key."""
    supplier_id = await uow.scalar(
        select(Supplier.id).where(
            Supplier.api_key_digest == token_digest(key), Supplier.is_active.is_(True)
        )
    )
    return None if supplier_id is None else Viewer(ViewerKind.SUPPLIER, supplier_id=supplier_id)


async def supplier_api_key_create(
    uow: UnitOfWork, viewer: Viewer, supplier_id: int
) -> tuple[Supplier, str]:
    """Requires staff role ADMIN. A new key replaces the old one at once; the key itself is
    returned only here and never stored."""
    require_stock_role(viewer, SUPPLIER_KEY_ROLES)
    async with uow:
        supplier = await uow.session.get(Supplier, supplier_id, with_for_update=True)
        if supplier is None:
            raise DomainError.single(StockErrorCode.NOT_FOUND, "Supplier not found.", "id")
        key = KEY_PREFIX + new_opaque_token()
        supplier.api_key_digest = token_digest(key)
        supplier.api_key_hint = key[: len(KEY_PREFIX) + 4] + "…"
        await uow.session.flush()
        await uow.commit()
        return supplier, key


@dataclass(frozen=True, slots=True)
class SupplierStockUpdate:
    message_id: str
    items: Sequence[tuple[str, int]] = field(default_factory=tuple)  # (supplier SKU, on hand)


@dataclass(frozen=True, slots=True)
class SupplierStockResult:
    message_id: str
    duplicate: bool  # True: the message was processed before; nothing changed now
    items: list[dict[str, Any]]  # supplierSku, previousOnHand, onHand


def _validate(cmd: SupplierStockUpdate) -> None:
    errors = ErrorCollector()
    if not cmd.message_id.strip() or len(cmd.message_id) > 100:
        errors.add(
            StockErrorCode.REQUIRED, "A message id (1-100 characters) is required.", "messageId"
        )
    if not cmd.items or len(cmd.items) > MAX_ITEMS:
        errors.add(StockErrorCode.REQUIRED, f"Give 1 to {MAX_ITEMS} items.", "items")
    seen: set[str] = set()
    for index, (sku, on_hand) in enumerate(cmd.items):
        if not sku.strip():
            errors.add(
                StockErrorCode.REQUIRED,
                "A supplier SKU is required.",
                ("items", str(index), "supplierSku"),
            )
        elif sku.strip() in seen:
            errors.add(
                StockErrorCode.DUPLICATE_LINE,
                "This SKU is listed twice.",
                ("items", str(index), "supplierSku"),
            )
        seen.add(sku.strip())
        if not 0 <= on_hand <= MAX_QUANTITY:
            errors.add(
                StockErrorCode.INVALID_QUANTITY,
                f"On hand is a whole number from 0 to {MAX_QUANTITY:,}.",
                ("items", str(index), "onHand"),
            )
    errors.raise_if_any()


def _digest(items: Sequence[tuple[str, int]]) -> str:
    canonical = json.dumps(sorted((sku.strip(), n) for sku, n in items), separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


async def supplier_stock_update(
    uow: UnitOfWork, viewer: Viewer, cmd: SupplierStockUpdate
) -> SupplierStockResult:
    """Requires a supplier API key. Sets each item's on-hand count to what the supplier
    reports (a SUPPLIER_CORRECTION movement for every change). All or nothing: an unknown SKU
    or a count under what customers have reserved refuses the whole message, which may then
    be sent again. A message id already processed changes nothing and answers as before."""
    supplier_id = require_supplier(viewer)
    _validate(cmd)
    digest = _digest(cmd.items)
    async with uow:
        # Claims the id; a concurrent copy waits here for this transaction and then sees it.
        message_pk = await uow.session.scalar(
            insert(SupplierMessage)
            .values(
                supplier_id=supplier_id, message_id=cmd.message_id, payload_digest=digest, result=[]
            )
            .on_conflict_do_nothing(index_elements=["supplier_id", "message_id"])
            .returning(SupplierMessage.id)
        )
        if message_pk is None:
            return await _replay(uow, supplier_id, cmd.message_id, digest)
        by_sku = {
            i.supplier_sku: i
            for i in await uow.scalars(
                select(StockItem)
                .where(
                    StockItem.supplier_id == supplier_id,
                    StockItem.supplier_sku.in_([sku.strip() for sku, _ in cmd.items]),
                )
                .order_by(StockItem.id)
                .with_for_update()
                .execution_options(populate_existing=True)
            )
        }
        errors = ErrorCollector()
        results: list[dict[str, Any]] = []
        ordered = sorted(
            enumerate(cmd.items),
            key=lambda p: by_sku[p[1][0].strip()].id if p[1][0].strip() in by_sku else 0,
        )
        for index, (raw_sku, on_hand) in ordered:
            item = by_sku.get(raw_sku.strip())
            if item is None:
                errors.add(
                    StockErrorCode.UNKNOWN_SUPPLIER_SKU,
                    "No stock item has this SKU.",
                    ("items", str(index), "supplierSku"),
                )
                continue
            previous = item.on_hand
            if on_hand != previous:
                levels = await post_movement(
                    uow,
                    viewer,
                    item.id,
                    MovementKind.SUPPLIER_CORRECTION,
                    on_hand_delta=on_hand - previous,
                    supplier_message_id=message_pk,
                    reason=f"supplier message {cmd.message_id}",
                )
                if levels is None:
                    errors.add(
                        StockErrorCode.BELOW_RESERVED,
                        f"{item.reserved} are reserved for call-offs; on hand cannot be lower.",
                        ("items", str(index), "onHand"),
                    )
                    continue
            results.append(
                {
                    "index": index,
                    "supplierSku": item.supplier_sku,
                    "previousOnHand": previous,
                    "onHand": on_hand,
                }
            )
        errors.raise_if_any()
        stored = [
            {k: v for k, v in r.items() if k != "index"}
            for r in sorted(results, key=lambda r: int(r["index"]))
        ]
        message = await uow.session.get(SupplierMessage, message_pk)
        assert message is not None
        message.result = stored
        await uow.session.flush()
        await uow.commit()
        return SupplierStockResult(message_id=cmd.message_id, duplicate=False, items=stored)


async def _replay(
    uow: UnitOfWork, supplier_id: int, message_id: str, digest: str
) -> SupplierStockResult:
    message: SupplierMessage | None = await uow.scalar(
        select(SupplierMessage).where(
            SupplierMessage.supplier_id == supplier_id, SupplierMessage.message_id == message_id
        )
    )
    assert message is not None
    if message.payload_digest != digest:
        raise DomainError.single(
            StockErrorCode.MESSAGE_ID_REUSED,
            "This message id was already used for a message with other content.",
            "messageId",
        )
    return SupplierStockResult(message_id=message_id, duplicate=True, items=list(message.result))
