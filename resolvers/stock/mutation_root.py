"""Mutation fields of the stock area: stock items, call-offs, suppliers, purchasing."""

from __future__ import annotations

import strawberry

from resolvers.stock.mutations import purchasing_mutations as p
from resolvers.stock.mutations import stock_item_mutations as s
from resolvers.stock.mutations.stock_call_off_create import stock_call_off_create
from resolvers.stock.mutations.supplier_stock_update import supplier_stock_update
from schema.permissions import IsAuthenticated, IsPortalUser, IsStaff, IsSupplier

STAFF = [IsAuthenticated, IsStaff]


@strawberry.type
class StockMutation:
    stock_item_create = strawberry.mutation(
        resolver=s.stock_item_create,
        description="Create a stock item held for a company (starts empty). Requires staff "
        "role ADMIN or SALES.",
        permission_classes=STAFF,
    )
    stock_item_update = strawberry.mutation(
        resolver=s.stock_item_update,
        description="Change a stock item's master data, reorder point or unlimited flag. "
        "Requires staff role ADMIN or SALES.",
        permission_classes=STAFF,
    )
    stock_receive = strawberry.mutation(
        resolver=s.stock_receive,
        description="Book goods received without a purchase order (a RECEIPT). Requires staff "
        "role ADMIN, SALES or PRODUCTION.",
        permission_classes=STAFF,
    )
    stock_adjust = strawberry.mutation(
        resolver=s.stock_adjust,
        description="Correct on hand with a reason (an ADJUSTMENT); never under what is "
        "reserved. Requires staff role ADMIN or SALES.",
        permission_classes=STAFF,
    )
    stock_call_off_create = strawberry.mutation(
        resolver=stock_call_off_create,
        description="Call off the company's stock: reserves the quantities at once (or refuses "
        "with INSUFFICIENT_STOCK per short line). Requires PLACE_ORDERS (released to picking "
        "at once) or REQUEST_ORDERS (a proposal for orderApprove). Idempotent by "
        "`idempotencyKey`. Dispatch is `orderDeliver`; `orderReject`/`orderCancel` release.",
        permission_classes=[IsAuthenticated, IsPortalUser],
    )
    supplier_create = strawberry.mutation(
        resolver=p.supplier_create,
        description="Add a supplier. Requires staff role ADMIN or SALES.",
        permission_classes=STAFF,
    )
    supplier_update = strawberry.mutation(
        resolver=p.supplier_update,
        description="Change a supplier's master data or deactivate it. Requires staff role "
        "ADMIN or SALES.",
        permission_classes=STAFF,
    )
    supplier_api_key_create = strawberry.mutation(
        resolver=p.supplier_api_key_create,
        description="Issue a new API key for a supplier system (replaces the old one; shown "
        "once). Requires staff role ADMIN.",
        permission_classes=STAFF,
    )
    purchase_order_create = strawberry.mutation(
        resolver=p.purchase_order_create,
        description="Order stock items from their supplier. Requires staff role ADMIN or SALES.",
        permission_classes=STAFF,
    )
    purchase_order_receive = strawberry.mutation(
        resolver=p.purchase_order_receive,
        description="Book a (partial) delivery against a purchase order: a RECEIPT per line. "
        "Requires staff role ADMIN, SALES or PRODUCTION.",
        permission_classes=STAFF,
    )
    purchase_order_cancel = strawberry.mutation(
        resolver=p.purchase_order_cancel,
        description="Cancel what is still outstanding on a purchase order. Requires staff role "
        "ADMIN or SALES.",
        permission_classes=STAFF,
    )
    supplier_stock_update = strawberry.mutation(
        resolver=supplier_stock_update,
        description="A supplier system reports its counts: each item's on hand becomes the "
        "reported number (SUPPLIER_CORRECTION). All or nothing; idempotent by `messageId`. "
        "Requires a supplier API key as the bearer token.",
        permission_classes=[IsAuthenticated, IsSupplier],
    )
