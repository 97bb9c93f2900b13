"""Production: a job per order line with tasks from the product's routing, and requisitions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    DateTime,
    ForeignKey,
    Identity,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from domain.production.state import JobStatus, TaskStatus
from domain.shared.models import Base, Timestamped, str_enum, utcnow


class RoutingStep(Base):
    """Shop-configurable routing: the tasks a job gets, per product kind or per product."""

    __tablename__ = "routing_step"
    __table_args__ = (UniqueConstraint("product_kind", "product_id", "position"),)
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    product_kind: Mapped[str] = mapped_column(String(32))
    product_id: Mapped[int | None] = mapped_column(ForeignKey("product.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(80))


class Job(Base, Timestamped):
    """One order line in production, carrying every input the buyer gave."""

    __tablename__ = "job"
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    number: Mapped[str] = mapped_column(String(30), unique=True)  # "<order number>/<line>"
    title: Mapped[str] = mapped_column(String(300))
    order_id: Mapped[int] = mapped_column(
        ForeignKey("customer_order.id", ondelete="CASCADE"), index=True
    )
    order_line_id: Mapped[int] = mapped_column(
        ForeignKey("order_line.id", ondelete="CASCADE"), unique=True
    )
    company_id: Mapped[int] = mapped_column(ForeignKey("company.id"), index=True)
    status: Mapped[JobStatus] = mapped_column(str_enum(JobStatus, "job_status"), index=True)
    quantity: Mapped[int] = mapped_column(Integer)
    specification: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    personalisation: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    remarks: Mapped[str] = mapped_column(Text, default="")
    due_date: Mapped[dt.date | None] = mapped_column()
    hold_reason: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class Task(Base):
    __tablename__ = "task"
    __table_args__ = (UniqueConstraint("job_id", "position"),)
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("job.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(80))
    status: Mapped[TaskStatus] = mapped_column(str_enum(TaskStatus, "task_status"))
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    started_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    completed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    completed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )


class Requisition(Base):
    """Material a job needs: paper sheets, sheet metal, or stock items to pick."""

    __tablename__ = "requisition"
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("job.id", ondelete="CASCADE"), index=True)
    material: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[Decimal] = mapped_column(Numeric(14, 3))
    unit: Mapped[str] = mapped_column(String(20))
    stock_item_id: Mapped[int | None] = mapped_column(BigInteger)
