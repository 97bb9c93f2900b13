"""The change feed: what changed, in resumable order."""

from __future__ import annotations

import datetime as dt

import strawberry
from strawberry import relay

from domain.changes import feed

ChangeKind = strawberry.enum(
    feed.ChangeKind,
    name="ChangeKind",
    description="What changed: PRODUCT (master data, versions and prices, channel listings), "
    "STOCK_ITEM, STOCK_MOVEMENT, PURCHASE_ORDER (and its receipts), ORDER, ORDER_LINE.",
)

# The Node type of a kind's entity, where it has one (fetch them with `nodes(ids:)`).
NODE_TYPES = {
    feed.ChangeKind.PRODUCT: "Product",
    feed.ChangeKind.STOCK_ITEM: "StockItem",
    feed.ChangeKind.PURCHASE_ORDER: "PurchaseOrder",
    feed.ChangeKind.ORDER: "Order",
}


@strawberry.type(description="One changed row.")
class Change:
    cursor: str = strawberry.field(description="Pass as `after` to read what follows.")
    kind: ChangeKind  # type: ignore[valid-type]
    operation: str = strawberry.field(description="INSERT, UPDATE or DELETE.")
    entity_id: int = strawberry.field(description="The changed object's database id.")
    node_id: relay.GlobalID | None = strawberry.field(
        description="Its global ID, for kinds that are nodes (read them with `nodes(ids:)`)."
    )
    at: dt.datetime

    @classmethod
    def from_change(cls, c: feed.Change) -> Change:
        type_name = NODE_TYPES.get(c.kind)
        return cls(
            cursor=c.position.encode(),
            kind=c.kind,
            operation=c.operation,
            entity_id=c.entity_id,
            node_id=relay.GlobalID(type_name, str(c.entity_id)) if type_name else None,
            at=c.at,
        )


@strawberry.type(description="A page of the change feed.")
class ChangePage:
    nodes: list[Change]
    end_cursor: str = strawberry.field(
        description="Where to go on from (also when the page is empty: nothing is skipped)."
    )
    has_next_page: bool = strawberry.field(description="More changes are ready now.")
