"""Micro benchmark: DXF analysis plus laser costing, per call, for two typical uploads.

Run: .venv/bin/python bench/laser_geometry.py [iterations]

A quote request analyses the uploaded DXF once and prices it for a few quantities, so the
figure that matters is analyse_dxf + laser_cost_lines per call, on a simple part (a flange
template) and a busy one (200 loose entities: lines, arcs and circles to be chained).
"""

from __future__ import annotations

import io
import statistics
import sys
import time
from collections.abc import Callable
from decimal import Decimal

from ezdxf.filemanagement import new as new_drawing

from domain.laser.costing import DEMO_MACHINE_RATES, DEMO_MATERIALS, laser_cost_lines
from domain.laser.geometry import analyse_dxf
from domain.laser.templates import generate


def busy_part() -> bytes:
    """A 600 x 400 plate with rounded corners (8 entities), 12 slots (48) and 144 holes."""
    doc = new_drawing("R2010", units=4)
    msp = doc.modelspace()
    w, h, r = 600.0, 400.0, 20.0
    msp.add_line((r, 0), (w - r, 0))
    msp.add_arc((w - r, r), r, 270, 360)
    msp.add_line((w, r), (w, h - r))
    msp.add_arc((w - r, h - r), r, 0, 90)
    msp.add_line((w - r, h), (r, h))
    msp.add_arc((r, h - r), r, 90, 180)
    msp.add_line((0, h - r), (0, r))
    msp.add_arc((r, r), r, 180, 270)
    for i in range(12):  # slots 40 x 8 along the bottom band
        x, y = 40.0 + i * 45.0, 30.0
        msp.add_line((x, y - 4), (x + 32, y - 4))
        msp.add_arc((x + 32, y), 4, 270, 90)
        msp.add_line((x + 32, y + 4), (x, y + 4))
        msp.add_arc((x, y), 4, 90, 270)
    for row in range(12):
        for col in range(12):
            msp.add_circle((60.0 + col * 43.0, 80.0 + row * 26.0), 5.0)
    assert len(msp) == 200
    stream = io.StringIO()
    doc.write(stream)
    return stream.getvalue().encode()


def measure(name: str, call: Callable[[], object], iterations: int) -> None:
    for _ in range(3):
        call()  # warm-up: imports, caches
    wall: list[float] = []
    cpu: list[float] = []
    for _ in range(iterations):
        start, start_cpu = time.perf_counter(), time.process_time()
        call()
        wall.append((time.perf_counter() - start) * 1000.0)
        cpu.append((time.process_time() - start_cpu) * 1000.0)
    # CPU time too: on a shared machine wall time mostly measures the neighbours.
    print(
        f"{name:<30} n={iterations:<4} wall p50 {_p(wall, 50):6.1f} p99 {_p(wall, 99):6.1f} ms"
        f"   cpu p50 {_p(cpu, 50):6.1f} p99 {_p(cpu, 99):6.1f} ms"
    )


def _p(values: list[float], percent: int) -> float:
    ordered = sorted(values)
    if percent == 50:
        return statistics.median(ordered)
    return ordered[min(len(ordered) - 1, round(percent / 100 * (len(ordered) - 1)))]


def main() -> None:
    iterations = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    steel = DEMO_MATERIALS["S235"]
    three = steel.thickness(Decimal("3"))
    assert three is not None

    def quote(data: bytes) -> Callable[[], object]:
        def run() -> object:
            part = analyse_dxf(
                data,
                max_sheet_mm=three.max_sheet_mm,
                min_hole_diameter_mm=float(three.min_hole_diameter_mm),
            )
            return laser_cost_lines(part, steel, three, DEMO_MACHINE_RATES, 50)

        return run

    flange = generate("FLANGE", {})
    busy = busy_part()
    print(f"flange DXF {len(flange) / 1024:.0f} KiB, 200-entity DXF {len(busy) / 1024:.0f} KiB")
    measure("flange: analyse + cost", quote(flange), iterations)
    measure("200 entities: analyse + cost", quote(busy), iterations)
    measure("flange: generate template", lambda: generate("FLANGE", {}), iterations)


if __name__ == "__main__":
    main()
