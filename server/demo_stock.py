"""Demo stock for `pressroom seed-demo`: ACME's letterheads, pens and roll-up banners held by
the shop, two suppliers, and a history of receipts and an adjustment in the ledger."""

from __future__ import annotations

from sqlalchemy import select

from adapters.db import SqlUnitOfWork
from domain.accounts.models import Company, StaffUser
from domain.accounts.viewer import Viewer, ViewerKind
from domain.stock.ledger import post_movement
from domain.stock.models import MovementKind, StockItem, StockUnit, Supplier

# (sku, name, unit, supplier, supplier sku, reorder point, order multiple, receipts, adjustment)
ITEMS = [
    (
        "LH-A4",
        "Letterhead A4, 100 g, printed",
        StockUnit.SHEET,
        "office",
        "OSD-LH-ACME-A4",
        1000,
        500,
        [2500, 1500],
        (-40, "Stocktake: 40 sheets water-damaged"),
    ),
    (
        "PEN-BLUE",
        "Ballpoint pen, blue, ACME logo",
        StockUnit.PIECE,
        "office",
        "OSD-PEN-ACME-B",
        200,
        100,
        [500],
        None,
    ),
    (
        "ROLLUP-85",
        "Roll-up banner 85 x 200 cm, ACME booth",
        StockUnit.PIECE,
        "banners",
        "BF-RU85-ACME",
        5,
        2,
        [4],
        (-1, "Banner returned damaged from trade fair"),
    ),
]


async def seed_stock(uow: SqlUnitOfWork) -> bool:
    """Idempotent: False when the demo stock is already there."""
    async with uow:
        if await uow.scalar(select(Supplier.id).where(Supplier.name == "Office Supplies Direct")):
            return False
        acme_id = await uow.scalar(select(Company.id).where(Company.code == "acme"))
        admin_id = await uow.scalar(
            select(StaffUser.id).where(StaffUser.email == "admin@shop.example")
        )
        if acme_id is None or admin_id is None:
            return False
        suppliers = {
            "office": Supplier(
                name="Office Supplies Direct",
                email="orders@osd.example",
                lead_time_days=5,
                is_active=True,
            ),
            "banners": Supplier(
                name="Banner Factory",
                email="sales@bannerfactory.example",
                lead_time_days=10,
                is_active=True,
            ),
        }
        uow.session.add_all(suppliers.values())
        await uow.session.flush()
        admin = Viewer(ViewerKind.STAFF, user_id=admin_id)
        for sku, name, unit, supplier, supplier_sku, reorder, multiple, receipts, fix in ITEMS:
            item = StockItem(
                company_id=acme_id,
                sku=sku,
                name=name,
                unit=unit,
                on_hand=0,
                reserved=0,
                unlimited=False,
                reorder_point=reorder,
                order_multiple=multiple,
                supplier_id=suppliers[supplier].id,
                supplier_sku=supplier_sku,
            )
            uow.session.add(item)
            await uow.session.flush()
            for quantity in receipts:
                await post_movement(
                    uow,
                    admin,
                    item.id,
                    MovementKind.RECEIPT,
                    on_hand_delta=quantity,
                    reason="goods received",
                )
            if fix is not None:
                await post_movement(
                    uow,
                    admin,
                    item.id,
                    MovementKind.ADJUSTMENT,
                    on_hand_delta=fix[0],
                    reason=fix[1],
                )
        await uow.commit()
        return True
