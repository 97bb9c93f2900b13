"""Migrations and models agree, every migration can be undone and redone, and `unapplied`
(`pressroom migrate --check`, the check of `pressroom serve`) lists what a database lacks."""

from __future__ import annotations

from adapters.embedded_db import ensure_database
from adapters.migrations import check, downgrade, unapplied, upgrade


def test_alembic_check_and_round_trip(database_url: str) -> None:
    base, _, _ = database_url.partition("?")
    base = base.rsplit("/", 1)[0]
    query = database_url.partition("?")[2]
    admin = f"{base}/postgres" + (f"?{query}" if query else "")
    ensure_database(admin, "pressroom_roundtrip", drop_first=True)
    url = f"{base}/pressroom_roundtrip" + (f"?{query}" if query else "")
    upgrade(url)
    check(url)  # raises if the models hold changes no migration has
    assert unapplied(url) == []
    downgrade(url, "base")
    everything = unapplied(url)
    assert len(everything) >= 18
    assert everything[0].startswith("011d1a1d6e37: accounts")  # the first, oldest first
    upgrade(url, everything[5].split(":")[0])
    assert unapplied(url) == everything[6:]
    upgrade(url)
    assert unapplied(url) == []
    check(url)
