"""Server CPU per request without a network or load generator: the ASGI app called in-process,
one request at a time, with an optional cProfile of each case. For finding where a request's
time goes between full `make bench` runs (it does not replace them: no uvicorn, no concurrency).

    .venv/bin/python bench/inprocess.py [--data-dir /tmp/pressroom-inprocess] [--requests 500]
                                        [--cases catalog,quote,order,me] [--profile] [--top 30]

The embedded PostgreSQL in `--data-dir` is created, migrated and seeded (demo + generated
catalog) on the first run and kept for the next ones, so a run after a code change takes seconds.
Prints per case: requests, mean and p50/p99 wall µs per request, CPU µs per request (the
process's own CPU: the database's work is not in it) and SQL statements per request.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import orjson  # noqa: E402
from sqlalchemy import event  # noqa: E402

from bench import documents as docs  # noqa: E402
from bench.catalog import bench_logins  # noqa: E402
from bench.loadgen import percentile  # noqa: E402

BENCH_DB = "pressroom_inprocess"


def database(data_dir: Path, products: int) -> str:
    from adapters.embedded_db import start_embedded
    from adapters.migrations import upgrade
    from bench.catalog import seed

    fresh = not (data_dir / "pg").exists()
    url = start_embedded(data_dir, database=BENCH_DB, cleanup="stop")
    if fresh or not (data_dir / "seeded").exists():
        upgrade(url)
        asyncio.run(seed(url, products))
        (data_dir / "seeded").write_text("ok")
    return url


class Asgi:
    """Calls the app with a POST /graphql and collects the response."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def post(self, body: dict[str, Any], token: str | None = None) -> tuple[int, bytes]:
        payload = orjson.dumps(body)
        headers = [(b"content-type", b"application/json"), (b"host", b"bench")]
        if token:
            headers.append((b"authorization", f"Bearer {token}".encode()))
        headers.append((b"content-length", str(len(payload)).encode()))
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "POST",
            "scheme": "http",
            "path": "/graphql",
            "raw_path": b"/graphql",
            "query_string": b"",
            "root_path": "",
            "headers": headers,
            "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 8000),
        }
        sent = False
        status = 0
        chunks: list[bytes] = []

        async def receive() -> dict[str, Any]:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": payload, "more_body": False}
            await asyncio.sleep(3600)
            return {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, send)
        return status, b"".join(chunks)

    async def data(self, body: dict[str, Any], token: str | None = None) -> dict[str, Any]:
        status, raw = await self.post(body, token)
        out = orjson.loads(raw)
        if status != 200 or out.get("errors"):
            raise RuntimeError(f"{status}: {out}")
        return out["data"]  # type: ignore[no-any-return]


