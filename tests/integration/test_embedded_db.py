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
