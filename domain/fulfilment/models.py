"""Shipping methods with their rates, and shipments with parcels and shipped quantities."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Identity,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from domain.shared.models import Base, Timestamped, str_enum, utcnow


class ShippingKind(StrEnum):
    PICKUP = "PICKUP"  # the customer collects at the shop
    OWN_DELIVERY = "OWN_DELIVERY"  # the shop's own van
    CARRIER = "CARRIER"  # a parcel service, through a carrier adapter


class ShipmentStatus(StrEnum):
    CREATED = "CREATED"  # registered, labels made, handed over or about to be
    IN_TRANSIT = "IN_TRANSIT"
    DELIVERED = "DELIVERED"
    FAILED = "FAILED"  # lost, returned or refused; the goods count as not shipped


class ShippingMethod(Base, Timestamped):
    """How a channel's customers may receive their goods, priced by ``ShippingRate`` rows."""

    __tablename__ = "shipping_method"
    __table_args__ = (
        UniqueConstraint("channel_id", "code"),
        CheckConstraint("transit_days >= 0", name="transit_days"),
        CheckConstraint("free_above_net IS NULL OR free_above_net >= 0", name="free_above"),
    )
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    channel_id: Mapped[int] = mapped_column(
        ForeignKey("channel.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[ShippingKind] = mapped_column(str_enum(ShippingKind, "shipping_kind"))
    # The carrier adapter that registers its shipments ("builtin", "sendcloud"), and the
    # carrier's own service code (e.g. a Sendcloud shipping method id).
    carrier: Mapped[str] = mapped_column(String(40), default="builtin")
    carrier_service: Mapped[str] = mapped_column(String(80), default="")
    transit_days: Mapped[int] = mapped_column(Integer, default=0)
    # Goods worth at least this much (net, minor units) ship free; None: never free.
    free_above_net: Mapped[int | None] = mapped_column(BigInteger)
    position: Mapped[int] = mapped_column(Integer, default=0)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    tracking_url_template: Mapped[str] = mapped_column(Text, default="")  # "...{tracking}"
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class ShippingRate(Base):
    """One price of a method: for a zone (a group of countries; empty means anywhere) up to a
    weight (None: any weight). The lightest matching bracket of the first matching zone wins."""

    __tablename__ = "shipping_rate"
    __table_args__ = (
        CheckConstraint("net_amount >= 0", name="net_amount"),
        CheckConstraint("up_to_weight_g IS NULL OR up_to_weight_g > 0", name="weight"),
    )
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    method_id: Mapped[int] = mapped_column(
        ForeignKey("shipping_method.id", ondelete="CASCADE"), index=True
    )
    zone: Mapped[str] = mapped_column(String(80))
    countries: Mapped[list[str]] = mapped_column(ARRAY(String(2)), default=list)
    up_to_weight_g: Mapped[int | None] = mapped_column(BigInteger)
    net_amount: Mapped[int] = mapped_column(BigInteger)


class Shipment(Base, Timestamped):
    """Goods of one order on their way: one or more parcels, partial quantities per line."""

    __tablename__ = "shipment"
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    number: Mapped[str] = mapped_column(String(30), unique=True)
    order_id: Mapped[int] = mapped_column(
        ForeignKey("customer_order.id", ondelete="CASCADE"), index=True
    )
    company_id: Mapped[int] = mapped_column(
        ForeignKey("company.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[ShipmentStatus] = mapped_column(str_enum(ShipmentStatus, "shipment_status"))
    carrier: Mapped[str] = mapped_column(String(40))
    carrier_service: Mapped[str] = mapped_column(String(80), default="")
    carrier_reference: Mapped[str] = mapped_column(String(120), default="")
    tracking_number: Mapped[str] = mapped_column(String(120), default="")
    tracking_url: Mapped[str] = mapped_column(Text, default="")
    delivery_address: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    label_key: Mapped[str | None] = mapped_column(String(300))  # file storage: labels PDF
    delivery_note_key: Mapped[str | None] = mapped_column(String(300))
    created_by_staff_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    source: Mapped[str] = mapped_column(String(80), default="staff")  # staff, supplier:<id>
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class Parcel(Base):
    __tablename__ = "shipment_parcel"
    __table_args__ = (CheckConstraint("weight_g >= 0", name="weight"),)
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    shipment_id: Mapped[int] = mapped_column(
        ForeignKey("shipment.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    weight_g: Mapped[int] = mapped_column(BigInteger)
    tracking_number: Mapped[str] = mapped_column(String(120), default="", index=True)
    tracking_url: Mapped[str] = mapped_column(Text, default="")
    # What the carrier last reported of this parcel (domain/fulfilment/tracking.py).
    status: Mapped[ShipmentStatus] = mapped_column(
        str_enum(ShipmentStatus, "parcel_status"), default=ShipmentStatus.CREATED
    )


class ShipmentLine(Base):
    __tablename__ = "shipment_line"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    shipment_id: Mapped[int] = mapped_column(
        ForeignKey("shipment.id", ondelete="CASCADE"), index=True
    )
    order_line_id: Mapped[int] = mapped_column(
        ForeignKey("order_line.id", ondelete="CASCADE"), index=True
    )
    quantity: Mapped[int] = mapped_column(Integer)
