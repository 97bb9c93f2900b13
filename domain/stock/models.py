"""Customer-held stock: items with their balances, the immutable ledger of movements,
suppliers, purchase orders and the supplier messages already processed."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Identity,
    Integer,
    Sequence,
    String,
    Text,
    UniqueConstraint,
    false,
    true,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from domain.shared.models import Base, Timestamped, str_enum, utcnow

# Readable purchase order numbers ("PO-100001"); created by hand in the migration.
PURCHASE_ORDER_NUMBER_SEQ = Sequence(
    "purchase_order_number_seq", start=100001, metadata=Base.metadata
)


class StockUnit(StrEnum):
    PIECE = "PIECE"
    PACK = "PACK"
    BOX = "BOX"
    SHEET = "SHEET"
    ROLL = "ROLL"
    SET = "SET"


class MovementKind(StrEnum):
    RECEIPT = "RECEIPT"  # goods in: on hand +
    CALL_OFF_RESERVATION = "CALL_OFF_RESERVATION"  # reserved + (available drops at once)
    ISSUE = "ISSUE"  # dispatched: on hand -, reserved -
    RELEASE = "RELEASE"  # a call-off rejected or cancelled: reserved -
    ADJUSTMENT = "ADJUSTMENT"  # stocktake, damage...: on hand +/- with a reason
    SUPPLIER_CORRECTION = "SUPPLIER_CORRECTION"  # the supplier reported a new on-hand count


class MovementActor(StrEnum):
    CUSTOMER = "CUSTOMER"
    STAFF = "STAFF"
    SUPPLIER = "SUPPLIER"
    SYSTEM = "SYSTEM"


class PurchaseOrderStatus(StrEnum):
    OPEN = "OPEN"
    PARTIALLY_RECEIVED = "PARTIALLY_RECEIVED"
    RECEIVED = "RECEIVED"
    CANCELLED = "CANCELLED"


class Supplier(Base, Timestamped):
    """Who the shop buys stock items from; may push stock counts with its API key."""

    __tablename__ = "supplier"
    __table_args__ = (CheckConstraint("lead_time_days >= 0", name="lead_time_not_negative"),)
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    email: Mapped[str | None] = mapped_column(String(254))
    lead_time_days: Mapped[int] = mapped_column(Integer, default=0)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # SHA-256 of the API key (high entropy, so no slow hash); the key itself is shown once.
    api_key_digest: Mapped[str | None] = mapped_column(String(64), unique=True)
    api_key_hint: Mapped[str | None] = mapped_column(String(20))
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class StockItem(Base, Timestamped):
    """Goods the shop holds for one company. ``on_hand`` and ``reserved`` always equal the sums
    of the item's ledger rows; only domain/stock/ledger.py changes them."""

    __tablename__ = "stock_item"
    __table_args__ = (
        UniqueConstraint("company_id", "sku"),
        # One stock item per supplier SKU, so a supplier's stock message is unambiguous.
        UniqueConstraint("supplier_id", "supplier_sku"),
        CheckConstraint("on_hand >= 0", name="on_hand_not_negative"),
        CheckConstraint("reserved >= 0", name="reserved_not_negative"),
        # Never oversell: what is reserved must be on hand, unless the item is unlimited.
        CheckConstraint("unlimited OR on_hand - reserved >= 0", name="available_not_negative"),
        CheckConstraint("reorder_point >= 0", name="reorder_point_not_negative"),
        CheckConstraint("order_multiple >= 1", name="order_multiple_positive"),
        CheckConstraint(
            "supplier_sku IS NULL OR supplier_id IS NOT NULL", name="supplier_sku_needs_supplier"
        ),
    )
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("company.id", ondelete="RESTRICT"), index=True
    )
    sku: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    unit: Mapped[StockUnit] = mapped_column(str_enum(StockUnit, "stock_unit"))
    on_hand: Mapped[int] = mapped_column(Integer, default=0)
    reserved: Mapped[int] = mapped_column(Integer, default=0)
    unlimited: Mapped[bool] = mapped_column(Boolean, default=False)
    reorder_point: Mapped[int] = mapped_column(Integer, default=0)
    order_multiple: Mapped[int] = mapped_column(Integer, default=1)
    # The weight of one unit, for shipping (domain/fulfilment/weights.py); 0 if not known.
    unit_weight_g: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    supplier_id: Mapped[int | None] = mapped_column(
        ForeignKey("supplier.id", ondelete="RESTRICT"), index=True
    )
    supplier_sku: Mapped[str | None] = mapped_column(String(60))
    product_id: Mapped[int | None] = mapped_column(ForeignKey("product.id", ondelete="SET NULL"))
    # The shop buys it in from its supplier: purchase suggestions leave it out when False.
    purchasable: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # A hint for synchronising systems (change feeds): leave this item out of the sync.
    ignore_for_sync: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class StockMovement(Base):
    """One ledger row: never updated or deleted (a trigger refuses both)."""

    __tablename__ = "stock_movement"
    __table_args__ = (
        CheckConstraint("on_hand_delta <> 0 OR reserved_delta <> 0", name="moves_something"),
    )
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    stock_item_id: Mapped[int] = mapped_column(
        ForeignKey("stock_item.id", ondelete="RESTRICT"), index=True
    )
    company_id: Mapped[int] = mapped_column(ForeignKey("company.id", ondelete="RESTRICT"))
    kind: Mapped[MovementKind] = mapped_column(str_enum(MovementKind, "stock_movement_kind"))
    on_hand_delta: Mapped[int] = mapped_column(Integer)
    reserved_delta: Mapped[int] = mapped_column(Integer)
    # The balances right after this movement, for a readable history.
    on_hand_after: Mapped[int] = mapped_column(Integer)
    reserved_after: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text, default="")
    order_id: Mapped[int | None] = mapped_column(
        ForeignKey("customer_order.id", ondelete="RESTRICT"), index=True
    )
    purchase_order_id: Mapped[int | None] = mapped_column(
        ForeignKey("purchase_order.id", ondelete="RESTRICT")
    )
    supplier_message_id: Mapped[int | None] = mapped_column(
        ForeignKey("supplier_message.id", ondelete="RESTRICT")
    )
    actor_kind: Mapped[MovementActor] = mapped_column(str_enum(MovementActor, "movement_actor"))
    portal_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("portal_user.id", ondelete="SET NULL")
    )
    staff_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    supplier_id: Mapped[int | None] = mapped_column(ForeignKey("supplier.id", ondelete="SET NULL"))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class PurchaseOrder(Base, Timestamped):
    """An order of stock items from one supplier, received in one or more deliveries."""

    __tablename__ = "purchase_order"
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    supplier_id: Mapped[int] = mapped_column(
        ForeignKey("supplier.id", ondelete="RESTRICT"), index=True
    )
    status: Mapped[PurchaseOrderStatus] = mapped_column(
        str_enum(PurchaseOrderStatus, "purchase_order_status"), index=True
    )
    expected_date: Mapped[dt.date | None] = mapped_column(Date)
    remarks: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class PurchaseOrderLine(Base):
    __tablename__ = "purchase_order_line"
    __table_args__ = (
        UniqueConstraint("purchase_order_id", "stock_item_id"),
        CheckConstraint("quantity_ordered > 0", name="quantity_positive"),
        CheckConstraint(
            "quantity_received >= 0 AND quantity_received <= quantity_ordered",
            name="received_within_ordered",
        ),
    )
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    purchase_order_id: Mapped[int] = mapped_column(
        ForeignKey("purchase_order.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    stock_item_id: Mapped[int] = mapped_column(
        ForeignKey("stock_item.id", ondelete="RESTRICT"), index=True
    )
    quantity_ordered: Mapped[int] = mapped_column(Integer)
    quantity_received: Mapped[int] = mapped_column(Integer, default=0)


class SupplierMessage(Base, Timestamped):
    """A supplier stock message already applied: the same message id again changes nothing
    and answers with the stored result."""

    __tablename__ = "supplier_message"
    __table_args__ = (UniqueConstraint("supplier_id", "message_id"),)
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("supplier.id", ondelete="CASCADE"))
    message_id: Mapped[str] = mapped_column(String(100))
    # SHA-256 of the canonical items, to tell a replay from a reused id with other content.
    payload_digest: Mapped[str] = mapped_column(String(64))
    result: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
