"""Real server processes (uvicorn) on loopback, for tests that need several processes or a
real websocket stack."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def live_server(
    database_url: str,
    data_dir: Path,
    *,
    secret: str,
    extra_env: dict[str, str] | None = None,
    log_path: Path | None = None,
    workers: int = 1,
) -> Iterator[str]:
    """Start `uvicorn server.asgi:app_factory` and yield its base URL; stop it afterwards.
    `log_path`: the server's output (stdout and stderr) goes to that file."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "PRESSROOM_DATA_DIR": str(data_dir),
        "PRESSROOM_JWT_SECRET": secret,
        "PRESSROOM_EMBEDDED_WORKER": "false",
        "PRESSROOM_RATE_LIMITS": "off",
        "PRESSROOM_WEBHOOKS_ENABLED": "false",
        **(extra_env or {}),
    }
    log = open(log_path, "wb") if log_path is not None else None
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "server.asgi:app_factory",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            *(["--workers", str(workers)] if workers > 1 else []),
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT if log is not None else None,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"server exited with {proc.returncode}")
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError("server did not start")
            time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if log is not None:
            log.close()
