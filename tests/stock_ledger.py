"""The stock ledger's invariants, checked with plain SQL after every stock scenario."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

# Balances that differ from the sums of their ledger rows.
UNBALANCED = """
SELECT s.id, s.sku, s.on_hand, s.reserved, coalesce(m.on_hand, 0), coalesce(m.reserved, 0)
FROM stock_item s
LEFT JOIN (
    SELECT stock_item_id, sum(on_hand_delta) AS on_hand, sum(reserved_delta) AS reserved
    FROM stock_movement GROUP BY stock_item_id
) m ON m.stock_item_id = s.id
WHERE s.on_hand <> coalesce(m.on_hand, 0) OR s.reserved <> coalesce(m.reserved, 0)
"""
# Reservations still held by call-offs that are finished (delivered, rejected, cancelled).
STRANDED = """
SELECT o.number, o.status, m.stock_item_id, sum(m.reserved_delta)
FROM stock_movement m JOIN customer_order o ON o.id = m.order_id
GROUP BY o.number, o.status, m.stock_item_id
HAVING sum(m.reserved_delta) <> 0 AND o.status IN ('DELIVERED', 'REJECTED', 'CANCELLED')
    OR sum(m.reserved_delta) < 0
"""
# Movement rows whose "after" balances do not follow from the rows before them.
BROKEN_CHAIN = """
SELECT id FROM (
    SELECT id, on_hand_after, reserved_after,
           sum(on_hand_delta) OVER w AS on_hand, sum(reserved_delta) OVER w AS reserved
    FROM stock_movement WINDOW w AS (PARTITION BY stock_item_id ORDER BY id)
) x WHERE on_hand_after <> on_hand OR reserved_after <> reserved
"""
NEGATIVE = """
SELECT id FROM stock_item
WHERE on_hand < 0 OR reserved < 0 OR (NOT unlimited AND on_hand - reserved < 0)
"""


async def assert_ledger_balanced(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        for name, sql in (
            ("balances differ from the ledger", UNBALANCED),
            ("finished call-offs still hold stock", STRANDED),
            ("movement balances do not chain", BROKEN_CHAIN),
            ("negative balances", NEGATIVE),
        ):
            rows = (await conn.execute(text(sql))).all()
            assert not rows, f"{name}: {rows}"
