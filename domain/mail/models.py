"""Outgoing mail is written to an outbox in the business transaction and sent after commit.

Each row is sent by a background job deferred in the same transaction; the row keeps the state
of its delivery: ``sent_at`` once handed to the mail server, else the failed ``attempts`` with
the ``last_error``, and ``failed_at`` once the job gave up."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    DateTime,
    ForeignKey,
    Identity,
    Integer,
    LargeBinary,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from domain.shared.models import Base, Timestamped

# The background job that sends one outbox row (payload: {"mail_id": <row id>}).
MAIL_SEND_TASK = "mail.send"


class OutgoingMail(Base, Timestamped):
    __tablename__ = "mail_outbox"
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    failed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    attachments: Mapped[list[MailAttachment]] = relationship(
        lazy="raise", order_by="MailAttachment.id"
    )


class MailAttachment(Base):
    """The bytes of an attachment, kept with its message until it is sent."""

    __tablename__ = "mail_attachment"
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    mail_id: Mapped[int] = mapped_column(
        ForeignKey("mail_outbox.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    data: Mapped[bytes] = mapped_column(LargeBinary)
