"""Test infrastructure: one throwaway PostgreSQL for the session (embedded, or
TEST_DATABASE_URL), migrated once; every test starts from empty tables."""

from __future__ import annotations

import os
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.db import SqlUnitOfWork, create_engine, dispose_engine, session_factory
from adapters.embedded_db import ensure_database, process_alive, start_embedded, stop_embedded
from adapters.migrations import upgrade
from domain.catalog.services import clear_spec_cache
from domain.pricing.engine import clear_compiled_cache
from server.domain_wiring import wire_domain
from server.settings import Settings

TEST_DB = "pressroom_test"


@pytest.fixture(scope="session", autouse=True)
def domain_wired() -> None:
    """The seams registered as the server registers them at start-up (tests that call
    domain services directly need them too)."""
    wire_domain()


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    external = os.environ.get("TEST_DATABASE_URL")
    if external:
        base, _, _ = external.rpartition("/")
        ensure_database(f"{base}/postgres", TEST_DB, drop_first=True)
        url = f"{base}/{TEST_DB}"
        upgrade(url)
        yield url
        return
    with tempfile.TemporaryDirectory(prefix="pressroom-test-") as tmp:
        url = start_embedded(Path(tmp), database=TEST_DB, cleanup="delete")
        try:
            upgrade(url)
            yield url
        finally:
            # Stopped here, before the folder goes: left to the wheel's exit hook, the server
            # outlived the suite by a minute (its folder already removed under it).
            pid = stop_embedded(Path(tmp))
            if pid is not None and process_alive(pid):
                raise RuntimeError(f"the test PostgreSQL (pid {pid}) is still running")


@pytest.fixture(scope="session")
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    eng = create_engine(database_url, pool_size=5)
    yield eng
    await dispose_engine(eng)


@pytest.fixture(autouse=False)
async def clean_db(engine: AsyncEngine) -> AsyncIterator[None]:
    yield
    async with engine.begin() as conn:
        tables = (
            await conn.execute(
                text(
                    "SELECT string_agg(quote_ident(tablename), ', ') FROM pg_tables "
                    "WHERE schemaname = 'public' AND tablename <> 'alembic_version'"
                )
            )
        ).scalar()
        if tables:
            await conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    # Identities restart, so what this process cached by id (parsed specs and compiled rules
    # of product versions, which never change in one database) is forgotten too: a version
    # created by one test must not price another test's version of the same id.
    clear_compiled_cache()
    clear_spec_cache()


@pytest.fixture
async def uow(engine: AsyncEngine, clean_db: None) -> AsyncIterator[SqlUnitOfWork]:
    u = SqlUnitOfWork(session_factory(engine))
    yield u
    await u.close()


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    s = Settings.from_env(
        {
            "DATABASE_URL": database_url,
            "PRESSROOM_DATA_DIR": str(tmp_path),
            "PRESSROOM_JWT_SECRET": "test-secret-" + "x" * 40,
            "PRESSROOM_ENV": "development",
            # Tests run jobs themselves (app.state.jobs.run_until_idle) or switch this on.
            "PRESSROOM_EMBEDDED_WORKER": "false",
            # Tests of the rate limits switch them on with their own limits.
            "PRESSROOM_RATE_LIMITS": "off",
        }
    )
    return s


@pytest.fixture
async def app(settings: Settings, clean_db: None):  # type: ignore[no-untyped-def]
    from server.app import create_app

    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def client(app) -> AsyncIterator[httpx.AsyncClient]:  # type: ignore[no-untyped-def]
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        yield c
