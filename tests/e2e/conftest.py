"""The demo shop every storefront browser test starts from."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest


@pytest.fixture
async def demo_data(engine, clean_db) -> AsyncIterator[None]:  # type: ignore[no-untyped-def]
    from adapters.db import SqlUnitOfWork, session_factory
    from server.demo import seed_demo

    uow = SqlUnitOfWork(session_factory(engine))
    try:
        await seed_demo(uow)
    finally:
        await uow.close()
    yield
