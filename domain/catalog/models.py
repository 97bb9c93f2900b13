"""Catalog: channels (storefronts, brand portals), products and their immutable versions,
and buyers' draft configurations."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Identity,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
    false,
    func,
    true,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from domain.shared.models import Base, Timestamped, str_enum, utcnow


class ProductKind(StrEnum):
    PRINT = "PRINT"
    LASER_PART = "LASER_PART"
    SERVICE = "SERVICE"
    STOCK_ITEM = "STOCK_ITEM"


class Channel(Base, Timestamped):
    """A storefront or brand portal with its own assortment and currency."""

    __tablename__ = "channel"
    __table_args__ = (CheckConstraint("code ~ '^[a-z][a-z0-9-]*$'", name="code_format"),)
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Restricts a brand portal to some customers; empty means open to every customer.
    company_ids: Mapped[list[int]] = mapped_column(ARRAY(BigInteger), default=list)


channel_product = Table(
    "channel_product",
    Base.metadata,
    Column("channel_id", ForeignKey("channel.id", ondelete="CASCADE"), primary_key=True),
    Column("product_id", ForeignKey("product.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, nullable=False, server_default="0"),
)


class Product(Base, Timestamped):
    __tablename__ = "product"
    __table_args__ = (CheckConstraint("code ~ '^[a-z][a-z0-9-]*$'", name="code_format"),)
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    code: Mapped[str] = mapped_column(String(80), unique=True)
    kind: Mapped[ProductKind] = mapped_column(str_enum(ProductKind, "product_kind"))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    image_urls: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Listed but not orderable when False (it cannot be priced for a cart, order or quote).
    purchasable: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # A hint for synchronising systems (change feeds): leave this product out of the sync.
    ignore_for_sync: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("product_version.id", use_alter=True, ondelete="SET NULL")
    )
    search_text: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=utcnow
    )


class ProductVersion(Base, Timestamped):
    """Immutable: a price given once refers to the version it came from."""

    __tablename__ = "product_version"
    __table_args__ = (UniqueConstraint("product_id", "version"),)
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    product_id: Mapped[int] = mapped_column(
        ForeignKey("product.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(Integer)
    spec: Mapped[dict[str, Any]] = mapped_column(JSONB)
    rules: Mapped[dict[str, Any]] = mapped_column(JSONB)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )


class Configuration(Base, Timestamped):
    """A buyer's server-side draft of a product specification, priced live."""

    __tablename__ = "configuration"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    company_id: Mapped[int | None] = mapped_column(
        ForeignKey("company.id", ondelete="CASCADE"), index=True
    )
    portal_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("portal_user.id", ondelete="SET NULL")
    )
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id", ondelete="CASCADE"))
    product_version_id: Mapped[int] = mapped_column(ForeignKey("product_version.id"))
    channel_id: Mapped[int] = mapped_column(ForeignKey("channel.id"))
    values: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=utcnow
    )
