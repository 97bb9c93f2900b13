"""Never overselling under real concurrency: separate transactions on separate connections
race for the last units; the ledger stays append-only and the table's CHECKs hold."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.db import SqlUnitOfWork, create_engine, session_factory
from domain.accounts.rights import Right, StaffRole
from domain.accounts.viewer import Viewer, ViewerKind
from domain.shared.errors import DomainError
from domain.stock import items, supplier_feed
from domain.stock.calloff import CallOffCreate, CallOffLine, stock_call_off_create
from domain.stock.errors import StockErrorCode
from domain.stock.models import StockItem, Supplier
from server.demo import seed_demo
from tests.stock_ledger import assert_ledger_balanced

N = 10


@pytest.fixture
async def wide_engine(database_url: str, clean_db: None) -> AsyncIterator[AsyncEngine]:
    # Enough connections for every racer to hold its own transaction at once.
    eng = create_engine(database_url, pool_size=N + 2)
    yield eng
    await eng.dispose()


@pytest.fixture
async def world(wide_engine: AsyncEngine, engine: AsyncEngine) -> AsyncIterator[dict[str, object]]:
    sessions = session_factory(wide_engine)
    uow = SqlUnitOfWork(sessions)
    await seed_demo(uow)
    async with uow:
        acme = await uow.scalar(text("SELECT id FROM company WHERE code = 'acme'"))
        boss = await uow.scalar(text("SELECT id FROM portal_user WHERE login = 'boss.acme'"))
        admin = await uow.scalar(
            text("SELECT id FROM staff_user WHERE email = 'admin@shop.example'")
        )
        supplier = await uow.scalar(
            select(Supplier.id).where(Supplier.name == "Office Supplies Direct")
        )
        await uow.session.commit()
    await uow.close()
    staff = Viewer(ViewerKind.STAFF, user_id=admin, role=StaffRole.ADMIN)
    buyer = Viewer(
        ViewerKind.PORTAL,
        user_id=boss,
        company_id=acme,
        rights=frozenset({Right.PLACE_ORDERS, Right.VIEW_COMPANY_ORDERS}),
    )
    yield {"sessions": sessions, "acme": acme, "staff": staff, "buyer": buyer, "supplier": supplier}
    await assert_ledger_balanced(engine)


async def _new_item(world: dict[str, object], sku: str, on_hand: int) -> int:
    uow = SqlUnitOfWork(world["sessions"])  # type: ignore[arg-type]
    try:
        item = await items.stock_item_create(
            uow, world["staff"], items.StockItemCreate(company_id=world["acme"], sku=sku, name=sku)
        )  # type: ignore[arg-type]
        await items.stock_receive(uow, world["staff"], item.id, on_hand)  # type: ignore[arg-type]
        return item.id
    finally:
        await uow.close()


async def _call_off(
    world: dict[str, object], lines: list[tuple[int, int]], key: str | None = None
) -> str:
    uow = SqlUnitOfWork(world["sessions"])  # type: ignore[arg-type]
    try:
        cmd = CallOffCreate(
            idempotency_key=key or str(uuid.uuid4()), lines=[CallOffLine(i, q) for i, q in lines]
        )
        order = await stock_call_off_create(uow, world["buyer"], cmd)  # type: ignore[arg-type]
        return order.number
    except DomainError as exc:
        return exc.details[0].code.value
    finally:
        await uow.close()


async def _balances(world: dict[str, object], item_id: int) -> tuple[int, int]:
    uow = SqlUnitOfWork(world["sessions"])  # type: ignore[arg-type]
    try:
        row = (
            await uow.rows(
                select(StockItem.on_hand, StockItem.reserved).where(StockItem.id == item_id)
            )
        )[0]
        return int(row[0]), int(row[1])
    finally:
        await uow.close()


async def test_ten_concurrent_call_offs_for_five_units(world) -> None:  # type: ignore[no-untyped-def]
    item_id = await _new_item(world, "LAST-5", 5)
    results = await asyncio.gather(*(_call_off(world, [(item_id, 1)]) for _ in range(N)))
    granted = [r for r in results if r.startswith("c-")]
    assert len(granted) == 5 and len(set(granted)) == 5
    assert (
        sorted(r for r in results if not r.startswith("c-"))
        == [StockErrorCode.INSUFFICIENT_STOCK.value] * 5
    )
    assert await _balances(world, item_id) == (5, 5)


async def test_uneven_concurrent_call_offs_never_exceed_what_is_on_hand(world) -> None:  # type: ignore[no-untyped-def]
    item_id = await _new_item(world, "UNEVEN", 7)
    wanted = [3, 2, 2, 4, 1, 3, 2, 1, 5, 2]
    results = await asyncio.gather(*(_call_off(world, [(item_id, q)]) for q in wanted))
    granted = sum(q for q, r in zip(wanted, results, strict=True) if r.startswith("c-"))
    on_hand, reserved = await _balances(world, item_id)
    assert reserved == granted <= on_hand == 7


async def test_multi_line_call_offs_in_opposite_orders_do_not_deadlock(world) -> None:  # type: ignore[no-untyped-def]
    a = await _new_item(world, "AAA", 100)
    b = await _new_item(world, "BBB", 100)
    lines = [[(a, 1), (b, 1)] if n % 2 else [(b, 1), (a, 1)] for n in range(N)]
    results = await asyncio.gather(*(_call_off(world, ls) for ls in lines))
    assert all(r.startswith("c-") for r in results), results
    assert await _balances(world, a) == (100, N) and await _balances(world, b) == (100, N)


async def test_the_same_key_at_once_gives_one_call_off_and_one_reservation(world) -> None:  # type: ignore[no-untyped-def]
    item_id = await _new_item(world, "IDEM", 10)
    results = await asyncio.gather(
        *(_call_off(world, [(item_id, 2)], key="same-key") for _ in range(5))
    )
    assert len(set(results)) == 1 and results[0].startswith("c-")
    assert await _balances(world, item_id) == (10, 2)


async def test_the_same_supplier_message_at_once_is_applied_once(world) -> None:  # type: ignore[no-untyped-def]
    supplier = Viewer(ViewerKind.SUPPLIER, supplier_id=world["supplier"])  # type: ignore[arg-type]
    cmd = supplier_feed.SupplierStockUpdate(message_id="race-1", items=[("OSD-PEN-ACME-B", 650)])

    async def one() -> bool:
        uow = SqlUnitOfWork(world["sessions"])  # type: ignore[arg-type]
        try:
            return (await supplier_feed.supplier_stock_update(uow, supplier, cmd)).duplicate
        finally:
            await uow.close()

    duplicates = await asyncio.gather(*(one() for _ in range(5)))
    assert sorted(duplicates) == [False, True, True, True, True]
    uow = SqlUnitOfWork(world["sessions"])  # type: ignore[arg-type]
    try:
        moves = await uow.scalar(
            text("SELECT count(*) FROM stock_movement WHERE kind = 'SUPPLIER_CORRECTION'")
        )
        assert moves == 1
    finally:
        await uow.close()


async def test_the_database_itself_refuses_overselling_and_ledger_edits(world, engine) -> None:  # type: ignore[no-untyped-def]
    item_id = await _new_item(world, "GUARDED", 3)
    async with engine.connect() as conn:
        for sql in (
            "UPDATE stock_item SET reserved = on_hand + 1 WHERE id = :id",
            "UPDATE stock_item SET on_hand = -1, reserved = 0 WHERE id = :id",
            "UPDATE stock_item SET reserved = -1 WHERE id = :id",
        ):
            with pytest.raises(IntegrityError, match="ck_stock_item_"):
                await conn.execute(text(sql), {"id": item_id})
            await conn.rollback()
        # An unlimited item may reserve beyond on hand, but on hand never goes negative.
        await conn.execute(
            text("UPDATE stock_item SET unlimited = true, reserved = 9 WHERE id = :id"),
            {"id": item_id},
        )
        await conn.rollback()
        for sql in ("UPDATE stock_movement SET on_hand_delta = 99", "DELETE FROM stock_movement"):
            with pytest.raises(DBAPIError, match="immutable"):
                await conn.execute(text(sql))
            await conn.rollback()
