"""Tables of the notification area: edited templates, preferences, and one row per delivery."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from domain.shared.models import Base, Timestamped


class NotificationTemplate(Base, Timestamped):
    """A template staff edited: for one event, language and channel (null: every channel).
    Without a row the built-in default (defaults.py) applies."""

    __tablename__ = "notification_template"
    __table_args__ = (
        # One template per (event, language) for all channels, and one per channel.
        Index(
            "uq_notification_template_all_channels",
            "event",
            "language",
            unique=True,
            postgresql_where=text("channel_id IS NULL"),
        ),
        UniqueConstraint("event", "language", "channel_id", name="uq_notification_template"),
    )
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    event: Mapped[str] = mapped_column(String(60))
    language: Mapped[str] = mapped_column(String(8))
    channel_id: Mapped[int | None] = mapped_column(
        ForeignKey("channel.id", ondelete="CASCADE"), index=True
    )
    subject: Mapped[str] = mapped_column(Text)
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    sms_text: Mapped[str | None] = mapped_column(Text)


class NotificationPreference(Base, Timestamped):
    """Whether an event is sent by e-mail and/or SMS: a user's own choice (``user_id`` set) or
    the company default for its users (``user_id`` null)."""

    __tablename__ = "notification_preference"
    __table_args__ = (
        Index(
            "uq_notification_preference_company",
            "company_id",
            "event",
            unique=True,
            postgresql_where=text("user_id IS NULL"),
        ),
        UniqueConstraint("company_id", "user_id", "event", name="uq_notification_preference"),
    )
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("company.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("portal_user.id", ondelete="CASCADE"), index=True
    )
    event: Mapped[str] = mapped_column(String(60))
    email: Mapped[bool] = mapped_column(Boolean)
    sms: Mapped[bool] = mapped_column(Boolean)


class Notification(Base, Timestamped):
    """One message to one recipient on one channel for one event. Unique per event, kind,
    recipient and channel: following an event again (a replay) adds no second row, so nothing
    is sent twice."""

    __tablename__ = "notification"
    __table_args__ = (
        UniqueConstraint(
            "event_id", "kind", "recipient", "channel", name="uq_notification_delivery"
        ),
    )
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    event_id: Mapped[int] = mapped_column(BigInteger, index=True)
    kind: Mapped[str] = mapped_column(String(60))
    recipient: Mapped[str] = mapped_column(String(80))  # "user:12", "company:3", "staff"
    channel: Mapped[str] = mapped_column(String(8))  # EMAIL | SMS
    company_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    channel_id: Mapped[int | None] = mapped_column(BigInteger)  # the shop's sales channel
    address: Mapped[str] = mapped_column(String(254))  # e-mail address or phone number
    language: Mapped[str] = mapped_column(String(8))
    context: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
