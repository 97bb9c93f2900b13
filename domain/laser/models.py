"""Laser shop data (materials, thicknesses, machine rates), each company's parts library and
bulk imports waiting for confirmation."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Identity,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from domain.shared.models import Base, Timestamped, utcnow


class LaserMaterial(Base, Timestamped):
    __tablename__ = "laser_material"
    __table_args__ = (
        CheckConstraint("density_g_cm3 > 0", name="density_positive"),
        CheckConstraint("price_per_kg >= 0", name="price_non_negative"),
    )
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    density_g_cm3: Mapped[Decimal] = mapped_column(Numeric(8, 4))
    price_per_kg: Mapped[Decimal] = mapped_column(Numeric(10, 4))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)


class LaserThickness(Base):
    __tablename__ = "laser_thickness"
    __table_args__ = (UniqueConstraint("material_id", "thickness_mm"),)
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    material_id: Mapped[int] = mapped_column(
        ForeignKey("laser_material.id", ondelete="CASCADE"), index=True
    )
    thickness_mm: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    cutting_speed_mm_per_min: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    pierce_time_s: Mapped[Decimal] = mapped_column(Numeric(8, 3))
    min_hole_diameter_mm: Mapped[Decimal] = mapped_column(Numeric(8, 3))
    max_sheet_width_mm: Mapped[Decimal] = mapped_column(Numeric(8, 1))
    max_sheet_height_mm: Mapped[Decimal] = mapped_column(Numeric(8, 1))


class LaserMachine(Base):
    """The shop's machine rates (one row: the shop has one price list for laser work)."""

    __tablename__ = "laser_machine"
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    hourly_rate: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    setup_amount: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    scrap_factor: Mapped[Decimal] = mapped_column(Numeric(6, 3))
    handling_seconds_per_part: Mapped[Decimal] = mapped_column(Numeric(8, 2))
    vat_rate_percent: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal(19))
    minimum_net: Mapped[Decimal] = mapped_column(Numeric(10, 2), default=Decimal(0))


class Part(Base, Timestamped):
    """A priced laser part in a company's library; kept until the company deletes it."""

    __tablename__ = "part"
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("company.id", ondelete="CASCADE"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("portal_user.id", ondelete="SET NULL")
    )
    name: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(16))  # "DXF" or "TEMPLATE"
    template_key: Mapped[str | None] = mapped_column(String(40))
    template_params: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    file_name: Mapped[str | None] = mapped_column(String(255))
    dxf: Mapped[bytes] = mapped_column(LargeBinary)
    dxf_sha256: Mapped[str] = mapped_column(String(64))
    geometry: Mapped[dict[str, Any]] = mapped_column(JSONB)
    material_id: Mapped[int] = mapped_column(ForeignKey("laser_material.id"))
    thickness_mm: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=utcnow
    )
    notes: Mapped[str] = mapped_column(Text, default="")


class PartImport(Base, Timestamped):
    """A checked bulk import whose valid rows wait for confirmation; dropped when confirmed
    or (by the next import) when expired. Nothing of it is in the library yet."""

    __tablename__ = "part_import"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("company.id", ondelete="CASCADE"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("portal_user.id", ondelete="SET NULL")
    )
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    sheet_name: Mapped[str] = mapped_column(String(255), default="")
    # The valid rows: name, material id, thickness, quantity, file name and drawing checksum.
    rows: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)


class PartImportDrawing(Base):
    """One distinct drawing of an import (many rows may share it), analysed once."""

    __tablename__ = "part_import_drawing"
    import_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("part_import.id", ondelete="CASCADE"), primary_key=True
    )
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    file_name: Mapped[str] = mapped_column(String(255))
    dxf: Mapped[bytes] = mapped_column(LargeBinary)
    geometry: Mapped[dict[str, Any]] = mapped_column(JSONB)
