"""Run Alembic programmatically against a URL (the CLI, the tests and `make run` use this)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

ROOT = Path(__file__).resolve().parent.parent


def alembic_config(url: str) -> Config:
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    cfg.attributes["url"] = url
    return cfg


def upgrade(url: str, revision: str = "head") -> list[str]:
    """Applies the migrations up to ``revision``; returns the revisions applied, in order
    ("revision: message"), empty when the database was already there."""
    cfg = alembic_config(url)
    command.upgrade(cfg, revision)
    applied = [r for r in cfg.attributes.get("applied", []) if r]
    script = ScriptDirectory.from_config(cfg)
    described = []
    for rev in applied:
        found = script.get_revision(rev)
        described.append(f"{rev}: {found.doc}" if found is not None else rev)
    return described


def unapplied(url: str) -> list[str]:
    """The migrations the database at `url` still lacks ("revision: message", oldest first),
    empty when it is at the head. Reads `alembic_version` only; changes nothing."""
    from adapters.db import create_engine

    async def current_heads() -> tuple[str, ...]:
        engine = create_engine(url, pool_size=1)
        try:
            async with engine.connect() as connection:
                return await connection.run_sync(
                    lambda sync: MigrationContext.configure(sync).get_current_heads()
                )
        finally:
            await engine.dispose()

    current = asyncio.run(current_heads())
    script = ScriptDirectory.from_config(alembic_config(url))
    pending = script.iterate_revisions("heads", current or "base")
    return [f"{rev.revision}: {rev.doc}" for rev in reversed(list(pending))]


def downgrade(url: str, revision: str = "base") -> None:
    command.downgrade(alembic_config(url), revision)


def check(url: str) -> None:
    """Raise if the models and the migrations disagree (``alembic check``)."""
    command.check(alembic_config(url))
