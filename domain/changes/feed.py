"""Reading the change log: complete and gap-free across processes.

Identity values are handed out when rows are written but become visible when their
transactions commit, in another order; a reader that remembered "the last id" would skip a
row committed late under a smaller id. So a reader takes only rows of transactions older than
every transaction still running (`xid < pg_snapshot_xmin(pg_current_snapshot())`: finished,
committed or not), in (xid, id) order, and resumes after the last (xid, id) it returned. A
transaction still running has an xid at or above that bound, so whatever it commits sorts
after everything returned. The price: a change shows once every older transaction has ended
(a long transaction holds the feed back, never loses a row).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import BigInteger, ColumnElement, and_, false, literal_column, or_, select, tuple_

from domain.accounts.rights import Right
from domain.accounts.viewer import Viewer
from domain.changes.models import ChangeLogEntry
from domain.integrations.scopes import ApiKeyScope
from domain.shared.uow import UnitOfWork


class ChangeKind(StrEnum):
    PRODUCT = "product"  # master data, versions (prices), channel listings
    STOCK_ITEM = "stock_item"
    STOCK_MOVEMENT = "stock_movement"
    PURCHASE_ORDER = "purchase_order"  # and its lines (receipts)
    ORDER = "customer_order"
    ORDER_LINE = "order_line"


@dataclass(frozen=True, slots=True)
class Position:
    """Where a reader stands: after the row (xid, id)."""

    xid: int
    id: int

    def encode(self) -> str:
        return f"{self.xid}.{self.id}"

    @classmethod
    def decode(cls, cursor: str) -> Position:
        xid, _, pk = cursor.partition(".")
        return cls(int(xid), int(pk))


START = Position(0, 0)


@dataclass(frozen=True, slots=True)
class Change:
    position: Position
    kind: ChangeKind
    entity_id: int
    company_id: int | None
    operation: str
    at: dt.datetime


# The API key scope (domain/integrations/scopes.py) a key needs for each kind.
KIND_SCOPES: dict[ChangeKind, ApiKeyScope] = {
    ChangeKind.PRODUCT: ApiKeyScope.READ_CATALOG,
    ChangeKind.STOCK_ITEM: ApiKeyScope.READ_STOCK,
    ChangeKind.STOCK_MOVEMENT: ApiKeyScope.READ_STOCK,
    ChangeKind.PURCHASE_ORDER: ApiKeyScope.READ_STOCK,
    ChangeKind.ORDER: ApiKeyScope.READ_ORDERS,
    ChangeKind.ORDER_LINE: ApiKeyScope.READ_ORDERS,
}


def visible_kinds(viewer: Viewer) -> frozenset[ChangeKind]:
    """Staff see every kind; a portal user the catalog, the company's stock, and the company's
    orders with VIEW_COMPANY_ORDERS; never the shop's purchasing. An API key only the kinds
    its scopes reach."""
    if viewer.is_staff:
        kinds = set(ChangeKind)
    elif viewer.is_portal:
        kinds = {ChangeKind.PRODUCT, ChangeKind.STOCK_ITEM, ChangeKind.STOCK_MOVEMENT}
        if Right.VIEW_COMPANY_ORDERS in viewer.rights:
            kinds |= {ChangeKind.ORDER, ChangeKind.ORDER_LINE}
    else:
        return frozenset()
    if viewer.key_scopes is not None:
        kinds = {k for k in kinds if KIND_SCOPES[k].value in viewer.key_scopes}
    return frozenset(kinds)


def _scope(viewer: Viewer, kinds: Iterable[ChangeKind]) -> ColumnElement[bool]:
    kinds = set(kinds) & visible_kinds(viewer)
    if not kinds:
        return false()
    allowed = ChangeLogEntry.kind.in_([k.value for k in kinds])
    if viewer.is_staff:
        return allowed
    return and_(
        allowed,
        or_(
            ChangeLogEntry.kind == ChangeKind.PRODUCT.value,
            ChangeLogEntry.company_id == viewer.company_id,
        ),
    )


# Transactions older than this have all ended: their rows are final.
HORIZON: ColumnElement[int] = literal_column(
    "pg_snapshot_xmin(pg_current_snapshot())::text::bigint", BigInteger
)


async def read_changes(
    uow: UnitOfWork,
    viewer: Viewer,
    after: Position,
    limit: int,
    kinds: Iterable[ChangeKind] = tuple(ChangeKind),
) -> tuple[Sequence[Change], Position, bool]:
    """Up to `limit` changes after `after` that the viewer may see, the position to resume
    from (`after` itself when there was none) and whether more are ready now."""
    rows = await uow.scalars(
        select(ChangeLogEntry)
        .where(
            tuple_(ChangeLogEntry.xid, ChangeLogEntry.id) > tuple_(after.xid, after.id),
            ChangeLogEntry.xid < HORIZON,
            _scope(viewer, kinds),
        )
        .order_by(ChangeLogEntry.xid, ChangeLogEntry.id)
        .limit(limit + 1)
    )
    more = len(rows) > limit
    rows = rows[:limit]
    changes = [
        Change(
            Position(r.xid, r.id),
            ChangeKind(r.kind),
            r.entity_id,
            r.company_id,
            r.operation,
            r.created_at,
        )
        for r in rows
    ]
    return changes, changes[-1].position if changes else after, more
