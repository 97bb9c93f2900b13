"""Micro-benchmark of the price engine on the demo leaflet (8 parameters, 7 quantity breaks).

    python bench/price_engine.py [-n 200000] [--seed 7]

Prints the compile time, evaluations per second and per-call latency percentiles
(``time.perf_counter_ns`` around each ``evaluate``), for varying configurations and quantities.
A second, smaller run clears the break-cap memo before every call: the cost of the first price
of a configuration (it evaluates every break quantity once).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from domain.pricing.context import PriceContext
from domain.pricing.demo_products import LEAFLET_RULES, LEAFLET_SPEC
from domain.pricing.engine import CompiledPricing, compile_pricing, evaluate
from domain.pricing.spec import ProductSpec

QUANTITIES = [50, 100, 250, 480, 500, 750, 1000, 2500, 5000, 10000, 20000]


def configurations(rng: random.Random, count: int) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for _ in range(count):
        paper = rng.choice(["90", "135", "170"])
        out.append(
            {
                "size": rng.choice(["a6", "dl", "a5", "a4"]),
                "pages": rng.choice([1, 2]),
                "paper": paper,
                "colour": rng.choice(["cmyk", "black"]),
                "finish": "none" if paper == "90" else rng.choice(["none", "gloss", "matt"]),
                "rounded_corners": rng.random() < 0.3,
                "proof": rng.random() < 0.1,
                "notes": rng.choice(["", "Please match the Pantone swatch."]),
            }
        )
    return out


def contexts() -> list[PriceContext]:
    return [
        PriceContext(),
        PriceContext(customer_group_discount_percent=Decimal(5)),
        PriceContext(company_markup_percent=Decimal(-3)),
    ]


def percentile(sorted_ns: list[int], fraction: float) -> float:
    return sorted_ns[min(len(sorted_ns) - 1, int(len(sorted_ns) * fraction))] / 1000


def compile_time(repeat: int = 200) -> tuple[float, float]:
    """Microseconds to validate and compile the leaflet (spec JSON + rules JSON): min, median."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter_ns()
        compile_pricing(ProductSpec.from_json(LEAFLET_SPEC), LEAFLET_RULES)
        times.append(time.perf_counter_ns() - start)
    return min(times) / 1000, statistics.median(times) / 1000


def run(
    compiled: CompiledPricing, n: int, rng: random.Random, cold: bool
) -> tuple[list[int], list[int]]:
    """Wall-clock and thread CPU nanoseconds per evaluate call."""
    configs = configurations(rng, 1000)
    ctxs = contexts()
    work = [
        (
            rng.choice(configs),
            rng.choice(QUANTITIES) if rng.random() < 0.7 else rng.randint(1, 20000),
            rng.choice(ctxs),
        )
        for _ in range(n)
    ]
    wall, cpu = [0] * n, [0] * n
    clock, cpu_clock = time.perf_counter_ns, time.thread_time_ns
    for index, (values, quantity, ctx) in enumerate(work):
        if cold:
            compiled.clear_memo()
        cpu_start = cpu_clock()
        start = clock()
        result = evaluate(compiled, values, quantity, ctx)
        wall[index] = clock() - start
        cpu[index] = cpu_clock() - cpu_start
        if not result.valid:
            raise SystemExit(f"unexpected invalid price: {result.messages}")
    return wall, cpu


def _marks(timings: list[int]) -> str:
    ordered = sorted(timings)
    marks = "  ".join(
        f"{name} {percentile(ordered, fraction):.1f}"
        for name, fraction in (("p50", 0.5), ("p90", 0.9), ("p99", 0.99), ("p99.9", 0.999))
    )
    return f"{marks}  max {ordered[-1] / 1000:.0f}"


def report(title: str, timings: tuple[list[int], list[int]]) -> None:
    wall, cpu = timings
    print(f"{title}")
    print(f"  evaluations      {len(wall):>10,}")
    print(f"  evaluations/s    {len(wall) / (sum(wall) / 1e9):>10,.0f}")
    print(f"  wall-clock us    {_marks(wall)}")
    print(f"  thread CPU us    {_marks(cpu)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=200_000, help="evaluations (default 200000)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print(
        f"Python {platform.python_version()} on {platform.machine()}, {platform.system()}, "
        f"{os.cpu_count()} CPUs, load average {load} (other processes skew the tail)"
    )
    best, median = compile_time()
    print(f"compile leaflet (spec + rules)  min {best:.0f} us  median {median:.0f} us")
    compiled = compile_pricing(ProductSpec.from_json(LEAFLET_SPEC), LEAFLET_RULES)
    run(compiled, 2000, rng, cold=False)  # warm-up
    report("evaluate, varying configuration/quantity/context", run(compiled, args.n, rng, False))
    report(
        "evaluate with a cold break-cap memo (first price)",
        run(compiled, max(args.n // 50, 1000), rng, True),
    )


if __name__ == "__main__":
    main()
