"""One page of the change feed as a reader gets it: the cursor checked against retention, the
changes, and what the entries carry (sync flags, sales lines)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from domain.accounts.viewer import Viewer
from domain.changes.details import ChangeDetails, change_details
from domain.changes.feed import Change, ChangeKind, Position, read_changes
from domain.changes.retention import check_cursor
from domain.shared.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class ChangePage:
    changes: Sequence[Change]
    end: Position
    more: bool
    details: ChangeDetails


async def read_page(
    uow: UnitOfWork,
    viewer: Viewer,
    after: Position,
    limit: int,
    kinds: Iterable[ChangeKind] = tuple(ChangeKind),
) -> ChangePage:
    """The viewer's next page after `after`; DomainError CURSOR_EXPIRED when retention has
    deleted changes the cursor has not read."""
    await check_cursor(uow, after)
    changes, end, more = await read_changes(uow, viewer, after, limit, kinds)
    return ChangePage(changes, end, more, await change_details(uow, changes))
