"""Load generators: wrk with bench/wrk/graphql.lua, or (when wrk is missing and cannot be
installed) a Python one on httpx, which is much weaker and says so in every result."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx

LUA = Path(__file__).resolve().parent / "wrk" / "graphql.lua"


@dataclass
class LoadResult:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int
    generator: str

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def ensure_wrk(log=print) -> str | None:  # type: ignore[no-untyped-def]
    """The wrk binary; installs Debian's package when running as root; None if unavailable."""
    found = shutil.which("wrk")
    if found:
        return found
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        log("wrk is missing: apt-get install -y wrk")
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        subprocess.run(["apt-get", "update"], check=False, **quiet)  # type: ignore[call-overload]
        subprocess.run(["apt-get", "install", "-y", "wrk"], check=False, **quiet)  # type: ignore[call-overload]
        return shutil.which("wrk")
    return None


def write_bodies(bodies: Sequence[dict[str, object]]) -> Path:
    fd, name = tempfile.mkstemp(prefix="pressroom-bench-", suffix=".jsonl")
    with os.fdopen(fd, "w") as f:
        for b in bodies:
            f.write(json.dumps(b, separators=(",", ":")) + "\n")
    return Path(name)


def run_wrk(
    wrk: str,
    url: str,
    bodies: Path,
    token: str | None,
    *,
    connections: int,
    seconds: float,
    threads: int = 2,
) -> LoadResult:
    threads = max(1, min(threads, connections))
    fd, out = tempfile.mkstemp(prefix="pressroom-wrk-", suffix=".json")
    os.close(fd)
    env = {**os.environ, "BENCH_BODIES": str(bodies), "BENCH_TOKEN": token or "", "BENCH_OUT": out}
    cmd = [
        wrk,
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "10s",
        "-s",
        str(LUA),
        url,
    ]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=seconds + 60)
    try:
        summary = json.loads(Path(out).read_text() or "null")
    finally:
        with contextlib.suppress(OSError):
            os.unlink(out)
    if proc.returncode != 0 or summary is None:
        raise RuntimeError(f"wrk failed ({proc.returncode}): {proc.stderr or proc.stdout}")
    e = summary["errors"]
    lat = summary["latency_us"]
    return LoadResult(
        requests=int(summary["requests"]),
        seconds=summary["duration_us"] / 1e6,
        p50_ms=lat["p50"] / 1000,
        p99_ms=lat["p99"] / 1000,
        errors=int(e["connect"] + e["read"] + e["write"] + e["status"] + e["timeout"]),
        generator="wrk",
    )


def run_python(
    url: str, bodies: Path, token: str | None, *, connections: int, seconds: float
) -> LoadResult:
    """A closed-loop generator on httpx: `connections` coroutines, one request each at a time."""
    lines = [ln for ln in bodies.read_text().splitlines() if ln]
    headers = {"content-type": "application/json", "accept": "application/json"}
    if token:
        headers["authorization"] = f"Bearer {token}"

    async def main() -> LoadResult:
        latencies: list[float] = []
        errors = 0
        limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
        async with httpx.AsyncClient(limits=limits, timeout=10) as client:
            deadline = time.perf_counter() + seconds

            async def worker(n: int) -> None:
                nonlocal errors
                i = n * 7919
                while time.perf_counter() < deadline:
                    body = lines[i % len(lines)]
                    i += 1
                    t0 = time.perf_counter()
                    try:
                        r = await client.post(url, content=body, headers=headers)
                        if r.status_code >= 400:
                            errors += 1
                    except httpx.HTTPError:
                        errors += 1
                    latencies.append(time.perf_counter() - t0)

            start = time.perf_counter()
            await asyncio.gather(*(worker(n) for n in range(connections)))
            elapsed = time.perf_counter() - start
        latencies.sort()
        return LoadResult(
            requests=len(latencies),
            seconds=elapsed,
            p50_ms=percentile(latencies, 0.50) * 1000,
            p99_ms=percentile(latencies, 0.99) * 1000,
            errors=errors,
            generator="python-httpx (fallback: wrk unavailable; the client limits the rate)",
        )

    return asyncio.run(main())


def percentile(sorted_values: Sequence[float], fraction: float) -> float:
    if not sorted_values:
        return float("nan")
    return sorted_values[min(len(sorted_values) - 1, int(len(sorted_values) * fraction))]


class Generator:
    """wrk when available, else the Python fallback."""

    def __init__(self, *, force_python: bool = False, log=print) -> None:  # type: ignore[no-untyped-def]
        self.wrk = None if force_python else ensure_wrk(log)
        if self.wrk is None:
            why = "--python-load" if force_python else "wrk not available"
            log(f"load generator: Python/httpx FALLBACK ({why}): it saturates before the server")

    @property
    def name(self) -> str:
        if self.wrk is None:
            return "python-httpx fallback"
        version = subprocess.run([self.wrk, "-v"], capture_output=True, text=True).stdout
        return (version.split("\n")[0].split(" [")[0] or "wrk").strip()

    def run(
        self, url: str, bodies: Path, token: str | None, *, connections: int, seconds: float
    ) -> LoadResult:
        if self.wrk is not None:
            return run_wrk(self.wrk, url, bodies, token, connections=connections, seconds=seconds)
        return run_python(url, bodies, token, connections=connections, seconds=seconds)
