"""Migrations and models agree, and every migration can be undone and redone."""

from __future__ import annotations

from adapters.embedded_db import ensure_database
from adapters.migrations import check, downgrade, upgrade


def test_alembic_check_and_round_trip(database_url: str) -> None:
    base, _, _ = database_url.partition("?")
    base = base.rsplit("/", 1)[0]
    query = database_url.partition("?")[2]
    admin = f"{base}/postgres" + (f"?{query}" if query else "")
    ensure_database(admin, "pressroom_roundtrip", drop_first=True)
    url = f"{base}/pressroom_roundtrip" + (f"?{query}" if query else "")
    upgrade(url)
    check(url)  # raises if the models hold changes no migration has
    downgrade(url, "base")
    upgrade(url)
    check(url)
