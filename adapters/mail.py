"""Sending the mail outbox over SMTP.

Services queue mail with ``uow.send_mail()``; the unit of work writes it to ``mail_outbox`` in the
business transaction and NOTIFYs ``pressroom_mail`` on commit. The ``MailDispatcher`` of every
process LISTENs on that channel and sends what is pending. Rows are claimed with
``FOR UPDATE SKIP LOCKED``, so several processes share the work and never send a row twice at
the same time. Delivery is at least once: a crash between the SMTP hand-off and the commit sends
that message again on the next pass (the Message-ID stays the same, so receivers can tell).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, getaddresses
from typing import Protocol

import aiosmtplib
import asyncpg
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import selectinload

from adapters.db import MAIL_CHANNEL, async_url
from domain.mail.models import OutgoingMail
from domain.shared.models import utcnow

logger = logging.getLogger("pressroom.mail")

# After this many failed attempts a message stays in the outbox for an operator to look at.
MAX_ATTEMPTS = 5


class SmtpSettings(Protocol):
    """The part of ``server.settings.Settings`` the SMTP sender reads."""

    smtp_host: str
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
            host=settings.smtp_host,
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


def listen_dsn(database_url: str) -> str:
    """The SQLAlchemy URL as a libpq URL for ``asyncpg.connect``."""
    return async_url(database_url).replace("postgresql+asyncpg://", "postgresql://", 1)


class MailDispatcher:
    """Sends pending outbox rows: on start, on every NOTIFY, and every ``poll_interval_s``."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        sender: MailSender,
        database_url: str,
        *,
        batch_size: int = 50,
        poll_interval_s: float = 30.0,
        max_backoff_s: float = 60.0,
    ) -> None:
        self._sessions = sessions
        self._sender = sender
        self._dsn = listen_dsn(database_url)
        self._batch_size = batch_size
        self._poll_interval_s = poll_interval_s
        self._max_backoff_s = max_backoff_s

    async def send_pending(self, limit: int = 50) -> int:
        """Send up to ``limit`` unsent messages in one transaction; return how many went out.

        A failing message gets ``attempts`` + 1 and its error, and the others still go out.
        """
        sent = 0
        cancelled: asyncio.CancelledError | None = None
        async with self._sessions() as session:
            rows = (
                await session.scalars(
                    select(OutgoingMail)
                    .where(OutgoingMail.sent_at.is_(None), OutgoingMail.attempts < MAX_ATTEMPTS)
                    .options(selectinload(OutgoingMail.attachments))
                    .order_by(OutgoingMail.id)
                    .limit(limit)
                    .with_for_update(skip_locked=True)
                )
            ).all()
            for row in rows:
                try:
                    await self._sender.send(row)
                except asyncio.CancelledError as exc:
                    # Record what already went out before giving up, so it is not sent again.
                    cancelled = exc
                    break
                except Exception as exc:
                    row.attempts += 1
                    row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
                    log = logger.error if row.attempts >= MAX_ATTEMPTS else logger.warning
                    log(
                        "mail %s to %s failed (attempt %s): %s",
                        row.id,
                        row.to_address,
                        row.attempts,
                        row.last_error,
                    )
                else:
                    row.sent_at = utcnow()
                    sent += 1
            await session.commit()
        if cancelled is not None:
            raise cancelled
        return sent

    async def run_forever(self) -> None:
        """The background loop of a process; returns only by cancellation."""
        delay = 1.0
        while True:
            try:
                conn = await asyncpg.connect(self._dsn)
            except Exception as exc:
                logger.warning("mail dispatcher cannot connect (%s); retry in %.0f s", exc, delay)
            else:
                delay = 1.0
                try:
                    await self._serve(conn)
                except Exception as exc:
                    logger.warning("mail dispatcher stopped (%s); restart in %.0f s", exc, delay)
                finally:
                    await _close(conn)
            await asyncio.sleep(delay)
            delay = min(delay * 2, self._max_backoff_s)

    async def _serve(self, conn: asyncpg.Connection) -> None:
        wake = asyncio.Event()
        lost = asyncio.Event()

        def on_lost(_conn: object) -> None:
            lost.set()
            wake.set()

        conn.add_termination_listener(on_lost)
        await conn.add_listener(MAIL_CHANNEL, lambda *_: wake.set())
        # Listening before the first pass: nothing committed from here on can be missed.
        wake.set()
        while True:
            try:
                async with asyncio.timeout(self._poll_interval_s):
                    await wake.wait()
            except TimeoutError:
                # The fallback pass also proves the listening connection still answers.
                async with asyncio.timeout(10):
                    await conn.execute("SELECT 1")
            if lost.is_set() or conn.is_closed():
                raise ConnectionError("the LISTEN connection was lost")
            wake.clear()
            while await self.send_pending(self._batch_size) >= self._batch_size:
                pass


async def _close(conn: asyncpg.Connection) -> None:
    try:
        async with asyncio.timeout(5):
            await conn.close()
    except Exception:
        conn.terminate()
