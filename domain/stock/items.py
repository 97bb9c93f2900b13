"""Stock item master data and the staff's own movements: receipts and adjustments."""

from __future__ import annotations

from dataclasses import dataclass, fields

from sqlalchemy import select

from domain.accounts.models import Company
from domain.accounts.viewer import Viewer
from domain.catalog.models import Product
from domain.shared.errors import DomainError, ErrorCollector
from domain.shared.unset import UNSET, Unset
from domain.shared.uow import UnitOfWork
from domain.stock.errors import StockErrorCode
from domain.stock.ledger import lock_items, post_movement, reload
from domain.stock.models import MovementKind, StockItem, StockUnit, Supplier
from domain.stock.policies import RECEIVING_ROLES, STOCK_DESK_ROLES, require_stock_role
from domain.stock.rules import SKU_RE, check_quantity, check_text, normalise_sku

NF = StockErrorCode.NOT_FOUND


@dataclass(frozen=True, slots=True)
class StockItemCreate:
    company_id: int
    sku: str
    name: str
    unit: StockUnit = StockUnit.PIECE
    reorder_point: int = 0
    order_multiple: int = 1
    supplier_id: int | None = None
    supplier_sku: str | None = None
    unlimited: bool = False
    product_id: int | None = None
    purchasable: bool = True
    ignore_for_sync: bool = False


@dataclass(frozen=True, slots=True)
class StockItemUpdate:
    name: str | Unset = UNSET
    unit: StockUnit | Unset = UNSET
    reorder_point: int | Unset = UNSET
    order_multiple: int | Unset = UNSET
    supplier_id: int | Unset | None = UNSET
    supplier_sku: str | Unset | None = UNSET
    unlimited: bool | Unset = UNSET
    product_id: int | Unset | None = UNSET
    purchasable: bool | Unset = UNSET
    ignore_for_sync: bool | Unset = UNSET


def _check_fields(errors: ErrorCollector, values: dict[str, object]) -> None:
    if "sku" in values and not SKU_RE.fullmatch(str(values["sku"])):
        errors.add(
            StockErrorCode.INVALID_SKU,
            "A SKU has 1-40 latin letters, digits and . _ / -, starting with a letter or digit.",
            "sku",
        )
    if "name" in values:
        check_text(errors, str(values["name"]), "name", limit=200, required=True)
    if "reorder_point" in values and not 0 <= int(str(values["reorder_point"])) <= 1_000_000:
        errors.add(StockErrorCode.INVALID_QUANTITY, "From 0 to 1,000,000.", "reorderPoint")
    if "order_multiple" in values and not 1 <= int(str(values["order_multiple"])) <= 1_000_000:
        errors.add(StockErrorCode.INVALID_QUANTITY, "From 1 to 1,000,000.", "orderMultiple")
    supplier_sku = values.get("supplier_sku")
    if isinstance(supplier_sku, str):
        check_text(errors, supplier_sku, "supplierSku", limit=60, required=True)


async def _check_references(
    uow: UnitOfWork, errors: ErrorCollector, item: StockItem, touched: set[str]
) -> None:
    if "supplier_id" in touched and item.supplier_id is not None:
        if await uow.session.get(Supplier, item.supplier_id) is None:
            errors.add(NF, "Supplier not found.", "supplierId")
    if item.supplier_sku is not None and item.supplier_id is None:
        errors.add(StockErrorCode.REQUIRED, "A supplier SKU needs a supplier.", "supplierId")
    if "product_id" in touched and item.product_id is not None:
        if await uow.session.get(Product, item.product_id) is None:
            errors.add(NF, "Product not found.", "productId")
    if {"sku", "company_id"} & touched:
        clash = await uow.scalar(
            select(StockItem.id).where(
                StockItem.company_id == item.company_id,
                StockItem.sku == item.sku,
                StockItem.id != (item.id or 0),
            )
        )
        if clash is not None:
            errors.add(StockErrorCode.DUPLICATE_SKU, "The company has this SKU already.", "sku")
    if {"supplier_id", "supplier_sku"} & touched and item.supplier_sku is not None:
        clash = await uow.scalar(
            select(StockItem.id).where(
                StockItem.supplier_id == item.supplier_id,
                StockItem.supplier_sku == item.supplier_sku,
                StockItem.id != (item.id or 0),
            )
        )
        if clash is not None:
            errors.add(
                StockErrorCode.DUPLICATE_SUPPLIER_SKU,
                "Another stock item has this supplier SKU.",
                "supplierSku",
            )


