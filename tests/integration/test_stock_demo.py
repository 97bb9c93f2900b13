"""The demo stock: seeded once, with a balanced ledger, and a suggestion to reorder."""

from __future__ import annotations

from sqlalchemy import text

from adapters.db import SqlUnitOfWork, session_factory
from server.demo import seed_demo
from server.demo_stock import seed_stock
from tests.stock_ledger import assert_ledger_balanced


async def test_demo_stock_is_seeded_once_and_balanced(engine, clean_db) -> None:  # type: ignore[no-untyped-def]
    uow = SqlUnitOfWork(session_factory(engine))
    try:
        assert await seed_demo(uow)
        assert not await seed_stock(uow)
        assert not await seed_demo(uow)
    finally:
        await uow.close()
    async with engine.connect() as conn:
        rows = (
            await conn.execute(
                text(
                    "SELECT s.sku, s.on_hand, s.reserved, p.name FROM stock_item s "
                    "JOIN supplier p ON p.id = s.supplier_id JOIN company c ON c.id = s.company_id "
                    "WHERE c.code = 'acme' ORDER BY s.sku"
                )
            )
        ).all()
        kinds = (
            (await conn.execute(text("SELECT DISTINCT kind FROM stock_movement ORDER BY kind")))
            .scalars()
            .all()
        )
    assert [tuple(r) for r in rows] == [
        ("LH-A4", 3960, 0, "Office Supplies Direct"),
        ("PEN-BLUE", 500, 0, "Office Supplies Direct"),
        ("ROLLUP-85", 3, 0, "Banner Factory"),
    ]
    assert kinds == ["ADJUSTMENT", "RECEIPT"]
    await assert_ledger_balanced(engine)