async def run(args: argparse.Namespace) -> None:
    from server.app import create_app
    from server.settings import Settings

    url = args.url
    settings = Settings.from_env(
        {
            "DATABASE_URL": url,
            "PRESSROOM_DATA_DIR": args.data_dir,
            "PRESSROOM_ENV": "production",
            "PRESSROOM_JWT_SECRET": "inprocess-" + "x" * 40,
            "PRESSROOM_EMBEDDED_WORKER": "false",
        }
    )
    app = create_app(settings, tune_gc=True)
    client = Asgi(app)
    async with app.router.lifespan_context(app):
        statements = [0]
        event.listen(
            app.state.engine.sync_engine,
            "before_cursor_execute",
            lambda *a: statements.__setitem__(0, statements[0] + 1),
        )
        login = bench_logins()["bench-markup"][0]
        token = (
            await client.data(
                {
                    "query": "mutation($l: String!, $p: String!) { tokenCreate(input: "
                    "{login: $l, password: $p}) { accessToken errors { code } } }",
                    "variables": {"l": login, "p": "demo-pass-123"},
                }
            )
        )["tokenCreate"]["accessToken"]
        leaflet = (await client.data(docs.body(docs.PRODUCT_ID, {"code": "leaflet"}), token))[
            "product"
        ]["id"]
        orders = await client.data(docs.body("{ orders(first: 1) { nodes { id } } }"), token)
        order_nodes = orders["orders"]["nodes"]
        cases: dict[str, list[dict[str, Any]]] = {
            "catalog": [docs.body(docs.CATALOG_PAGE, {"channel": "main"})],
            "quote": docs.price_quote_bodies(leaflet),
            "me": [docs.body(docs.ME)],
            "typename": [docs.body("query T { __typename }")],
        }
        if order_nodes:
            cases["order"] = [docs.body(docs.ORDER_DETAIL, {"id": order_nodes[0]["id"]})]
        if "part" in args.cases.split(","):
            cases["part"] = docs.part_quote_bodies(await _dxf_part(app, token))
        wanted = [c for c in args.cases.split(",") if c in cases]
        print(f"{'case':<10} {'reqs':>6} {'mean µs':>9} {'p50 µs':>8} {'p99 µs':>8} "
              f"{'CPU µs':>8} {'SQL/req':>8}")  # fmt: skip
        for name in wanted:
            bodies = cases[name]
            for b in bodies[:20]:  # warm-up, and prove the case answers
                await client.data(b, token)
            n = args.requests
            profiler = cProfile.Profile() if args.profile else None
            times: list[float] = []
            statements[0] = 0
            cpu0 = time.process_time()
            if profiler:
                profiler.enable()
            for i in range(n):
                t0 = time.perf_counter()
                status, _ = await client.post(bodies[i % len(bodies)], token)
                times.append((time.perf_counter() - t0) * 1e6)
                if status != 200:
                    raise RuntimeError(f"{name}: HTTP {status}")
            if profiler:
                profiler.disable()
            cpu = (time.process_time() - cpu0) * 1e6 / n
            pool = app.state.engine.pool
            if pool.checkedout():
                print(f"  {name}: {pool.checkedout()} connections still checked out")
            times.sort()
            print(
                f"{name:<10} {n:>6} {sum(times) / n:>9.0f} {percentile(times, 0.5):>8.0f} "
                f"{percentile(times, 0.99):>8.0f} {cpu:>8.0f} {statements[0] / n:>8.1f}"
            )
            if profiler:
                stats = pstats.Stats(profiler).sort_stats(args.sort)
                stats.print_stats(args.top)


async def _dxf_part(app: Any, token: str) -> str:
    """The customer's uploaded DXF part of `bench/run.py`'s partQuote case (made once)."""
    import json

    import httpx

    from bench.laser_geometry import busy_part

    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://bench"
    ) as client:
        found = await client.post(
            "/graphql",
            json={"query": '{ parts(first: 1, search: "Bench plate") { nodes { id } } }'},
            headers={"authorization": f"Bearer {token}"},
        )
        nodes = found.json()["data"]["parts"]["nodes"]
        if nodes:
            return str(nodes[0]["id"])
        variables = {"i": {"name": "Bench plate", "material": "S235", "thicknessMm": "2",
                           "quantity": 10, "file": None}}  # fmt: skip
        r = await client.post(
            "/graphql",
            data={
                "operations": json.dumps(
                    {"query": docs.PART_CREATE_FROM_DXF, "variables": variables}
                ),
                "map": json.dumps({"0": ["variables.i.file"]}),
            },
            files={"0": ("plate.dxf", busy_part(), "application/octet-stream")},
            headers={"authorization": f"Bearer {token}", "Apollo-Require-Preflight": "true"},
        )
        return str(r.json()["data"]["partCreateFromDxf"]["part"]["id"])


def _use_uvloop() -> None:
    """The served process's loop (uvicorn picks uvloop when installed)."""
    try:
        import uvloop
    except ImportError:
        return
    asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", default="/tmp/pressroom-inprocess")
    parser.add_argument("--products", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--cases", default="catalog,quote,order,me")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--sort", default="tottime", help="cProfile sort key")
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args()
    args.url = database(Path(args.data_dir), args.products)  # before the loop: it runs its own
    _use_uvloop()
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
