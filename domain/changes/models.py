"""The change log: one row per changed row of the synchronised tables, written by triggers
(migration `5e1f0c7a9b2d`) so that no code path can change them unseen."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    Identity,
    Index,
    Integer,
    String,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from domain.shared.models import Base


class ChangeLogEntry(Base):
    """``xid`` is the writing transaction's id (``pg_current_xact_id()``): readers only take
    rows of transactions older than every running one, in (xid, id) order, so a row that
    commits later can never sort before what a reader has already passed."""

    __tablename__ = "change_log"
    __table_args__ = (
        Index("ix_change_log_xid_id", "xid", "id"),
        Index("ix_change_log_created_at", "created_at"),
    )
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    xid: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[int] = mapped_column(BigInteger)
    company_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    operation: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


class ChangeLogPruned(Base):
    """One row: the last position (xid, entry id) retention deleted up to. A reader whose
    cursor lies before it may have missed deleted rows and must resync."""

    __tablename__ = "change_log_pruned"
    __table_args__ = (CheckConstraint("id = 1", name="one_row"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    xid: Mapped[int] = mapped_column(BigInteger)
    entry_id: Mapped[int] = mapped_column(BigInteger)
    pruned_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
