"""The transactional outbox of events: written in the same transaction as the change."""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, Identity, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from domain.shared.models import Base, Timestamped


class Event(Base, Timestamped):
    """One state change someone may watch. ``id`` is monotonic: subscribers resume from it."""

    __tablename__ = "event"
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    topic: Mapped[str] = mapped_column(String(80), index=True)
    company_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
