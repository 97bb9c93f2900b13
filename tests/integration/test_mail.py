"""The mail outbox against a real SMTP server (aiosmtpd), the real database and the real job
queue: every message is a mail.send job deferred with its outbox row."""

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
from adapters.jobs import JobWorker, libpq_dsn
from adapters.mail import MAX_ATTEMPTS, MailSender, SmtpConfig, SmtpSender, mail_task
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
    def __init__(self, port: int | None = None) -> None:
        self.inbox = SmtpInbox()
        self.host = "127.0.0.1"
        self.port = port or free_port()
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


def smtp_sender(port: int) -> SmtpSender:
    return SmtpSender(SmtpConfig(host="127.0.0.1", port=port, mail_from=MAIL_FROM, timeout_s=5))


def mail_worker(
    engine: AsyncEngine,
    database_url: str,
    sender: MailSender,
    *,
    backoff_s: float = 0.0,
    poll_interval_s: float = 0.2,
) -> JobWorker:
    task = mail_task(session_factory(engine), sender, backoff_s=backoff_s)  # type: ignore[arg-type]
    return JobWorker(database_url, engine, [task], poll_interval_s=poll_interval_s)


@pytest.fixture
async def workers(engine: AsyncEngine, database_url: str):  # type: ignore[no-untyped-def]
    """``make(port_or_sender, **kw)``: a worker sending to the SMTP server on that port."""
    made: list[JobWorker] = []

    def make(target: int | MailSender, **kw: float) -> JobWorker:
        sender = smtp_sender(target) if isinstance(target, int) else target
        w = mail_worker(engine, database_url, sender, **kw)
        made.append(w)
        return w

    yield make
    for w in made:
        await w.close()


async def queue(uow: SqlUnitOfWork, *mails: tuple[str, str, str]) -> None:
    async with uow:
        for to, subject, body in mails:
            uow.send_mail(to, subject, body)
        await uow.commit()


async def outbox(engine: AsyncEngine) -> list[OutgoingMail]:
    async with session_factory(engine)() as s:
        return list((await s.scalars(select(OutgoingMail).order_by(OutgoingMail.id))).all())


async def job_rows(engine: AsyncEngine) -> list[tuple[str, str, int]]:
    async with engine.connect() as conn:
        rows = await conn.execute(
            text("SELECT task_name, status::text, attempts FROM procrastinate_jobs ORDER BY id")
        )
        return [tuple(r) for r in rows]  # type: ignore[misc]


def test_libpq_dsn() -> None:
    assert libpq_dsn("postgresql://u@/db?host=/tmp") == "postgresql://u@/db?host=/tmp"
    assert libpq_dsn("postgresql+asyncpg://u:p@h:5/db") == "postgresql://u:p@h:5/db"
    assert libpq_dsn("postgres://u@h/db") == "postgresql://u@h/db"


async def test_committed_mail_is_delivered_and_marked_sent(uow, engine, smtp, workers) -> None:  # type: ignore[no-untyped-def]
    body = "Hallo Anna,\n\nIhr Auftrag 4711 ist fertig zur Abholung.\nGrüße aus der Druckerei\n"
    await queue(uow, ("anna@customer.example", "Auftrag 4711 für Müller ist fertig", body))
    assert await job_rows(engine) == [("mail.send", "todo", 0)]
    worker = workers(smtp.port)

    await worker.run_until_idle()

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
    assert row.last_error is None and row.failed_at is None
    assert await job_rows(engine) == [("mail.send", "succeeded", 1)]
    # Sent once only, even when the job runs again (jobs run at least once).
    async with uow:
        await uow.jobs.defer("mail.send", {"mail_id": row.id})
        await uow.commit()
    await worker.run_until_idle()
    assert len(smtp.inbox.envelopes) == 1


async def test_rolled_back_unit_of_work_sends_nothing(uow, engine, smtp, workers) -> None:  # type: ignore[no-untyped-def]
    async with uow:
        uow.send_mail("a@customer.example", "never", "never")
        # no commit: leaving the block rolls back
    with pytest.raises(RuntimeError):
        async with uow:
            uow.send_mail("b@customer.example", "never", "never")
            await uow.jobs.defer("mail.send", {"mail_id": 99})
            raise RuntimeError("the command failed")

    assert await outbox(engine) == []
    assert await job_rows(engine) == []
    await workers(smtp.port).run_until_idle()
    assert smtp.inbox.envelopes == []


