"""The embedded server stops when asked, not a minute later at interpreter exit."""

from __future__ import annotations

from pathlib import Path

from adapters.embedded_db import process_alive, start_embedded, stop_embedded


def test_stop_embedded_stops_the_server_and_removes_its_files(tmp_path: Path) -> None:
    start_embedded(tmp_path, database="stop_check", cleanup="delete")
    assert (tmp_path / "pg").is_dir()
    pid = stop_embedded(tmp_path)
    assert pid is not None
    assert not process_alive(pid)
    assert not (tmp_path / "pg").exists()
    assert stop_embedded(tmp_path) is None  # nothing left to stop


def test_a_holder_killed_without_exit_handlers_does_not_keep_the_server_running(
    tmp_path: Path,
) -> None:
    import json
    import subprocess
    import sys

    start_embedded(tmp_path, database="stop_check")
    first = stop_embedded(tmp_path)
    assert first is not None and not process_alive(first)
    # A process that took a handle and was SIGKILLed: its pid stays in the holders' list.
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    (tmp_path / "pg" / ".handle_pids.json").write_text(json.dumps([int(gone.stdout)]))
    start_embedded(tmp_path, database="stop_check")
    pid = stop_embedded(tmp_path)
    assert pid is not None
    assert not process_alive(pid)
