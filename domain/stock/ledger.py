"""The stock ledger: the only code that changes an item's balances.

Every change is one guarded ``UPDATE stock_item ... WHERE <the result stays valid>`` followed by
an immutable movement row with the same deltas, in the caller's transaction. The guard repeats
the table's CHECK constraints, so a refused change is a typed answer (None) rather than a
database error, and PostgreSQL re-evaluates it after waiting for a concurrent writer's row lock:
N concurrent call-offs for the last units get exactly what is available, never more.
Callers touching several items post them in ascending item id, so transactions lock rows in
the same order and cannot deadlock each other.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import cast

from sqlalchemy import Table, func, insert, or_, select, update

from domain.accounts.viewer import Viewer
from domain.shared.uow import UnitOfWork
from domain.stock.models import MovementActor, MovementKind, StockItem, StockMovement
from domain.stock.rules import available

TOPIC = "stock.level_changed"
_items = cast(Table, StockItem.__table__)
_movements = cast(Table, StockMovement.__table__)


@dataclass(frozen=True, slots=True)
class Levels:
    """An item's balances right after a movement."""

    stock_item_id: int
    company_id: int
    sku: str
    on_hand: int
    reserved: int
    unlimited: bool
    movement_id: int

    @property
    def available(self) -> int | None:
        return available(self.on_hand, self.reserved, self.unlimited)


def actor_of(viewer: Viewer, *, system: bool = False) -> dict[str, object]:
    if system:
        return {"actor_kind": MovementActor.SYSTEM}
    if viewer.is_staff:
        return {"actor_kind": MovementActor.STAFF, "staff_user_id": viewer.user_id}
    if viewer.is_supplier:
        return {"actor_kind": MovementActor.SUPPLIER, "supplier_id": viewer.supplier_id}
    return {"actor_kind": MovementActor.CUSTOMER, "portal_user_id": viewer.user_id}


async def post_movement(
    uow: UnitOfWork,
    viewer: Viewer,
    item_id: int,
    kind: MovementKind,
    *,
    on_hand_delta: int = 0,
    reserved_delta: int = 0,
    reason: str = "",
    order_id: int | None = None,
    purchase_order_id: int | None = None,
    supplier_message_id: int | None = None,
    system: bool = False,
) -> Levels | None:
    """Apply the deltas if the item's balances stay valid (on hand and reserved not negative,
    available not negative unless unlimited), record the movement and a level event. None when
    the guard refuses (the caller turns that into INSUFFICIENT_STOCK or the like)."""
    new_on_hand = _items.c.on_hand + on_hand_delta
    new_reserved = _items.c.reserved + reserved_delta
    row = (
        await uow.session.execute(
            update(_items)
            .where(
                _items.c.id == item_id,
                new_on_hand >= 0,
                new_reserved >= 0,
                or_(_items.c.unlimited, new_on_hand - new_reserved >= 0),
            )
            .values(on_hand=new_on_hand, reserved=new_reserved, updated_at=func.now())
            .returning(
                _items.c.company_id,
                _items.c.sku,
                _items.c.on_hand,
                _items.c.reserved,
                _items.c.unlimited,
            )
        )
    ).one_or_none()
    if row is None:
        return None
    movement_id = await uow.session.scalar(
        insert(_movements)
        .values(
            stock_item_id=item_id,
            company_id=row.company_id,
            kind=kind.value,
            on_hand_delta=on_hand_delta,
            reserved_delta=reserved_delta,
            on_hand_after=row.on_hand,
            reserved_after=row.reserved,
            reason=reason,
            order_id=order_id,
            purchase_order_id=purchase_order_id,
            supplier_message_id=supplier_message_id,
            at=func.now(),
            **{
                k: (v.value if isinstance(v, MovementActor) else v)
                for k, v in actor_of(viewer, system=system).items()
            },
        )
        .returning(_movements.c.id)
    )
    assert movement_id is not None
    levels = Levels(
        stock_item_id=item_id,
        company_id=row.company_id,
        sku=row.sku,
        on_hand=row.on_hand,
        reserved=row.reserved,
        unlimited=row.unlimited,
        movement_id=int(movement_id),
    )
    uow.record_event(
        TOPIC,
        levels.company_id,
        {
            "stockItemId": item_id,
            "sku": levels.sku,
            "movementId": levels.movement_id,
            "kind": kind.value,
            "onHand": levels.on_hand,
            "reserved": levels.reserved,
            "available": levels.available,
            "orderId": order_id,
        },
    )
    return levels


async def lock_items(uow: UnitOfWork, item_ids: Iterable[int]) -> dict[int, StockItem]:
    """Lock items in ascending id order (the same order every writer uses) and read them."""
    ids = sorted(set(item_ids))
    if not ids:
        return {}
    rows = await uow.scalars(
        select(StockItem)
        .where(StockItem.id.in_(ids))
        .order_by(StockItem.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return {r.id: r for r in rows}


async def reload(uow: UnitOfWork, item_id: int) -> StockItem:
    """The item as the database has it now (after guarded updates the session did not see)."""
    item: StockItem | None = await uow.scalar(
        select(StockItem).where(StockItem.id == item_id).execution_options(populate_existing=True)
    )
    assert item is not None
    return item


async def outstanding_reservations(uow: UnitOfWork, order_id: int) -> dict[int, int]:
    """What an order still holds per item: the sum of its movements' reserved deltas
    (reservations minus releases and issues), read from the ledger itself."""
    rows = await uow.rows(
        select(StockMovement.stock_item_id, func.sum(StockMovement.reserved_delta))
        .where(StockMovement.order_id == order_id)
        .group_by(StockMovement.stock_item_id)
    )
    return {int(item_id): int(total) for item_id, total in rows if total}
