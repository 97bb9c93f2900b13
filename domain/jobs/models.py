"""What the job queue's own tables do not keep: idempotency keys and the last error of a job."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, DateTime, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from domain.shared.models import Base, utcnow


class JobRecord(Base):
    """One row per job that was deferred with an idempotency key or that failed a run.

    ``job_id`` is the queue's job id (no foreign key: the queue's tables belong to its library
    and are created by the migration that installs them)."""

    __tablename__ = "job_record"
    job_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    idempotency_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    last_error: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now(), nullable=False
    )
