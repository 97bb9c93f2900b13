"""Change log retention: old entries are deleted in batches by a periodic job, and a reader
whose cursor lies before what was deleted is told to resync instead of silently missing rows.

Deletion goes in feed order ((xid, id), only below the read horizon, like a reader): each batch
deletes everything up to the position P of its last entry and records P in the one-row
`change_log_pruned`, in the same transaction. A cursor before P may have skipped deleted rows;
a cursor at or after P has read all of them. (Feed order is transaction order, not time: a
younger row that sorts before P, written by a transaction that started long before it committed,
goes with the batch.)
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, func, select, tuple_
from sqlalchemy.dialects.postgresql import insert

from domain.changes.errors import ChangeFeedErrorCode
from domain.changes.feed import HORIZON, START, Position
from domain.changes.models import ChangeLogEntry, ChangeLogPruned
from domain.shared.errors import DomainError
from domain.shared.uow import UnitOfWork

RETENTION_TASK = "changes.prune"


async def pruned_up_to(uow: UnitOfWork) -> Position:
    """Where retention has deleted up to (START when it never has)."""
    row = await uow.rows(
        select(ChangeLogPruned.xid, ChangeLogPruned.entry_id).where(ChangeLogPruned.id == 1)
    )
    return Position(row[0][0], row[0][1]) if row else START


async def check_cursor(uow: UnitOfWork, after: Position) -> None:
    """Raises CURSOR_EXPIRED when `after` lies before what retention deleted."""
    if after == START:
        return  # a fresh start reads from the oldest kept entry
    pruned = await pruned_up_to(uow)
    if (after.xid, after.id) < (pruned.xid, pruned.id):
        raise DomainError.single(
            ChangeFeedErrorCode.CURSOR_EXPIRED,
            "This cursor is older than the change log keeps (retention): changes after it "
            "have been deleted. Re-read your objects (a full sync), then read the feed again "
            "from the start (without `after`).",
            "after",
        )


async def prune_batch(uow: UnitOfWork, older_than: dt.datetime, batch: int) -> int:
    """Deletes up to about `batch` of the oldest entries written before `older_than`, in one
    transaction; returns how many were deleted (0: nothing is due)."""
    async with uow:
        last = (
            await uow.rows(
                select(ChangeLogEntry.xid, ChangeLogEntry.id)
                .where(ChangeLogEntry.created_at < older_than, ChangeLogEntry.xid < HORIZON)
                .order_by(ChangeLogEntry.xid, ChangeLogEntry.id)
                .offset(batch - 1)
                .limit(1)
            )
        ) or (
            await uow.rows(
                select(ChangeLogEntry.xid, ChangeLogEntry.id)
                .where(ChangeLogEntry.created_at < older_than, ChangeLogEntry.xid < HORIZON)
                .order_by(ChangeLogEntry.xid.desc(), ChangeLogEntry.id.desc())
                .limit(1)
            )
        )
        if not last:
            await uow.commit()
            return 0
        xid, pk = last[0]
        result = await uow.session.execute(
            delete(ChangeLogEntry).where(
                tuple_(ChangeLogEntry.xid, ChangeLogEntry.id) <= tuple_(xid, pk)
            )
        )
        await uow.session.execute(
            insert(ChangeLogPruned)
            .values(id=1, xid=xid, entry_id=pk)
            .on_conflict_do_update(
                index_elements=["id"], set_={"xid": xid, "entry_id": pk, "pruned_at": func.now()}
            )
        )
        await uow.commit()
        return int(getattr(result, "rowcount", 0) or 0)


async def prune_change_log(
    uow: UnitOfWork, now: dt.datetime, retention: dt.timedelta, *, batch: int = 5000
) -> int:
    """Deletes entries older than `retention`, batch after batch (each its own transaction, so
    writers are never held up for long); returns how many."""
    total = 0
    while True:
        deleted = await prune_batch(uow, now - retention, batch)
        total += deleted
        if deleted < batch:
            return total
