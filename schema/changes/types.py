"""The change feed: what changed, in resumable order."""

from __future__ import annotations

import datetime as dt

import strawberry
from strawberry import relay

from domain.changes import feed
from domain.changes.details import ChangeDetails
from domain.changes.errors import ChangeFeedErrorCode as _ChangeFeedErrorCode
from schema.core import UserError

ChangeKind = strawberry.enum(
    feed.ChangeKind,
    name="ChangeKind",
    description="What changed: PRODUCT (master data, versions and prices, channel listings), "
    "STOCK_ITEM, STOCK_MOVEMENT, PURCHASE_ORDER (and its receipts), ORDER, ORDER_LINE.",
)

ChangeFeedErrorCode = strawberry.enum(
    _ChangeFeedErrorCode,
    name="ChangeFeedErrorCode",
    description="INVALID_CURSOR: not a cursor of this feed. CURSOR_EXPIRED: older than the "
    "change log keeps; re-read your objects, then read the feed again without `after`.",
)

# The Node type of a kind's entity, where it has one (fetch them with `nodes(ids:)`).
NODE_TYPES = {
    feed.ChangeKind.PRODUCT: "Product",
    feed.ChangeKind.STOCK_ITEM: "StockItem",
    feed.ChangeKind.PURCHASE_ORDER: "PurchaseOrder",
    feed.ChangeKind.ORDER: "Order",
}


def _gid(type_name: str, pk: int | None) -> relay.GlobalID | None:
    return None if pk is None else relay.GlobalID(type_name, str(pk))


@strawberry.type(description="A failure reading the change feed.")
class ChangeFeedError(UserError):
    code: ChangeFeedErrorCode  # type: ignore[valid-type]


@strawberry.type(description="The sync flags of a product or stock item, as they are now.")
class SyncFlags:
    purchasable: bool = strawberry.field(
        description="Product: can be ordered. Stock item: the shop buys it in from its supplier."
    )
    ignore_for_sync: bool = strawberry.field(
        description="Staff marked it to be left out of synchronisation."
    )


@strawberry.type(
    description="An order line as a sale, with what it sold for another system to map."
)
class SaleLine:
    order_id: relay.GlobalID = strawberry.field(description="The Order.")
    order_number: str
    product_id: relay.GlobalID | None = strawberry.field(description="The Product sold.")
    stock_item_id: relay.GlobalID | None = strawberry.field(
        description="The StockItem called off, if any."
    )
    part_id: relay.GlobalID | None = strawberry.field(description="The laser Part, if any.")
    sku: str | None = strawberry.field(
        description="The stock item's SKU for a call-off, otherwise the product's code."
    )
    quantity: int


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
    flags: SyncFlags | None = strawberry.field(
        description="PRODUCT and STOCK_ITEM: purchasable and ignore-for-sync as they are now "
        "(null once deleted)."
    )
    sale: SaleLine | None = strawberry.field(
        description="ORDER_LINE: the line's order, product, stock item, part and SKU as they "
        "are now (null once deleted)."
    )

    @classmethod
    def from_change(cls, c: feed.Change, details: ChangeDetails) -> Change:
        type_name = NODE_TYPES.get(c.kind)
        flags = details.flags.get((c.kind, c.entity_id))
        sale = details.sales.get(c.entity_id) if c.kind is feed.ChangeKind.ORDER_LINE else None
        return cls(
            cursor=c.position.encode(),
            kind=c.kind,
            operation=c.operation,
            entity_id=c.entity_id,
            node_id=relay.GlobalID(type_name, str(c.entity_id)) if type_name else None,
            at=c.at,
            flags=SyncFlags(purchasable=flags.purchasable, ignore_for_sync=flags.ignore_for_sync)
            if flags
            else None,
            sale=SaleLine(
                order_id=relay.GlobalID("Order", str(sale.order_id)),
                order_number=sale.order_number,
                product_id=_gid("Product", sale.product_id),
                stock_item_id=_gid("StockItem", sale.stock_item_id),
                part_id=_gid("Part", sale.part_id),
                sku=sale.sku,
                quantity=sale.quantity,
            )
            if sale
            else None,
        )


@strawberry.type(description="A page of the change feed.")
class ChangePage:
    nodes: list[Change]
    end_cursor: str = strawberry.field(
        description="Where to go on from (also when the page is empty: nothing is skipped)."
    )
    has_next_page: bool = strawberry.field(description="More changes are ready now.")
    errors: list[ChangeFeedError] = strawberry.field(
        default_factory=list,
        description="CURSOR_EXPIRED (resync) or INVALID_CURSOR; the page is then empty.",
    )