async def stock_item_create(uow: UnitOfWork, viewer: Viewer, cmd: StockItemCreate) -> StockItem:
    """Requires staff role ADMIN or SALES. Starts empty: stock comes in by receipts."""
    require_stock_role(viewer, STOCK_DESK_ROLES)
    sku = normalise_sku(cmd.sku)
    supplier_sku = cmd.supplier_sku.strip() if cmd.supplier_sku is not None else None
    errors = ErrorCollector()
    _check_fields(
        errors,
        {
            "sku": sku,
            "name": cmd.name,
            "reorder_point": cmd.reorder_point,
            "order_multiple": cmd.order_multiple,
            "supplier_sku": supplier_sku,
        },
    )
    errors.raise_if_any()
    async with uow:
        if await uow.session.get(Company, cmd.company_id) is None:
            raise DomainError.single(NF, "Company not found.", "companyId")
        item = StockItem(
            company_id=cmd.company_id,
            sku=sku,
            name=cmd.name.strip(),
            unit=cmd.unit,
            on_hand=0,
            reserved=0,
            unlimited=cmd.unlimited,
            reorder_point=cmd.reorder_point,
            order_multiple=cmd.order_multiple,
            supplier_id=cmd.supplier_id,
            supplier_sku=supplier_sku or None,
            product_id=cmd.product_id,
            purchasable=cmd.purchasable,
            ignore_for_sync=cmd.ignore_for_sync,
        )
        await _check_references(
            uow, errors, item, {"sku", "company_id", "supplier_id", "supplier_sku", "product_id"}
        )
        errors.raise_if_any()
        uow.session.add(item)
        await uow.session.flush()
        await uow.commit()
        return item


async def stock_item_update(
    uow: UnitOfWork, viewer: Viewer, item_id: int, cmd: StockItemUpdate
) -> StockItem:
    """Requires staff role ADMIN or SALES: name, unit, reorder point, order multiple, supplier,
    the unlimited, purchasable and ignore-for-sync flags and the catalog product. Balances
    change only through movements."""
    require_stock_role(viewer, STOCK_DESK_ROLES)
    values = {
        f.name: getattr(cmd, f.name) for f in fields(cmd) if getattr(cmd, f.name) is not UNSET
    }
    if isinstance(values.get("supplier_sku"), str):
        values["supplier_sku"] = str(values["supplier_sku"]).strip()
    errors = ErrorCollector()
    _check_fields(errors, values)
    errors.raise_if_any()
    async with uow:
        item = (await lock_items(uow, [item_id])).get(item_id)
        if item is None:
            raise DomainError.single(NF, "Stock item not found.", "id")
        for key, value in values.items():
            setattr(item, key, value.strip() if key == "name" and isinstance(value, str) else value)
        await _check_references(uow, errors, item, set(values))
        if not item.unlimited and item.on_hand < item.reserved:
            errors.add(
                StockErrorCode.INSUFFICIENT_STOCK,
                f"{item.reserved} are reserved but only {item.on_hand} on hand: receive stock "
                "before limiting the item.",
                "unlimited",
            )
        errors.raise_if_any()
        await uow.session.flush()
        await uow.commit()
        return item


async def stock_receive(
    uow: UnitOfWork, viewer: Viewer, item_id: int, quantity: int, note: str = ""
) -> StockItem:
    """Requires staff role ADMIN, SALES or PRODUCTION: goods in without a purchase order."""
    require_stock_role(viewer, RECEIVING_ROLES)
    errors = ErrorCollector()
    check_quantity(errors, quantity)
    check_text(errors, note, "note", limit=500)
    errors.raise_if_any()
    async with uow:
        levels = await post_movement(
            uow,
            viewer,
            item_id,
            MovementKind.RECEIPT,
            on_hand_delta=quantity,
            reason=note.strip() or "goods received",
        )
        if levels is None:
            raise DomainError.single(NF, "Stock item not found.", "stockItemId")
        item = await reload(uow, item_id)
        await uow.commit()
        return item


async def stock_adjust(
    uow: UnitOfWork, viewer: Viewer, item_id: int, change: int, reason: str
) -> StockItem:
    """Requires staff role ADMIN or SALES: a stocktake difference, damage, a find. A reason is
    required; on hand may not drop under what is reserved (INSUFFICIENT_STOCK)."""
    require_stock_role(viewer, STOCK_DESK_ROLES)
    errors = ErrorCollector()
    if change == 0 or abs(change) > 1_000_000:
        errors.add(
            StockErrorCode.INVALID_QUANTITY,
            "The change is a whole number from -1,000,000 to 1,000,000, not 0.",
            "change",
        )
    check_text(errors, reason, "reason", limit=500, required=True)
    errors.raise_if_any()
    async with uow:
        item = (await lock_items(uow, [item_id])).get(item_id)
        if item is None:
            raise DomainError.single(NF, "Stock item not found.", "stockItemId")
        levels = await post_movement(
            uow,
            viewer,
            item_id,
            MovementKind.ADJUSTMENT,
            on_hand_delta=change,
            reason=reason.strip(),
        )
        if levels is None:
            floor = 0 if item.unlimited else item.reserved
            raise DomainError.single(
                StockErrorCode.INSUFFICIENT_STOCK,
                f"On hand is {item.on_hand} and may not drop under {floor}.",
                "change",
            )
        item = await reload(uow, item_id)
        await uow.commit()
        return item
