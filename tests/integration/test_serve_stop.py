"""`pressroom serve` on SIGTERM: a graceful stop that also stops the embedded PostgreSQL it
started (uvicorn re-raises SIGTERM after shutting down, which used to kill the process before
its exit handlers ran and left the database server running). And on a database that lacks
migrations it refuses to start, saying what to run (it used to serve and fail every request)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from adapters.embedded_db import process_alive
from tests.live_server import free_port

ROOT = Path(__file__).resolve().parents[2]


def _postmaster_pid(data_dir: Path) -> int:
    return int((data_dir / "pg" / "postmaster.pid").read_text().split()[0])


def _cli(*args: str, data_dir: Path) -> list[str]:
    return [sys.executable, "-m", "server.cli", *args, "--data-dir", str(data_dir)]


def test_sigterm_stops_the_server_and_its_embedded_database(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "PRESSROOM_"))}
    env["PRESSROOM_EMBEDDED_WORKER"] = "false"
    subprocess.run(_cli("migrate", data_dir=tmp_path), env=env, cwd=ROOT, check=True, timeout=180)
    port = free_port()
    served = subprocess.Popen(
        _cli("serve", "--port", str(port), data_dir=tmp_path),
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert served.poll() is None, "serve exited before answering /healthz"
            assert time.monotonic() < deadline, "serve did not answer /healthz in 120 s"
            time.sleep(0.5)
        postmaster = _postmaster_pid(tmp_path)
        assert process_alive(postmaster)
        served.send_signal(signal.SIGTERM)
        assert served.wait(timeout=60) == 0
        deadline = time.monotonic() + 30
        while process_alive(postmaster) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not process_alive(postmaster), "the embedded PostgreSQL outlived `serve`"
    finally:
        if served.poll() is None:
            served.kill()
            served.wait()


def test_serve_refuses_a_database_without_its_migrations(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "PRESSROOM_"))}
    env["PRESSROOM_EMBEDDED_WORKER"] = "false"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            _cli(*args, data_dir=tmp_path),
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=180,
        )

    checked = run("migrate", "--check")
    assert checked.returncode == 3, checked.stderr
    assert "not applied 011d1a1d6e37: accounts" in checked.stdout
    served = run("serve", "--port", str(free_port()))
    assert served.returncode == 1
    assert "run `pressroom migrate` before `pressroom serve`" in served.stderr
    assert "Pressroom on http" not in served.stdout
    # The embedded PostgreSQL it started stopped with it (the file goes with a clean stop).
    assert not (tmp_path / "pg" / "postmaster.pid").exists()
    assert run("migrate").returncode == 0
    checked = run("migrate", "--check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "the database is up to date" in checked.stdout
