"""Routing rules, supplier channels, supplier jobs (one per supplier and released order) with
their lines and hand-off attempts."""

from __future__ import annotations

import datetime as dt
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
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from domain.routing.state import Automation, ChannelKind, SupplierJobStatus
from domain.shared.models import Base, Timestamped, str_enum, utcnow


class RoutingRule(Base, Timestamped):
    """Where a product's (or a laser material's) work goes: a supplier, or own production when
    ``supplier_id`` is null. No rule: own production. A line's own override wins over rules."""

    __tablename__ = "routing_rule"
    __table_args__ = (
        CheckConstraint(
            "(product_id IS NULL) <> (laser_material_code IS NULL)", name="one_subject"
        ),
        UniqueConstraint("product_id"),
        UniqueConstraint("laser_material_code"),
    )
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    product_id: Mapped[int | None] = mapped_column(ForeignKey("product.id", ondelete="CASCADE"))
    laser_material_code: Mapped[str | None] = mapped_column(String(60))
    supplier_id: Mapped[int | None] = mapped_column(
        ForeignKey("supplier.id", ondelete="CASCADE"), index=True
    )


class SupplierChannel(Base, Timestamped):
    """How one supplier receives its jobs. ``secret`` (HMAC key, FTP/SFTP password) is never
    returned by the API nor logged; the API shows whether one is set."""

    __tablename__ = "supplier_channel"
    __table_args__ = (CheckConstraint("delay_s >= 0", name="delay_not_negative"),)
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    supplier_id: Mapped[int] = mapped_column(
        ForeignKey("supplier.id", ondelete="CASCADE"), unique=True
    )
    kind: Mapped[ChannelKind] = mapped_column(str_enum(ChannelKind, "supplier_channel_kind"))
    # HTTP: {"url"}; FTP/SFTP: {"host", "port", "username", "folder"}; EMAIL: {"email"}.
    settings: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    secret: Mapped[str | None] = mapped_column(Text)
    automation: Mapped[Automation] = mapped_column(
        str_enum(Automation, "supplier_automation"), default=Automation.IMMEDIATE
    )
    delay_s: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class SupplierJob(Base, Timestamped):
    """The lines of one released order that one supplier makes, with its own status."""

    __tablename__ = "supplier_job"
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)  # "<order>/S<n>"
    order_id: Mapped[int] = mapped_column(
        ForeignKey("customer_order.id", ondelete="CASCADE"), index=True
    )
    company_id: Mapped[int] = mapped_column(ForeignKey("company.id"), index=True)
    supplier_id: Mapped[int] = mapped_column(
        ForeignKey("supplier.id", ondelete="RESTRICT"), index=True
    )
    status: Mapped[SupplierJobStatus] = mapped_column(
        str_enum(SupplierJobStatus, "supplier_job_status"), index=True
    )
    # A new hand-off (release, change of supplier) counts up; a queued hand-off of an older
    # generation does nothing, so a change during the delay is never sent twice.
    generation: Mapped[int] = mapped_column(Integer, default=1)
    send_after: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    hold_reason: Mapped[str | None] = mapped_column(Text)
    problem: Mapped[str | None] = mapped_column(Text)
    carrier: Mapped[str | None] = mapped_column(String(60))
    tracking_number: Mapped[str | None] = mapped_column(String(100))
    tracking_url: Mapped[str | None] = mapped_column(String(500))
    supplier_reference: Mapped[str | None] = mapped_column(String(100))
    confirm_token_digest: Mapped[str | None] = mapped_column(String(64), unique=True)
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class SupplierJobLine(Base):
    __tablename__ = "supplier_job_line"
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    supplier_job_id: Mapped[int] = mapped_column(
        ForeignKey("supplier_job.id", ondelete="CASCADE"), index=True
    )
    order_line_id: Mapped[int] = mapped_column(
        ForeignKey("order_line.id", ondelete="CASCADE"), unique=True
    )


class HandoffAttempt(Base):
    """One try to hand a supplier job to its channel: when, how, and what went wrong."""

    __tablename__ = "supplier_handoff_attempt"
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    supplier_job_id: Mapped[int] = mapped_column(
        ForeignKey("supplier_job.id", ondelete="CASCADE"), index=True
    )
    attempt: Mapped[int] = mapped_column(Integer)
    channel: Mapped[str] = mapped_column(String(16))
    ok: Mapped[bool] = mapped_column(Boolean)
    error: Mapped[str | None] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
