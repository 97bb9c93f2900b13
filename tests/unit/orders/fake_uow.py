"""An in-memory unit of work for unit tests of the order services (as Cosmic Python fakes
its repositories): objects live in a dict keyed by (type, id), `flush` numbers new ones,
events and mail are kept in lists, and a commit is counted. SQL the fake does not know
fails loudly, so a test never passes by skipping a query."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy.sql import Executable


class FakeSession:
    def __init__(self) -> None:
        self.objects: dict[tuple[type, int], Any] = {}
        self.pending: list[Any] = []
        self._ids = itertools.count(1)

    def add(self, obj: Any) -> None:
        self.pending.append(obj)

    def add_all(self, objs: Sequence[Any]) -> None:
        self.pending.extend(objs)

    async def flush(self) -> None:
        for obj in self.pending:
            if getattr(obj, "id", None) is None:
                obj.id = next(self._ids)
            self.objects[(type(obj), obj.id)] = obj
        self.pending.clear()

    async def get(self, cls: type, ident: int, **_: Any) -> Any:
        return self.objects.get((cls, ident))

    def all(self, cls: type) -> list[Any]:
        """Every flushed or pending object of a type, in the order it was added."""
        flushed = [o for (t, _), o in self.objects.items() if t is cls]
        return flushed + [o for o in self.pending if type(o) is cls and o not in flushed]

    async def execute(self, stmt: Executable, *args: Any) -> Any:
        raise NotImplementedError(f"the fake unit of work runs no SQL: {stmt}")


class FakeJobQueue:
    """Keeps deferred jobs in a list: the order services defer none today."""

    def __init__(self) -> None:
        self.deferred: list[tuple[str, dict[str, Any]]] = []

    async def defer(self, task: str, payload: Any, **options: Any) -> int:
        self.deferred.append((task, dict(payload)))
        return len(self.deferred)

    async def list_jobs(self, *args: Any) -> tuple[list[Any], int]:
        return [], 0

    async def get(self, job_id: int) -> None:
        return None

    async def retry(self, job_id: int) -> bool:
        return False


class FakeUnitOfWork:
    """Satisfies domain.shared.uow.UnitOfWork (mypy checks it in test_unit_of_work_port)."""

    def __init__(self) -> None:
        self._session = FakeSession()
        self.events: list[tuple[str, int | None, dict[str, Any]]] = []
        self.mail: list[tuple[str, str, str]] = []
        self.commits = 0
        self.order_numbers = itertools.count(1000)
        self._jobs = FakeJobQueue()

    @property
    def session(self) -> Any:
        return self._session

    @property
    def jobs(self) -> FakeJobQueue:
        return self._jobs

    async def __aenter__(self) -> FakeUnitOfWork:
        return self

    async def __aexit__(self, exc_type: object, exc: object, tb: object, /) -> None:
        return None

    async def commit(self) -> None:
        await self._session.flush()
        self.commits += 1

    async def rollback(self) -> None:
        self._session.pending.clear()

    def record_event(self, topic: str, company_id: int | None, payload: dict[str, Any]) -> None:
        self.events.append((topic, company_id, payload))

    def send_mail(
        self, to_address: str, subject: str, body_text: str, attachments: Any = ()
    ) -> None:
        self.mail.append((to_address, subject, body_text))

    async def scalar(self, stmt: Executable) -> Any:
        if "nextval('order_number_seq')" in str(stmt):
            return next(self.order_numbers)
        raise NotImplementedError(f"the fake unit of work runs no SQL: {stmt}")

    async def scalars(self, stmt: Executable) -> Sequence[Any]:
        raise NotImplementedError(f"the fake unit of work runs no SQL: {stmt}")

    async def rows(self, stmt: Executable) -> Sequence[Any]:
        raise NotImplementedError(f"the fake unit of work runs no SQL: {stmt}")

    @asynccontextmanager
    async def committed_reader(self) -> AsyncIterator[FakeUnitOfWork]:
        yield self
