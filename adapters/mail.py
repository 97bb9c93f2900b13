"""Sending the mail outbox: one background job per message.

Services queue mail with ``uow.send_mail()``; the unit of work writes it to ``mail_outbox`` and
defers a ``mail.send`` job for the row in the business transaction (adapters/db.py). The job
(``MailDelivery``) locks its row, skips it if it was already sent, hands it to the
sender and records the outcome on the row: ``sent_at``, or one more failed ``attempts`` with the
``last_error`` and, after the last attempt, ``failed_at``. A failed attempt is retried with
exponential backoff by the job queue. Delivery is at least once: a crash between the hand-off
and the commit sends that message again (the Message-ID stays the same, so receivers can tell).

The sender is SMTP, or in development without an SMTP server the mail catcher
(adapters/mail_catcher.py).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, getaddresses
from typing import Any, Protocol

import aiosmtplib
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import selectinload

from domain.mail.models import MAIL_SEND_TASK, OutgoingMail
from domain.shared.jobs import JobRun, JobTask
from domain.shared.models import utcnow

logger = logging.getLogger("pressroom.mail")

# After this many failed attempts a message stays in the outbox, failed, for staff to look at.
MAX_ATTEMPTS = 5
# The first retry waits this long, each later one twice as long as the one before.
BACKOFF_S = 30.0


class SmtpSettings(Protocol):
    """The part of ``server.settings.Settings`` the SMTP sender reads."""

    smtp_host: str | None
    smtp_port: int
    smtp_username: str | None
    smtp_password: str | None
    smtp_starttls: bool
    mail_from: str


@dataclass(frozen=True, slots=True)
class SmtpConfig:
    host: str
    port: int
    mail_from: str
    username: str | None = None
    password: str | None = None
    starttls: bool = False
    timeout_s: float = 30.0

    @classmethod
    def from_settings(cls, settings: SmtpSettings) -> SmtpConfig:
        return cls(
            host=settings.smtp_host or "127.0.0.1",
            port=settings.smtp_port,
            mail_from=settings.mail_from,
            username=settings.smtp_username,
            password=settings.smtp_password,
            starttls=settings.smtp_starttls,
        )


class MailSender(Protocol):
    async def send(self, mail: OutgoingMail) -> None:
        """Hand one message to the mail server; raise on any failure."""


class SmtpSender:
    """One SMTP connection per message: a broken message or connection affects no other."""

    def __init__(self, config: SmtpConfig) -> None:
        self.config = config
        _, from_address = getaddresses([config.mail_from])[0]
        self._from_address = from_address
        self._domain = from_address.rpartition("@")[2] or "localhost"

    def build_message(self, mail: OutgoingMail) -> EmailMessage:
        msg = EmailMessage()
        msg["From"] = self.config.mail_from
        msg["To"] = mail.to_address
        msg["Subject"] = mail.subject
        created = mail.created_at or utcnow()
        msg["Date"] = format_datetime(created)
        # Stable across retries, so a message sent twice (see module docstring) is recognisable.
        msg["Message-ID"] = f"<outbox-{mail.id}.{int(created.timestamp())}@{self._domain}>"
        msg.set_content(mail.body_text)
        for file in mail.attachments:
            maintype, _, subtype = file.content_type.partition("/")
            msg.add_attachment(
                file.data,
                maintype=maintype,
                subtype=subtype or "octet-stream",
                filename=file.filename,
            )
        return msg

    async def send(self, mail: OutgoingMail) -> None:
        cfg = self.config
        await aiosmtplib.send(
            self.build_message(mail),
            sender=self._from_address,
            recipients=[mail.to_address],
            hostname=cfg.host,
            port=cfg.port,
            username=cfg.username,
            password=cfg.password,
            start_tls=cfg.starttls,  # False: never, True: required (not "if offered")
            timeout=cfg.timeout_s,
        )


class MailDelivery:
    """The ``mail.send`` job handler: sends one outbox row, at most once when all goes well."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], sender: MailSender) -> None:
        self._sessions = sessions
        self._sender = sender

    async def __call__(self, run: JobRun, payload: dict[str, Any]) -> None:
        async with self._sessions() as session:
            # Locked while sending: a second run of the same job waits and then sees sent_at.
            # A row that was given up is sent again when staff retry its job.
            row = await session.get(
                OutgoingMail,
                int(payload["mail_id"]),
                with_for_update=True,
                options=[selectinload(OutgoingMail.attachments)],
            )
            if row is None or row.sent_at is not None:
                return
            try:
                await self._sender.send(row)
            except Exception as exc:
                row.attempts += 1
                row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
                if run.final:
                    row.failed_at = utcnow()
                    logger.warning(
                        "mail %s to %s failed after %s attempts, given up: %s",
                        row.id,
                        row.to_address,
                        row.attempts,
                        row.last_error,
                    )
                else:
                    logger.info("mail %s failed (attempt %s): %s", row.id, run.attempt, exc)
                await session.commit()
                raise
            row.sent_at = utcnow()
            row.failed_at = None
            await session.commit()


def mail_task(
    sessions: async_sessionmaker[AsyncSession],
    sender: MailSender,
    *,
    max_attempts: int = MAX_ATTEMPTS,
    backoff_s: float = BACKOFF_S,
) -> JobTask:
    """The job that sends outbox rows (deferred by the unit of work for every message)."""
    return JobTask(
        MAIL_SEND_TASK,
        MailDelivery(sessions, sender),
        max_attempts=max_attempts,
        backoff_s=backoff_s,
    )
