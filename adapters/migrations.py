"""Run Alembic programmatically against a URL (the CLI, the tests and `make run` use this)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
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


def downgrade(url: str, revision: str = "base") -> None:
    command.downgrade(alembic_config(url), revision)


def check(url: str) -> None:
    """Raise if the models and the migrations disagree (``alembic check``)."""
    command.check(alembic_config(url))
