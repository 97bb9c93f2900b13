"""Database engine, sessions and the SQL unit of work (events, mail and jobs in the same
transaction)."""

from __future__ import annotations

import asyncio
import contextlib
import weakref
from collections.abc import AsyncIterator, Sequence
from typing import Any

from sqlalchemy import event, insert, inspect, select, text
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction
from sqlalchemy.sql import Executable

from adapters.job_store import SqlJobQueue
from domain import all_models  # noqa: F401  (every table known: foreign keys resolve)
from domain.events.followers import follow_key, followers_of
from domain.events.models import Event
from domain.mail.models import MAIL_SEND_TASK, MailAttachment, OutgoingMail
from domain.shared.mail import Attachment
from domain.shared.read_cache import CACHES, WATCHED_TABLES

EVENT_CHANNEL = "pressroom_events"
# Held from the event insert to commit, so event ids become visible in commit order and a
# subscriber reading "id > last seen" never skips an event committed late with a lower id.
_EVENT_ORDER_LOCK = 7_310_001


_WRITTEN = "pressroom_written_tables"


@event.listens_for(Session, "after_flush")
def _note_flushed_tables(session: Session, _flush: UOWTransaction) -> None:
    """Which tables this transaction wrote, and how (read caches built from them are dropped in
    this process on commit; other processes hear it from the tables' triggers)."""
    written = session.info.setdefault(_WRITTEN, set())
    for objects, op in (
        (session.new, "INSERT"),
        (session.dirty, "UPDATE"),
        (session.deleted, "DELETE"),
    ):
        for obj in objects:
            mapper = inspect(obj).mapper
            written.update((t.name, op) for t in mapper.tables)
            # Collections kept in an association table (a user's permission groups).
            written.update(
                (r.secondary.name, "UPDATE")
                for r in mapper.relationships
                if r.secondary is not None
            )


