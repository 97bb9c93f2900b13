"""API keys of machine clients, their webhooks, and the webhooks' deliveries and attempts."""

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
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from domain.shared.models import Base, Timestamped, str_enum


class ApiKey(Base, Timestamped):
    """A named secret a machine client sends as `Authorization: Bearer`. A company's key acts as
    the portal user who made it, limited to the key's rights; a shop key acts as the staff
    member who made it, limited to the key's scopes. Only a digest of the secret is kept."""

    __tablename__ = "api_key"
    __table_args__ = (
        CheckConstraint("(portal_user_id IS NULL) <> (staff_user_id IS NULL)", name="one_owner"),
        CheckConstraint("(portal_user_id IS NULL) = (company_id IS NULL)", name="company_owner"),
    )
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    company_id: Mapped[int | None] = mapped_column(
        ForeignKey("company.id", ondelete="CASCADE"), index=True
    )
    portal_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("portal_user.id", ondelete="CASCADE"), index=True
    )
    staff_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="CASCADE"), index=True
    )
    rights: Mapped[list[str]] = mapped_column(ARRAY(String(32)), default=list)
    scopes: Mapped[list[str]] = mapped_column(ARRAY(String(32)), default=list)
    secret_digest: Mapped[str] = mapped_column(String(64), unique=True)
    secret_hint: Mapped[str] = mapped_column(String(24))
    rotated_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class Webhook(Base, Timestamped):
    """A target URL that receives, per event, what its subscription document selects, run with
    its API key's rights."""

    __tablename__ = "webhook"
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    api_key_id: Mapped[int] = mapped_column(
        ForeignKey("api_key.id", ondelete="CASCADE"), index=True
    )
    company_id: Mapped[int | None] = mapped_column(
        ForeignKey("company.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(120))
    target_url: Mapped[str] = mapped_column(String(2000))
    document: Mapped[str] = mapped_column(Text)
    # The subscription field the document runs, e.g. "orderStatusChanged".
    field_name: Mapped[str] = mapped_column(String(80))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    secret: Mapped[str] = mapped_column(String(100))
    previous_secret: Mapped[str | None] = mapped_column(String(100))
    previous_secret_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # Events up to this id happened before the webhook existed: never delivered to it.
    after_event_id: Mapped[int] = mapped_column(BigInteger, default=0)
    failure_streak: Mapped[int] = mapped_column(Integer, default=0)
    disabled_reason: Mapped[str | None] = mapped_column(String(200))


class DeliveryStatus(StrEnum):
    PENDING = "PENDING"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"  # given up after the last attempt; replay starts it again


class DeliveryKind(StrEnum):
    EVENT = "EVENT"
    PING = "PING"


class WebhookDelivery(Base, Timestamped):
    """One message to one webhook (`msg_id` is its `webhook-id`, the same on every attempt)."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (
        UniqueConstraint("webhook_id", "event_id"),
        Index(
            "ix_webhook_delivery_pending",
            "webhook_id",
            "id",
            postgresql_where="status = 'PENDING'",
        ),
    )
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    webhook_id: Mapped[int] = mapped_column(
        ForeignKey("webhook.id", ondelete="CASCADE"), index=True
    )
    company_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    event_id: Mapped[int | None] = mapped_column(BigInteger)
    kind: Mapped[DeliveryKind] = mapped_column(str_enum(DeliveryKind, "webhook_delivery_kind"))
    msg_id: Mapped[str] = mapped_column(String(40), unique=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB)
    status: Mapped[DeliveryStatus] = mapped_column(
        str_enum(DeliveryStatus, "webhook_delivery_status"), default=DeliveryStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    last_attempt_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class WebhookAttempt(Base, Timestamped):
    """The delivery log: one row per HTTP request made for a delivery."""

    __tablename__ = "webhook_attempt"
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    delivery_id: Mapped[int] = mapped_column(
        ForeignKey("webhook_delivery.id", ondelete="CASCADE"), index=True
    )
    attempt: Mapped[int] = mapped_column(Integer)
    request_headers: Mapped[dict[str, str]] = mapped_column(JSONB)
    response_status: Mapped[int | None] = mapped_column(Integer)
    response_excerpt: Mapped[str | None] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(Text)
    duration_ms: Mapped[int] = mapped_column(Integer)
    succeeded: Mapped[bool] = mapped_column(Boolean)


class WebhookCursor(Base):
    """How far the event stream has been turned into deliveries (one row; whoever holds its
    lock dispatches, so each event becomes each webhook's delivery once)."""

    __tablename__ = "webhook_cursor"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_event_id: Mapped[int] = mapped_column(BigInteger, default=0)
