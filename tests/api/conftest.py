from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import httpx
import pytest

from adapters.db import SqlUnitOfWork, session_factory
from server.app import create_app
from server.settings import Settings
from tests.factories import login, seed
from tests.integration.test_mail import SmtpServer

ClientFactory = Callable[..., Awaitable[httpx.AsyncClient]]


@pytest.fixture
async def demo(app, engine) -> AsyncIterator[None]:  # type: ignore[no-untyped-def]
    uow = SqlUnitOfWork(session_factory(engine))
    try:
        await seed(uow)
    finally:
        await uow.close()
    yield


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    """A local SMTP server that keeps what it receives (tests/integration/test_mail.py)."""
    with SmtpServer() as server:
        yield server


@pytest.fixture
def as_user(client: httpx.AsyncClient, demo: None):  # type: ignore[no-untyped-def]
    """`token = await as_user("boss.acme")`: log in a demo user and return the access token."""

    async def _login(who: str) -> str:
        return await login(client, who)

    return _login


@pytest.fixture
async def client_with(
    settings: Settings, database_url: str, tmp_path: Any, demo: None
) -> AsyncIterator[ClientFactory]:
    """`await client_with(environment="production", max_cost=10)`: an app with other settings
    on the same (demo-seeded) database. Production goes through Settings.from_env, which insists
    on a JWT secret there."""
    async with contextlib.AsyncExitStack() as stack:

        async def make(**overrides: Any) -> httpx.AsyncClient:
            base = settings
            if overrides.pop("environment", None) == "production":
                base = Settings.from_env(
                    {
                        "DATABASE_URL": database_url,
                        "PRESSROOM_DATA_DIR": str(tmp_path),
                        "PRESSROOM_JWT_SECRET": settings.jwt_secret,
                        "PRESSROOM_ENV": "production",
                    }
                )
                assert not base.debug
            app = create_app(dataclasses.replace(base, **overrides))
            await stack.enter_async_context(app.router.lifespan_context(app))
            transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50001))
            return await stack.enter_async_context(
                httpx.AsyncClient(transport=transport, base_url="http://testserver")
            )

        yield make
