"""Hostile input against a production-mode server (issue 11): every class of bad request the
edge refuses, fired by several clients at once while a second client asks /healthz every
50 ms. Prints the worst /healthz latency (target < 100 ms), the worker's peak RSS (target
< 300 MiB), the server log bytes written per bad request (target < 1 KB), and every answer
that was a 5xx or INTERNAL_SERVER_ERROR (target: none).

    .venv/bin/python -m bench.hostile [--rounds 20] [--concurrency 8] [--log-level info]

Starts its own embedded PostgreSQL and `pressroom serve` (1 worker) on loopback and stops both.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import statistics
import sys
import threading
import time
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from bench.stack import (
    MIB,
    RssSampler,
    api_server,
    exit_cleanly_on_sigterm,
    fresh_database,
    login,
    new_secret,
)

JSON = {"content-type": "application/json", "accept": "application/graphql-response+json"}


@dataclass
class Attack:
    name: str
    send: Callable[[httpx.AsyncClient, str], Any]  # (client, token) -> awaitable response


def _post(body: bytes, headers: dict[str, str] | None = None) -> Callable[..., Any]:
    def send(client: httpx.AsyncClient, token: str) -> Any:
        return client.post("/graphql", content=body, headers={**JSON, **(headers or {})})

    return send


def _gql(query: str, variables: dict[str, Any] | None = None, auth: bool = False) -> Any:
    body = json.dumps({"query": query, "variables": variables or {}}).encode()

    def send(client: httpx.AsyncClient, token: str) -> Any:
        headers = {**JSON, **({"authorization": f"Bearer {token}"} if auth else {})}
        return client.post("/graphql", content=body, headers=headers)

    return send


def fragment_bomb(levels: int) -> str:
    frags = [f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(levels)]
    return "{ ...F0 } " + " ".join([*frags, f"fragment F{levels} on Query {{ __typename }}"])


def xlsx_bomb() -> bytes:
    """A sheet whose one cell is 40 million characters: small packed, 40 MB unpacked."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Name", "Material", "Thickness", "Quantity", "File"])
    sheet.append(["PLACEHOLDER", "S235", "2", "1", "a.dxf"])
    raw = io.BytesIO()
    book.save(raw)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(raw.getvalue())) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            data = src.read(info).replace(b"PLACEHOLDER", b"x" * 40_000_000)
            dst.writestr(info.filename, data)
    return out.getvalue()


def upload(sheet: bytes) -> Callable[..., Any]:
    query = """mutation ($i: PartImportPreviewInput!) { partImportPreview(input: $i) {
        errors { code message } } }"""
    operations = json.dumps({"query": query, "variables": {"i": {"sheet": None, "archive": None}}})
    mapping = json.dumps({"0": ["variables.i.sheet"], "1": ["variables.i.archive"]})
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("a.dxf", b"0\nEOF\n")

    def send(client: httpx.AsyncClient, token: str) -> Any:
        return client.post(
            "/graphql",
            data={"operations": operations, "map": mapping},
            files={
                "0": ("bomb.xlsx", sheet, "application/octet-stream"),
                "1": ("a.zip", archive.getvalue(), "application/zip"),
            },
            headers={"graphql-preflight": "1", "authorization": f"Bearer {token}"},
        )

    return send


def attacks() -> list[Attack]:
    login_q = "mutation ($i: TokenCreateInput!) { tokenCreate(input: $i) { errors { code } } }"
    quote = """query ($t: Decimal) { partQuote(input: {template: "rectangle",
        parameters: {widthMm: 100, heightMm: 50}, material: "S235", thicknessMm: $t}) {
        __typename } }"""
    deep = b"[" * 300_000 + b"]" * 300_000
    return [
        Attack("1 fragments x2 40 levels", _gql(fragment_bomb(40))),
        Attack("1 same-named fields x1000", _gql("{ " + "me { __typename } " * 1000 + "}")),
        Attack("2 body 42", _post(b"42")),
        Attack("2 body null", _post(b"null")),
        Attack("2 invalid UTF-8", _post(b'{"query": "\xff\xfe"}')),
        Attack("2 JSON 300k levels deep", _post(deep)),
        Attack("3 NUL in login", _gql(login_q, {"i": {"login": "a\x00b", "password": "x"}})),
        Attack(
            "3 lone surrogate in login",
            _post(
                b'{"query": "' + login_q.encode() + b'", "variables": {"i": '
                b'{"login": "\\ud800", "password": "x"}}}'
            ),
        ),
        Attack("4 Decimal NaN", _gql(quote, {"t": "NaN"})),
        Attack("4 Decimal 1e9999999", _gql(quote, {"t": "1e9999999"})),
        Attack("5 JSON body 30 MB", _post(b" " * (30 * MIB) + b"{}")),
        Attack("6 XLSX 40 MB cell", upload(xlsx_bomb())),
        Attack("7 validation error (typo)", _gql("{ companies { totalCont } }")),
        Attack("8 malformed global ID", _gql('{ node(id: "UHJvZHVjdDox%3D") { id } }')),
    ]


