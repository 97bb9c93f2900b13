"""The unit-of-work port: one transaction per command, events, mail and jobs written with it."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import Executable

from domain.shared.jobs import JobQueue

if TYPE_CHECKING:
    from domain.shared.mail import Attachment

T = TypeVar("T")


class UnitOfWork(Protocol):
    """What services need from the database for one request or job.

    ``session`` is the request's AsyncSession. Reads that may run beside other reads of the same
    request (GraphQL resolves sibling fields concurrently) go through ``scalars``/``rows`` which
    serialise access to the session. Commands use ``async with uow:`` and ``commit()``.
    """

    @property
    def session(self) -> AsyncSession:
        """The request's session (opened on first use); read-only: a unit of work keeps one."""
        ...

    @property
    def jobs(self) -> JobQueue:
        """Background jobs deferred in this unit of work's transaction (domain/shared/jobs.py)."""
        ...

    async def __aenter__(self) -> UnitOfWork: ...

    async def __aexit__(self, exc_type: object, exc: object, tb: object, /) -> None:
        """Leave the command: what it did not commit is rolled back."""
        ...

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...

    def record_event(self, topic: str, company_id: int | None, payload: dict[str, Any]) -> None:
        """Queue an event; it is written to the outbox by ``commit`` in the same transaction."""

    def send_mail(
        self,
        to_address: str,
        subject: str,
        body_text: str,
        attachments: Sequence[Attachment] = (),
    ) -> None:
        """Queue an e-mail (with files attached); it is written to the mail outbox by
        ``commit``."""

    async def scalars(self, stmt: Executable) -> Sequence[Any]: ...

    async def scalar(self, stmt: Executable) -> Any: ...

    async def rows(self, stmt: Executable) -> Sequence[Any]: ...

    def committed_reader(self) -> AbstractAsyncContextManager[UnitOfWork]:
        """A separate, short unit of work that sees committed data only, for filling
        process-wide read caches: rows read through it are detached once it closes, and never
        hold what the request's own transaction has written but not committed."""
        ...
