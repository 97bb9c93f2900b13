"""Alembic environment: async engine, target metadata from the domain models."""

from __future__ import annotations

import asyncio
import os

from alembic import context
from sqlalchemy.engine import Connection

from adapters.db import create_engine
from domain.all_models import Base

config = context.config
target_metadata = Base.metadata


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """The job queue's tables belong to procrastinate (created by a migration from its own SQL
    files), not to our models: autogenerate and `alembic check` leave them alone."""
    return not (reflected and compare_to is None and (name or "").startswith("procrastinate_"))


def _url() -> str:
    url = config.attributes.get("url") or os.environ.get("DATABASE_URL")
    if not url:
        raise RuntimeError("no database URL: run migrations through `pressroom migrate`")
    return str(url)


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def _applied(*, ctx: object, step: object, heads: object, run_args: object) -> None:
    # Collected for `pressroom migrate` to say what it did (adapters/migrations.py).
    config.attributes.setdefault("applied", []).append(getattr(step, "up_revision_id", None))


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        compare_type=True,
        include_object=include_object,
        on_version_apply=_applied,
    )
    with context.begin_transaction():
        context.run_migrations()


async def run_async_migrations() -> None:
    engine = create_engine(_url(), pool_size=1)
    async with engine.connect() as connection:
        await connection.run_sync(_run)
    await engine.dispose()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    asyncio.run(run_async_migrations())


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
