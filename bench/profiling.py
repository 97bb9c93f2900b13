"""py-spy on a running server: a flame graph and collapsed stacks in bench/profiles/, and a
summary of the hottest functions (self and inclusive sample shares)."""

from __future__ import annotations

import contextlib
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from bench.stack import Server

ROOT = Path(__file__).resolve().parents[1]
PROFILES = ROOT / "bench" / "profiles"


@contextlib.contextmanager
def py_spy(server: Server, title: str, *, rate: int = 200) -> Iterator[None]:
    """Samples the server's first worker while the block runs; writes collapsed stacks
    (`bench/profiles/<title>.txt`, readable by speedscope or flamegraph.pl) and a summary
    (`.summary.txt`), and prints the summary."""
    exe = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not Path(exe).exists():
        print("  (no py-spy: `.venv/bin/pip install py-spy` to profile)")
        yield
        return
    PROFILES.mkdir(exist_ok=True)
    slug = "".join(c if c.isalnum() else "-" for c in title.lower()).strip("-")[:48]
    out = PROFILES / f"{slug}.txt"
    cmd = [exe, "record", "--pid", str(server.pids()[0]), "--rate", str(rate), "--nonblocking",
           "--format", "raw", "-o", str(out)]  # fmt: skip
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield
    finally:
        proc.send_signal(signal.SIGINT)  # py-spy writes its output and exits
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(60)
        if out.exists():
            summary = hot_functions(out)
            out.with_suffix(".summary.txt").write_text(summary + "\n")
            print(f"  profile: {out.relative_to(ROOT)}")
            print(summary)


def hot_functions(collapsed: Path, top: int = 15) -> str:
    """Self and inclusive sample shares per function from py-spy's collapsed stacks."""
    self_n: dict[str, int] = {}
    incl: dict[str, int] = {}
    total = 0
    for line in collapsed.read_text().splitlines():
        stack, _, n = line.rpartition(" ")
        if not n.isdigit():
            continue
        count = int(n)
        total += count
        frames = [_short(f) for f in stack.split(";") if f]
        if frames:
            self_n[frames[-1]] = self_n.get(frames[-1], 0) + count
        for f in set(frames):
            incl[f] = incl.get(f, 0) + count
    if not total:
        return "  (no samples)"
    lines = [f"  {total} samples; self time:"]
    for f, samples in sorted(self_n.items(), key=lambda kv: -kv[1])[:top]:
        lines.append(f"    {100 * samples / total:5.1f}%  {f}")
    lines.append("  inclusive (project code and key libraries):")
    keys = (
        "pressroom",
        "(domain/",
        "(resolvers/",
        "(schema/",
        "(server/",
        "(adapters/",
        "strawberry",
        "graphql/",
        "sqlalchemy",
        "asyncpg",
        "jwt",
        "uvicorn",
    )
    shown = 0
    for f, samples in sorted(incl.items(), key=lambda kv: -kv[1]):
        if any(k in f for k in keys) and shown < top * 2:
            lines.append(f"    {100 * samples / total:5.1f}%  {f}")
            shown += 1
    return "\n".join(lines)


def _short(frame: str) -> str:
    # "function (path/to/file.py:123)" -> "function (file.py)" with the package directory.
    name, _, where = frame.partition(" (")
    where = where.rstrip(")")
    path = where.rsplit(":", 1)[0]
    parts = Path(path).parts
    for anchor in ("site-packages", "main"):
        if anchor in parts:
            parts = parts[parts.index(anchor) + 1 :]
            break
    return f"{name} ({'/'.join(parts[-3:])})"