async def test_unreachable_server_is_retried_then_given_up(uow, engine, workers) -> None:  # type: ignore[no-untyped-def]
    await queue(uow, ("a@customer.example", "one", "1"), ("b@customer.example", "two", "2"))
    port = free_port()  # nothing listens there

    await workers(port).run_until_idle()  # no backoff: every attempt runs now

    rows = await outbox(engine)
    assert [(r.sent_at, r.attempts) for r in rows] == [(None, MAX_ATTEMPTS), (None, MAX_ATTEMPTS)]
    assert all(r.failed_at is not None for r in rows)
    assert all(r.last_error and "SMTPConnect" in r.last_error for r in rows)
    assert [s for _, s, _ in await job_rows(engine)] == ["failed", "failed"]
    # Given up: no further attempts, even once the server is back.
    with SmtpServer(port) as server:
        await workers(port).run_until_idle()
        assert server.inbox.envelopes == []
    assert [r.attempts for r in await outbox(engine)] == [MAX_ATTEMPTS, MAX_ATTEMPTS]


async def test_a_failed_attempt_waits_for_its_backoff(uow, engine, workers) -> None:  # type: ignore[no-untyped-def]
    await queue(uow, ("a@customer.example", "one", "1"))
    port = free_port()

    await workers(port, backoff_s=30).run_until_idle()

    [row] = await outbox(engine)
    assert (row.attempts, row.failed_at, row.sent_at) == (1, None, None)
    async with engine.connect() as conn:
        wait = await conn.scalar(
            text("SELECT extract(epoch FROM scheduled_at - now()) FROM procrastinate_jobs")
        )
    assert 20 < wait <= 30
    assert await job_rows(engine) == [("mail.send", "todo", 1)]


async def test_a_refused_message_does_not_block_the_others(uow, engine, smtp, workers) -> None:  # type: ignore[no-untyped-def]
    await queue(
        uow,
        ("first@customer.example", "first", "1"),
        ("nobody@refused.example", "refused", "2"),
        ("third@customer.example", "third", "3"),
    )

    await workers(smtp.port, backoff_s=60).run_until_idle()

    assert sorted(m["Subject"] for m in smtp.inbox.messages) == ["first", "third"]
    first, refused, third = await outbox(engine)
    assert first.sent_at is not None and third.sent_at is not None
    assert refused.sent_at is None
    assert refused.attempts == 1
    assert refused.last_error is not None and "550" in refused.last_error


async def test_two_workers_send_each_message_once(uow, engine, smtp, workers) -> None:  # type: ignore[no-untyped-def]
    await queue(uow, *[(f"c{i}@customer.example", f"mail {i}", "x") for i in range(12)])

    await asyncio.gather(workers(smtp.port).run_until_idle(), workers(smtp.port).run_until_idle())

    assert sorted(m["Subject"] for m in smtp.inbox.messages) == sorted(
        f"mail {i}" for i in range(12)
    )
    assert all(r.sent_at is not None for r in await outbox(engine))


async def run_in_background(worker: JobWorker) -> asyncio.Task[None]:
    return asyncio.create_task(worker.run_forever())


async def stop(worker: JobWorker, task: asyncio.Task[None]) -> None:
    worker.stop()
    await asyncio.wait_for(task, 20)


async def test_a_running_worker_sends_at_start_and_on_notify(uow, engine, smtp, workers) -> None:  # type: ignore[no-untyped-def]
    await queue(uow, ("early@customer.example", "queued before start", "x"))
    # A long poll interval: anything sent within seconds came through LISTEN/NOTIFY.
    worker = workers(smtp.port, poll_interval_s=60)
    task = await run_in_background(worker)
    try:
        await smtp.inbox.wait_for(1, timeout_s=10)
        await queue(uow, ("late@customer.example", "queued while running", "y"))
        assert await smtp.inbox.wait_for(2, timeout_s=3) < 3
        assert [m["To"] for m in smtp.inbox.messages] == [
            "early@customer.example",
            "late@customer.example",
        ]
        # The row is marked sent right after the server took the message.
        deadline = time.monotonic() + 5
        while not all(r.sent_at is not None for r in await outbox(engine)):
            assert time.monotonic() < deadline, "rows not marked sent"
            await asyncio.sleep(0.05)
    finally:
        await stop(worker, task)
    assert task.done() and task.exception() is None


async def test_a_worker_whose_connection_is_killed_starts_again(uow, engine, smtp, workers) -> None:  # type: ignore[no-untyped-def]
    worker = workers(smtp.port, poll_interval_s=0.5)
    task = await run_in_background(worker)
    try:
        await queue(uow, ("one@customer.example", "before", "x"))
        await smtp.inbox.wait_for(1, timeout_s=10)
        async with engine.begin() as conn:
            killed = await conn.scalar(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE application_name = 'pressroom-worker' AND pid <> pg_backend_pid()"
                )
            )
        assert killed >= 1
        await queue(uow, ("two@customer.example", "after", "y"))
        await smtp.inbox.wait_for(2, timeout_s=15)
        assert smtp.inbox.messages[-1]["Subject"] == "after"
    finally:
        await stop(worker, task)
