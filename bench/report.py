"""What a benchmark run records: the machine, the commit, a table, and a section appended to
bench/RESULTS.md."""

from __future__ import annotations

import datetime as dt
import os
import platform
import shlex
import sys
from collections.abc import Sequence
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "RESULTS.md"


def git_commit() -> str:
    """`git rev-parse --short HEAD`, read from .git directly (no git process)."""
    git = ROOT / ".git"
    try:
        if git.is_file():  # a worktree: `.git` names its folder, refs live in the common one
            git = Path(git.read_text().split("gitdir:", 1)[1].strip())
            head = (git / "HEAD").read_text().strip()
            common = git / "commondir"
            if common.exists():
                git = (git / common.read_text().strip()).resolve()
        else:
            head = (git / "HEAD").read_text().strip()
        if not head.startswith("ref: "):
            return head[:7]
        ref = head[5:]
        ref_file = git / ref
        if ref_file.exists():
            return ref_file.read_text().strip()[:7]
        packed = git / "packed-refs"
        if packed.exists():
            for line in packed.read_text().splitlines():
                if line.endswith(" " + ref):
                    return line.split()[0][:7]
    except OSError:
        pass
    return "unknown"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine() -> str:
    ram = psutil.virtual_memory().total / 1024**3
    return (
        f"{os.cpu_count()} x {cpu_model()}, {ram:.1f} GiB RAM, Python {platform.python_version()}"
    )


def load_average() -> str:
    return "/".join(f"{x:.2f}" for x in os.getloadavg())


def command_line() -> str:
    return " ".join(shlex.quote(a) for a in [Path(sys.executable).name, *sys.argv])


def now_utc() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A Markdown table (also readable on a terminal: columns padded)."""
    cells = [[str(h) for h in headers]] + [[_fmt(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = []
    for n, r in enumerate(cells):
        lines.append("| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |")
        if n == 0:
            lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def _fmt(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.0f}" if value >= 100 else f"{value:.2f}" if value < 10 else f"{value:.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def header(title: str, notes: Sequence[str] = ()) -> str:
    lines = [
        f"## {now_utc()}: {title}",
        "",
        f"- commit `{git_commit()}`; machine: {machine()}",
        f"- command: `{command_line()}`",
        f"- load average at start (1/5/15 min): {load_average()}",
        *(f"- {n}" for n in notes),
    ]
    return "\n".join(lines)


def append(section: str) -> None:
    if not RESULTS.exists():
        RESULTS.write_text(
            "# Benchmark results\n\nEach run appends a section (newest last). "
            "How to run: bench/README.md. The machine has 2 cores shared with the load generator, "
            "PostgreSQL and, often, other engineers' test suites: compare runs by their load "
            "average and server CPU per request, not by requests/s alone.\n"
        )
    with RESULTS.open("a") as f:
        f.write("\n" + section.rstrip() + "\n")


def verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("met" if ok else "**missed**")
