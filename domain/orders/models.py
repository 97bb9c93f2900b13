"""Carts, orders with their lines and status history, and idempotency of order placement."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
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
    Numeric,
    Sequence,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from domain.orders.state import OrderStatus
from domain.shared.models import Base, Timestamped, str_enum, utcnow

# One readable sequence for every order number, whatever its prefix (i-, o-, c-).
ORDER_NUMBER_SEQ = Sequence("order_number_seq", start=100001, metadata=Base.metadata)


class CartLine(Base, Timestamped):
    """A line in a portal user's cart: a configuration or a saved part, with a quantity."""

    __tablename__ = "cart_line"
    # The values are a snapshot; configuration_id only remembers the draft it came from.
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    portal_user_id: Mapped[int] = mapped_column(
        ForeignKey("portal_user.id", ondelete="CASCADE"), index=True
    )
    company_id: Mapped[int] = mapped_column(
        ForeignKey("company.id", ondelete="CASCADE"), index=True
    )
    channel_id: Mapped[int] = mapped_column(ForeignKey("channel.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"))
    configuration_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("configuration.id", ondelete="SET NULL")
    )
    part_id: Mapped[int | None] = mapped_column(ForeignKey("part.id", ondelete="CASCADE"))
    # A snapshot of what the buyer chose, so the cart survives later edits of the draft.
    values: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    quantity: Mapped[int] = mapped_column(Integer)
    # The price the buyer saw when adding; checkout re-prices and reports any change.
    quoted_net: Mapped[int | None] = mapped_column(BigInteger)
    quoted_version_id: Mapped[int | None] = mapped_column(ForeignKey("product_version.id"))
    price_token: Mapped[str | None] = mapped_column(Text)
    remarks: Mapped[str] = mapped_column(Text, default="")
    personalisation: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class Order(Base, Timestamped):
    __tablename__ = "customer_order"
    __table_args__ = (
        UniqueConstraint("company_id", "idempotency_key"),
        CheckConstraint("net_amount >= 0 AND gross_amount >= net_amount", name="totals"),
    )
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    kind: Mapped[str] = mapped_column(String(16), default="WEB")  # WEB, STAFF, CALL_OFF
    company_id: Mapped[int] = mapped_column(
        ForeignKey("company.id", ondelete="RESTRICT"), index=True
    )
    orderer_id: Mapped[int | None] = mapped_column(
        ForeignKey("portal_user.id", ondelete="SET NULL")
    )
    entered_by_staff_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    approved_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("portal_user.id", ondelete="SET NULL")
    )
    channel_id: Mapped[int | None] = mapped_column(ForeignKey("channel.id"))
    status: Mapped[OrderStatus] = mapped_column(str_enum(OrderStatus, "order_status"), index=True)
    idempotency_key: Mapped[str | None] = mapped_column(String(100))
    # domain/shared/idempotency.py: the request the key was first used with (None before).
    idempotency_fingerprint: Mapped[str | None] = mapped_column(String(64))
    customer_reference: Mapped[str] = mapped_column(String(100), default="")
    desired_delivery_date: Mapped[dt.date | None] = mapped_column(Date)
    # The promise made at checkout (domain/fulfilment/promises.py): when the order leaves the
    # shop (production's due date) and when it arrives with the chosen shipping method.
    promised_dispatch_on: Mapped[dt.date | None] = mapped_column(Date)
    promised_delivery_on: Mapped[dt.date | None] = mapped_column(Date)
    delivery_address: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    payment_method: Mapped[str] = mapped_column(String(20), default="ON_ACCOUNT")
    remarks: Mapped[str] = mapped_column(Text, default="")
    currency: Mapped[str] = mapped_column(String(3))
    net_amount: Mapped[int] = mapped_column(BigInteger)
    vat_amount: Mapped[int] = mapped_column(BigInteger)
    gross_amount: Mapped[int] = mapped_column(BigInteger)
    on_hold_reason: Mapped[str | None] = mapped_column(Text)
    # Set when the payment method turned the order into a proposal only staff may decide
    # (e.g. CREDIT_LIMIT_EXCEEDED): a code of the payments area, see
    # domain/orders/payment_methods.py.
    staff_review_reason: Mapped[str | None] = mapped_column(String(40))
    # Billed from the shop's own accounting system: no invoice is issued here (billing).
    invoiced_externally: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class OrderLine(Base):
    __tablename__ = "order_line"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    order_id: Mapped[int] = mapped_column(
        ForeignKey("customer_order.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    # The line-pricing kind (domain/pricing/lines.py LineKind): goods, or a charge (shipping).
    kind: Mapped[str] = mapped_column(String(32), default="product", server_default="product")
    product_id: Mapped[int | None] = mapped_column(ForeignKey("product.id"))
    product_version_id: Mapped[int | None] = mapped_column(ForeignKey("product_version.id"))
    part_id: Mapped[int | None] = mapped_column(ForeignKey("part.id", ondelete="SET NULL"))
    stock_item_id: Mapped[int | None] = mapped_column(BigInteger)
    title: Mapped[str] = mapped_column(String(300))
    # Everything the buyer gave: the specification, part geometry/material, texts.
    specification: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    personalisation: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    remarks: Mapped[str] = mapped_column(Text, default="")
    quantity: Mapped[int] = mapped_column(Integer)
    net_amount: Mapped[int] = mapped_column(BigInteger)
    vat_amount: Mapped[int] = mapped_column(BigInteger)
    vat_rate_percent: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    price_lines: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    # Where the line is made, overriding the routing rules (domain/routing): a supplier (set by
    # staff, or by accepting a quote whose supplier was chosen in an RFQ), or own production.
    route_supplier_id: Mapped[int | None] = mapped_column(
        ForeignKey("supplier.id", ondelete="SET NULL")
    )
    route_own_production: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default="false"
    )


class OrderStatusChange(Base):
    """The history: every transition with time, actor and reason."""

    __tablename__ = "order_status_change"
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    order_id: Mapped[int] = mapped_column(
        ForeignKey("customer_order.id", ondelete="CASCADE"), index=True
    )
    from_status: Mapped[str | None] = mapped_column(String(32))
    to_status: Mapped[str] = mapped_column(String(32))
    actor_kind: Mapped[str] = mapped_column(String(16))  # CUSTOMER, STAFF, SYSTEM
    portal_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("portal_user.id", ondelete="SET NULL")
    )
    staff_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    reason: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class OrderFile(Base, Timestamped):
    """Artwork or a drawing attached to an order line, kept in file storage by checksum."""

    __tablename__ = "order_file"
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    order_line_id: Mapped[int] = mapped_column(
        ForeignKey("order_line.id", ondelete="CASCADE"), index=True
    )
    company_id: Mapped[int] = mapped_column(
        ForeignKey("company.id", ondelete="CASCADE"), index=True
    )
    file_name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(16), default="OK")  # OK, PROBLEM, REPLACED
    problem: Mapped[str | None] = mapped_column(Text)
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("portal_user.id", ondelete="SET NULL")
    )


class OrderAdjustment(Base, Timestamped):
    """Staff's change of an order's lines after production (quantity delivered, extra lines,
    prices), each change with its reason: applied at once within the customer group's
    tolerance, else waiting for the customer's approval. The history of the final price."""

    __tablename__ = "order_adjustment"
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    order_id: Mapped[int] = mapped_column(
        ForeignKey("customer_order.id", ondelete="CASCADE"), index=True
    )
    company_id: Mapped[int] = mapped_column(
        ForeignKey("company.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(20))  # APPLIED, PENDING_CUSTOMER, REJECTED
    staff_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("portal_user.id", ondelete="SET NULL")
    )
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    original_net: Mapped[int] = mapped_column(BigInteger)
    original_gross: Mapped[int] = mapped_column(BigInteger)
    final_net: Mapped[int] = mapped_column(BigInteger)
    final_vat: Mapped[int] = mapped_column(BigInteger)
    final_gross: Mapped[int] = mapped_column(BigInteger)
    # [{position, title, quantityBefore, quantityAfter, netBefore, netAfter, vat,
    #   vatRatePercent, repriced, reason}]; position None before applying an extra line.
    changes: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