@event.listens_for(Session, "do_orm_execute")
def _note_dml_tables(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        name = getattr(table, "name", None)
        if name:
            op = "INSERT" if state.is_insert else "UPDATE" if state.is_update else "DELETE"
            state.session.info.setdefault(_WRITTEN, set()).add((name, op))


def _forget_written(session: AsyncSession, *, committed: bool) -> None:
    written = session.sync_session.info.pop(_WRITTEN, None)
    if committed and written:
        # The same table/operation pairs the triggers notify (a new login session is no change
        # to any cached viewer).
        CACHES.invalidate({t for t, op in written if op in WATCHED_TABLES.get(t, ())})


def async_url(url: str) -> str:
    """Accept plain ``postgresql://`` URLs (as libpq and the embedded server print them)."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url[len(prefix) :]
    return url


def create_engine(url: str, *, pool_size: int = 10, echo: bool = False) -> AsyncEngine:
    return create_async_engine(
        async_url(url),
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=False,
        echo=echo,
        connect_args={"server_settings": {"application_name": "pressroom", "timezone": "UTC"}},
    )


# Read caches are filled through a small pool of their own: a request that holds a connection
# of the main pool and fills a cache must never wait for another connection of the same pool
# (with every connection held by such requests, none would come back).
Sessions = async_sessionmaker[AsyncSession]
_READERS: weakref.WeakKeyDictionary[Any, Sessions] = weakref.WeakKeyDictionary()
READER_POOL_SIZE = 2


def _reader_sessions(sessions: Sessions) -> Sessions:
    bind = sessions.kw.get("bind")
    if not isinstance(bind, AsyncEngine):
        return sessions
    readers = _READERS.get(bind.sync_engine)
    if readers is None:
        engine = create_async_engine(
            bind.url,
            pool_size=READER_POOL_SIZE,
            max_overflow=READER_POOL_SIZE * 2,
            connect_args={
                "server_settings": {"application_name": "pressroom-cache", "timezone": "UTC"}
            },
        )
        readers = _READERS[bind.sync_engine] = session_factory(engine)
    return readers


async def dispose_engine(engine: AsyncEngine) -> None:
    """Close the engine's connections and those of its cache readers' pool."""
    readers = _READERS.pop(engine.sync_engine, None)
    if readers is not None:
        reader_bind = readers.kw.get("bind")
        if isinstance(reader_bind, AsyncEngine):
            await reader_bind.dispose()
    await engine.dispose()


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=True)


class SqlUnitOfWork:
    """One AsyncSession for a request. Not shared across requests or viewers."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        self._session: AsyncSession | None = None
        self._lock = asyncio.Lock()
        self._events: list[dict[str, Any]] = []
        self._mail: list[dict[str, Any]] = []
        self._command_task: asyncio.Task[Any] | None = None

    @property
    def jobs(self) -> SqlJobQueue:
        """Background jobs deferred in this unit of work's transaction. A new (stateless)
        queue each time: one kept on the unit of work would make the two a reference cycle,
        which only the garbage collector frees (bench/RESULTS.md, the 30-minute soak)."""
        return SqlJobQueue(self)

    @property
    def session(self) -> AsyncSession:
        if self._session is None:
            self._session = self._sessions()
        return self._session

    async def __aenter__(self) -> SqlUnitOfWork:
        await self._lock.acquire()
        self._command_task = asyncio.current_task()
        self._events.clear()
        self._mail.clear()
        return self

    async def __aexit__(self, exc_type: object, *exc: object) -> None:
        try:
            session = self._session
            if exc_type is None and session is not None and session.in_transaction():
                if session.new or session.dirty or session.deleted:
                    # Changes nobody committed: a bug in the command, never half-saved.
                    await self.rollback()
                else:
                    # A command that only read (e.g. an idempotent repeat): end the read
                    # transaction without expiring what it returns (rollback would).
                    await session.commit()
                    _forget_written(session, committed=True)
            elif exc_type is not None:
                # Bad input leaves nothing behind.
                await self.rollback()
        finally:
            self._command_task = None
            self._lock.release()

    def record_event(self, topic: str, company_id: int | None, payload: dict[str, Any]) -> None:
        self._events.append({"topic": topic, "company_id": company_id, "payload": payload})

    def send_mail(
        self,
        to_address: str,
        subject: str,
        body_text: str,
        attachments: Sequence[Attachment] = (),
        body_html: str | None = None,
    ) -> None:
        self._mail.append(
            {
                "to_address": to_address,
                "subject": subject,
                "body_text": body_text,
                "attachments": tuple(attachments),
                "body_html": body_html,
            }
        )

    async def commit(self) -> None:
        session = self.session
        if self._mail:
            # One job per message, deferred in this transaction (adapters/mail.py sends it).
            for mail in self._mail:
                files = mail["attachments"]
                row = {k: v for k, v in mail.items() if k != "attachments"}
                mail_id = await session.scalar(insert(OutgoingMail).returning(OutgoingMail.id), row)
                if files:
                    await session.execute(
                        insert(MailAttachment),
                        [
                            {
                                "mail_id": mail_id,
                                "filename": f.filename,
                                "content_type": f.content_type,
                                "data": f.data,
                            }
                            for f in files
                        ],
                    )
                await self.jobs.defer(MAIL_SEND_TASK, {"mail_id": mail_id})
        if self._events:
            await session.execute(
                text("SELECT pg_advisory_xact_lock(:k)"), {"k": _EVENT_ORDER_LOCK}
            )
            ids = (await session.scalars(insert(Event).returning(Event.id), self._events)).all()
            # Areas that follow topics in the background (domain/events/followers.py).
            for event_id, event in zip(ids, self._events, strict=True):
                for follower in followers_of(event["topic"]):
                    await self.jobs.defer(
                        follower.task,
                        {"event_id": event_id},
                        idempotency_key=follow_key(follower.task, event_id),
                    )
            # NOTIFY is transactional: delivered on commit only, never for a rollback.
            await session.execute(
                text("SELECT pg_notify(:c, :p)"), {"c": EVENT_CHANNEL, "p": str(max(ids))}
            )
        await session.commit()
        _forget_written(session, committed=True)
        self._events.clear()
        self._mail.clear()

    async def rollback(self) -> None:
        self._events.clear()
        self._mail.clear()
        if self._session is not None:
            await self._session.rollback()
            _forget_written(self._session, committed=False)

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    @contextlib.asynccontextmanager
    async def committed_reader(self) -> AsyncIterator[SqlUnitOfWork]:
        reader = SqlUnitOfWork(_reader_sessions(self._sessions))
        try:
            yield reader
        finally:
            await reader.close()

    # Reads beside other reads: GraphQL resolves sibling fields concurrently on one session.
    async def scalars(self, stmt: Executable) -> Sequence[Any]:
        if self._in_command():
            return (await self.session.scalars(stmt)).all()
        async with self._lock:
            return (await self.session.scalars(stmt)).all()

    async def scalar(self, stmt: Executable) -> Any:
        rows = await self.scalars(stmt)
        return rows[0] if rows else None

    async def rows(self, stmt: Executable) -> Sequence[Any]:
        if self._in_command():
            return (await self.session.execute(stmt)).all()
        async with self._lock:
            return (await self.session.execute(stmt)).all()

    def _in_command(self) -> bool:
        # Inside ``async with uow`` the command holds the lock itself; mutations run serially.
        return self._command_task is not None and self._command_task is asyncio.current_task()


async def latest_event_id(session: AsyncSession) -> int:
    return int(await session.scalar(select(Event.id).order_by(Event.id.desc()).limit(1)) or 0)