def probe_health(base: str, stop: threading.Event, latencies: list[float]) -> None:
    """The second client: its own thread and connection, so that the attackers' work in this
    process does not count as the server's latency."""
    with httpx.Client(base_url=base, timeout=30) as client:
        while not stop.is_set():
            t0 = time.perf_counter()
            resp = client.get("/healthz")
            latencies.append((time.perf_counter() - t0) * 1000)
            if resp.status_code != 200:
                latencies[-1] = float("inf")
            stop.wait(0.05)


async def attack(
    base: str, token: str, plan: list[Attack], rounds: int, concurrency: int
) -> tuple[int, Counter[str], list[str], dict[str, float]]:
    statuses: Counter[str] = Counter()
    failures: list[str] = []
    slowest: dict[str, float] = {}
    queue: asyncio.Queue[Attack] = asyncio.Queue()
    for _ in range(rounds):
        for a in plan:
            queue.put_nowait(a)
    sent = queue.qsize()

    async def worker() -> None:
        async with httpx.AsyncClient(base_url=base, timeout=120) as client:
            while not queue.empty():
                a = queue.get_nowait()
                t0 = time.perf_counter()
                try:
                    resp = await a.send(client, token)
                except httpx.HTTPError as exc:
                    failures.append(f"{a.name}: {exc.__class__.__name__}")
                    continue
                slowest[a.name] = max(slowest.get(a.name, 0), time.perf_counter() - t0)
                statuses[f"{a.name}: {resp.status_code}"] += 1
                if resp.status_code >= 500 or b"INTERNAL_SERVER_ERROR" in resp.content:
                    failures.append(f"{a.name}: {resp.status_code} {resp.text[:200]}")

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return sent, statuses, failures, slowest


async def run(
    base: str, token: str, log_path: Any, rounds: int, concurrency: int, only: str = ""
) -> dict[str, Any]:
    plan = [a for a in attacks() if only in a.name]
    # One round first, not measured: first-use costs (imports, the first validation of each
    # kind) are paid once per process, not per bad request.
    await attack(base, token, plan, 1, 1)
    log_before = log_path.stat().st_size
    stop = threading.Event()
    latencies: list[float] = []
    prober = threading.Thread(target=probe_health, args=(base, stop, latencies), daemon=True)
    prober.start()
    await asyncio.sleep(0.5)  # a baseline
    t0 = time.perf_counter()
    sent, statuses, failures, slowest = await attack(base, token, plan, rounds, concurrency)
    elapsed = time.perf_counter() - t0
    await asyncio.sleep(0.5)
    stop.set()
    prober.join()
    log_bytes = log_path.stat().st_size - log_before
    return {
        "sent": sent,
        "elapsed": elapsed,
        "statuses": statuses,
        "failures": failures,
        "slowest": slowest,
        "health": latencies,
        "log_bytes": log_bytes,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--log-level", default="info")
    parser.add_argument("--only", default="", help="run the classes whose name contains this")
    args = parser.parse_args()
    exit_cleanly_on_sigterm()
    with fresh_database(products=50) as db:
        secret = new_secret()
        with api_server(db, workers=1, secret=secret, log_level=args.log_level) as server:
            token = login(server.base, "acme")
            with RssSampler(server, interval=0.05) as rss:
                result = asyncio.run(
                    run(
                        server.base,
                        token,
                        server.log_path,
                        args.rounds,
                        args.concurrency,
                        args.only,
                    )
                )
            report(result, rss.peak_worker, args)
            if result["failures"]:
                sys.exit(1)


def report(r: dict[str, Any], peak_rss: int, args: argparse.Namespace) -> None:
    health = sorted(r["health"])
    worst = health[-1] if health else float("nan")
    p99 = health[int(len(health) * 0.99) - 1] if len(health) > 1 else worst
    print(
        f"\n{r['sent']} bad requests in {r['elapsed']:.1f} s ({args.concurrency} clients, "
        f"{args.rounds} rounds of {r['sent'] // args.rounds} classes), log level {args.log_level}"
    )
    print("\n| class | answers | slowest answer |\n|---|---|---|")
    by_class: dict[str, list[str]] = {}
    for key, n in sorted(r["statuses"].items()):
        name, _, status = key.rpartition(": ")
        by_class.setdefault(name, []).append(f"{n} x {status}")
    for name, answers in by_class.items():
        print(f"| {name} | {', '.join(answers)} | {r['slowest'][name] * 1000:,.0f} ms |")
    print()
    print(
        f"/healthz during the attack: {len(health)} probes, median "
        f"{statistics.median(health):.1f} ms, p99 {p99:.1f} ms, worst {worst:.1f} ms "
        f"(target < 100 ms: {'met' if worst < 100 else 'MISSED'})"
    )
    print(
        f"worker peak RSS: {peak_rss / MIB:.0f} MiB "
        f"(target < 300 MiB: {'met' if peak_rss < 300 * MIB else 'MISSED'})"
    )
    per = r["log_bytes"] / max(r["sent"], 1)
    print(
        f"server log: {r['log_bytes']:,} bytes, {per:,.0f} bytes per bad request "
        f"(target < 1 KB: {'met' if per < 1024 else 'MISSED'})"
    )
    print(f"5xx or INTERNAL_SERVER_ERROR answers: {len(r['failures'])}")
    for line in r["failures"][:20]:
        print("  " + line)


if __name__ == "__main__":
    main()
