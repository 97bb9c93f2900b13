"""The command line says what it did: `pressroom migrate` lists the migrations it applied, and
the live demo without a running server says so instead of a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from adapters.embedded_db import ensure_database
from server.cli import app
from tests.live_server import ROOT, free_port


def test_migrate_prints_the_migrations_it_applied(database_url: str, tmp_path: Path) -> None:
    base, _, query = database_url.partition("?")
    base = base.rsplit("/", 1)[0]
    suffix = f"?{query}" if query else ""
    ensure_database(f"{base}/postgres{suffix}", "pressroom_cli_migrate", drop_first=True)
    env = {"DATABASE_URL": f"{base}/pressroom_cli_migrate{suffix}"}
    runner = CliRunner()
    first = runner.invoke(app, ["migrate", "--data-dir", str(tmp_path)], env=env)
    assert first.exit_code == 0, first.output
    applied = [line for line in first.output.splitlines() if line.startswith("applied ")]
    assert len(applied) > 5
    assert "b7c1e5a2d9f0: read cache invalidation" in first.output
    assert "migration(s) applied; the database is up to date" in first.output
    again = runner.invoke(app, ["migrate", "--data-dir", str(tmp_path)], env=env)
    assert again.exit_code == 0, again.output
    assert again.output.strip() == "nothing to apply: the database was already up to date"


def test_demo_flow_without_a_server_says_how_to_start_one() -> None:
    url = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    done = subprocess.run(
        [sys.executable, "-m", "server.demo_flow", "--url", url],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    assert f"No Pressroom server answers at {url}" in done.stderr
    assert "make run" in done.stderr
