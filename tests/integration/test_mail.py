"""The mail outbox against a real SMTP server (aiosmtpd) and the real database."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.db import SqlUnitOfWork, session_factory
from adapters.mail import MAX_ATTEMPTS, MailDispatcher, SmtpConfig, SmtpSender, listen_dsn
from domain.mail.models import OutgoingMail

MAIL_FROM = "Pressroom <no-reply@shop.example>"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class SmtpInbox:
    """An aiosmtpd handler that keeps every message; refuses recipients at @refused.example."""

    def __init__(self) -> None:
        self.envelopes: list[Envelope] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # type: ignore[no-untyped-def]
        if address.endswith("@refused.example"):
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    @property
    def messages(self) -> list[EmailMessage]:
        return [
            message_from_bytes(e.original_content or e.content, policy=policy.default)  # type: ignore[misc]
            for e in self.envelopes
        ]

    async def wait_for(self, count: int, timeout_s: float) -> float:
        """Seconds until ``count`` messages arrived; fails the test after ``timeout_s``."""
        start = time.monotonic()
        while len(self.envelopes) < count:
            if time.monotonic() - start > timeout_s:
                pytest.fail(f"{len(self.envelopes)} of {count} messages after {timeout_s} s")
            await asyncio.sleep(0.02)
        return time.monotonic() - start


class SmtpServer:
    def __init__(self) -> None:
        self.inbox = SmtpInbox()
        self.host = "127.0.0.1"
        self.port = free_port()
        self._controller = Controller(self.inbox, hostname=self.host, port=self.port)

    def __enter__(self) -> SmtpServer:
        self._controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._controller.stop()


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with SmtpServer() as server:
        yield server


def dispatcher(engine: AsyncEngine, database_url: str, port: int, **kw: float) -> MailDispatcher:
    sender = SmtpSender(SmtpConfig(host="127.0.0.1", port=port, mail_from=MAIL_FROM, timeout_s=5))
    return MailDispatcher(session_factory(engine), sender, database_url, **kw)  # type: ignore[arg-type]


async def queue(uow: SqlUnitOfWork, *mails: tuple[str, str, str]) -> None:
    async with uow:
        for to, subject, body in mails:
            uow.send_mail(to, subject, body)
        await uow.commit()


async def outbox(engine: AsyncEngine) -> list[OutgoingMail]:
    async with session_factory(engine)() as s:
        return list((await s.scalars(select(OutgoingMail).order_by(OutgoingMail.id))).all())


def test_listen_dsn_is_a_libpq_url() -> None:
    assert listen_dsn("postgresql://u@/db?host=/tmp") == "postgresql://u@/db?host=/tmp"
    assert listen_dsn("postgresql+asyncpg://u:p@h:5/db") == "postgresql://u:p@h:5/db"
    assert listen_dsn("postgres://u@h/db") == "postgresql://u@h/db"


async def test_committed_mail_is_delivered_and_marked_sent(uow, engine, database_url, smtp) -> None:  # type: ignore[no-untyped-def]
    body = "Hallo Anna,\n\nIhr Auftrag 4711 ist fertig zur Abholung.\nGrüße aus der Druckerei\n"
    await queue(uow, ("anna@customer.example", "Auftrag 4711 für Müller ist fertig", body))
    mailer = dispatcher(engine, database_url, smtp.port)

    assert await mailer.send_pending() == 1

    [envelope] = smtp.inbox.envelopes
    assert envelope.mail_from == "no-reply@shop.example"
    assert envelope.rcpt_tos == ["anna@customer.example"]
    [msg] = smtp.inbox.messages
    assert msg["Subject"] == "Auftrag 4711 für Müller ist fertig"
    assert msg["To"] == "anna@customer.example"
    assert msg["From"] == MAIL_FROM
    assert msg["Message-ID"].startswith("<outbox-1.")
    assert msg["Date"]
    assert msg.get_content_type() == "text/plain"
    assert msg.get_content().replace("\r\n", "\n") == body
    [row] = await outbox(engine)
    assert row.sent_at is not None
    assert row.attempts == 0
    assert row.last_error is None
    # Sent once only.
    assert await mailer.send_pending() == 0
    assert len(smtp.inbox.envelopes) == 1


async def test_rolled_back_unit_of_work_sends_nothing(uow, engine, database_url, smtp) -> None:  # type: ignore[no-untyped-def]
    async with uow:
        uow.send_mail("a@customer.example", "never", "never")
        # no commit: leaving the block rolls back
    with pytest.raises(RuntimeError):
        async with uow:
            uow.send_mail("b@customer.example", "never", "never")
            raise RuntimeError("the command failed")

    assert await outbox(engine) == []
    assert await dispatcher(engine, database_url, smtp.port).send_pending() == 0
    assert smtp.inbox.envelopes == []


async def test_unreachable_server_counts_attempts_and_keeps_the_row(
    uow, engine, database_url
) -> None:  # type: ignore[no-untyped-def]
    await queue(uow, ("a@customer.example", "one", "1"), ("b@customer.example", "two", "2"))
    mailer = dispatcher(engine, database_url, free_port())  # nothing listens there

    assert await mailer.send_pending() == 0

    rows = await outbox(engine)
    assert [(r.sent_at, r.attempts) for r in rows] == [(None, 1), (None, 1)]
    assert all(r.last_error and "SMTPConnect" in r.last_error for r in rows)
    for _ in range(MAX_ATTEMPTS - 1):
        await mailer.send_pending()
    assert [r.attempts for r in await outbox(engine)] == [MAX_ATTEMPTS, MAX_ATTEMPTS]
    # Given up: no further attempts, even once the server is back.
    with SmtpServer() as server:
        assert await dispatcher(engine, database_url, server.port).send_pending() == 0
        assert server.inbox.envelopes == []
    assert [r.attempts for r in await outbox(engine)] == [MAX_ATTEMPTS, MAX_ATTEMPTS]


async def test_a_refused_message_does_not_block_the_others(uow, engine, database_url, smtp) -> None:  # type: ignore[no-untyped-def]
    await queue(
        uow,
        ("first@customer.example", "first", "1"),
        ("nobody@refused.example", "refused", "2"),
        ("third@customer.example", "third", "3"),
    )

    assert await dispatcher(engine, database_url, smtp.port).send_pending() == 2

    assert [m["Subject"] for m in smtp.inbox.messages] == ["first", "third"]
    first, refused, third = await outbox(engine)
    assert first.sent_at is not None and third.sent_at is not None
    assert refused.sent_at is None
    assert refused.attempts == 1
    assert refused.last_error is not None and "550" in refused.last_error


async def test_limit_and_rows_locked_by_another_sender_are_skipped(
    uow, engine, database_url, smtp
) -> None:  # type: ignore[no-untyped-def]
    await queue(uow, *[(f"c{i}@customer.example", f"mail {i}", "x") for i in range(4)])
    mailer = dispatcher(engine, database_url, smtp.port)
    async with engine.connect() as other:
        # Another process is busy with mail 1 (claimed, not yet committed).
        await other.execute(text("SELECT id FROM mail_outbox WHERE id = 1 FOR UPDATE"))
        assert await mailer.send_pending(limit=2) == 2
        assert await mailer.send_pending(limit=2) == 1
        assert await mailer.send_pending(limit=2) == 0
        await other.rollback()
    assert [m["Subject"] for m in smtp.inbox.messages] == ["mail 1", "mail 2", "mail 3"]
    assert await mailer.send_pending() == 1
    assert smtp.inbox.messages[-1]["Subject"] == "mail 0"


async def test_run_forever_sends_at_start_and_on_notify(uow, engine, database_url, smtp) -> None:  # type: ignore[no-untyped-def]
    await queue(uow, ("early@customer.example", "queued before start", "x"))
    # A long poll interval: anything sent within seconds came through LISTEN/NOTIFY.
    mailer = dispatcher(engine, database_url, smtp.port, poll_interval_s=60)
    task = asyncio.create_task(mailer.run_forever())
    try:
        await smtp.inbox.wait_for(1, timeout_s=5)
        await queue(uow, ("late@customer.example", "queued while running", "y"))
        assert await smtp.inbox.wait_for(2, timeout_s=2) < 2
        assert [m["To"] for m in smtp.inbox.messages] == [
            "early@customer.example",
            "late@customer.example",
        ]
        rows = await outbox(engine)
        assert all(r.sent_at is not None for r in rows)
    finally:
        task.cancel()
        await asyncio.wait([task])
    assert task.cancelled()


async def test_run_forever_reconnects_when_its_connection_is_killed(
    uow, engine, database_url, smtp
) -> None:  # type: ignore[no-untyped-def]
    mailer = dispatcher(engine, database_url, smtp.port, poll_interval_s=60)
    task = asyncio.create_task(mailer.run_forever())
    try:
        await queue(uow, ("one@customer.example", "before", "x"))
        await smtp.inbox.wait_for(1, timeout_s=5)
        async with engine.begin() as conn:
            killed = await conn.scalar(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE query ILIKE 'LISTEN%pressroom_mail%' AND pid <> pg_backend_pid()"
                )
            )
        assert killed == 1
        await queue(uow, ("two@customer.example", "after", "y"))
        await smtp.inbox.wait_for(2, timeout_s=6)
        assert smtp.inbox.messages[-1]["Subject"] == "after"
    finally:
        task.cancel()
        await asyncio.wait([task])


async def test_cancelling_mid_batch_keeps_what_was_sent(uow, engine, database_url) -> None:  # type: ignore[no-untyped-def]
    await queue(uow, *[(f"c{i}@customer.example", f"mail {i}", "x") for i in range(3)])
    delivered: list[str] = []
    second_started = asyncio.Event()

    class SlowSecond:
        async def send(self, mail: OutgoingMail) -> None:
            if delivered:
                second_started.set()
                await asyncio.sleep(30)
            delivered.append(mail.subject)

    mailer = MailDispatcher(session_factory(engine), SlowSecond(), database_url)
    task = asyncio.create_task(mailer.send_pending())
    await asyncio.wait_for(second_started.wait(), 5)
    task.cancel()
    await asyncio.wait([task])

    assert task.cancelled()
    assert delivered == ["mail 0"]
    rows = await outbox(engine)
    assert [r.sent_at is not None for r in rows] == [True, False, False]
    assert [r.attempts for r in rows] == [0, 0, 0]
