from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from adapters.db import SqlUnitOfWork, session_factory
from tests.factories import login, seed


@pytest.fixture
async def demo(app, engine) -> AsyncIterator[None]:  # type: ignore[no-untyped-def]
    uow = SqlUnitOfWork(session_factory(engine))
    try:
        await seed(uow)
    finally:
        await uow.close()
    yield


@pytest.fixture
def as_user(client: httpx.AsyncClient, demo: None):  # type: ignore[no-untyped-def]
    """`token = await as_user("boss.acme")`: log in a demo user and return the access token."""

    async def _login(who: str) -> str:
        return await login(client, who)

    return _login
