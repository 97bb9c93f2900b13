"""What a served worker loads at start-up (issue #6: peak RSS per worker).

DXF analysis (ezdxf with numpy, ~30 MiB), spreadsheet imports (openpyxl) and migrations load
on first use, not in every process that serves catalog pages and prices. Each check runs in a
fresh interpreter: this test process has long since imported all of them.
"""

from __future__ import annotations

import json
import platform
import subprocess
import sys
import textwrap

import pytest

# Top-level packages a request that prices or lists things never needs.
LAZY = {"ezdxf", "numpy", "openpyxl", "fontTools", "stripe", "alembic", "matplotlib", "PIL"}
# Loaded only where tracing is configured (server/observability/tracing.py).
LAZY |= {"opentelemetry"}


def _run(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_serving_does_not_import_heavy_packages() -> None:
    # server.cli too: with one worker `pressroom serve` is the worker, and uvicorn's spawned
    # workers import it again as their __main__.
    out = _run(
        """
        import json, sys
        import server.app, server.asgi, server.cli
        print(json.dumps(sorted({m.split(".")[0] for m in sys.modules})))
        """
    )
    loaded = set(json.loads(out))
    assert not loaded & LAZY, f"start-up imports {sorted(loaded & LAZY)}; import them where used"


def test_laser_figures_and_pricing_do_not_import_the_dxf_reader() -> None:
    out = _run(
        """
        import json, sys
        import domain.laser.costing, domain.laser.part_geometry, domain.laser.part_drawings
        import domain.laser.part_quotes, domain.laser.import_rows, domain.laser.svg
        import domain.laser.templates
        before = sorted({m.split(".")[0] for m in sys.modules})
        from domain.laser.templates import generate
        generate("RECTANGLE", {})
        print(json.dumps([before, "ezdxf" in sys.modules]))
        """
    )
    before, after = json.loads(out)
    assert not set(before) & LAZY
    assert after, "drawing a template loads ezdxf on first use"


@pytest.mark.skipif(
    platform.system() != "Linux" or platform.libc_ver()[0] != "glibc", reason="glibc only"
)
def test_pinned_malloc_thresholds_return_the_password_hash_buffer() -> None:
    # argon2id uses 19 MiB per hash; unpinned, glibc keeps it resident after the first one.
    out = _run(
        """
        import json, os
        from server.memory import pin_malloc_thresholds
        from domain.accounts.passwords import HASHER

        def rss():
            with open("/proc/self/statm") as f:
                return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

        pinned = pin_malloc_thresholds()
        start = rss()
        stored = HASHER.hash("correct horse")
        for _ in range(3):
            HASHER.verify(stored, "correct horse")
        print(json.dumps([pinned, rss() - start]))
        """
    )
    pinned, growth = json.loads(out)
    assert pinned
    assert growth < 8 * 1024 * 1024, f"{growth / 2**20:.1f} MiB stayed resident"


@pytest.mark.skipif(
    platform.system() != "Linux" or platform.libc_ver()[0] != "glibc", reason="glibc only"
)
@pytest.mark.parametrize("pin", [True, False])
def test_pinned_malloc_keeps_threads_to_two_arenas(pin: bool) -> None:
    # Each thread that allocates gets an arena of its own otherwise, keeping its freed pages.
    out = _run(
        f"""
        import ctypes, os, re, tempfile, threading
        from server.memory import pin_malloc_thresholds

        os.environ.pop("MALLOC_ARENA_MAX", None)
        if {pin}:
            assert pin_malloc_thresholds()
        barrier = threading.Barrier(6)

        def work():
            barrier.wait()  # all at once, so that they contend for an arena
            for _ in range(200):
                kept = [bytearray(4000) for _ in range(50)]
                del kept

        threads = [threading.Thread(target=work) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        libc = ctypes.CDLL(None)
        libc.fopen.restype = ctypes.c_void_p
        libc.malloc_info.argtypes = [ctypes.c_int, ctypes.c_void_p]
        libc.fclose.argtypes = [ctypes.c_void_p]
        path = tempfile.mktemp()
        fp = libc.fopen(path.encode(), b"w")
        libc.malloc_info(0, fp)
        libc.fclose(fp)
        print(len(re.findall(r'<heap nr="', open(path).read())))
        os.unlink(path)
        """
    )
    arenas = int(out)
    if pin:
        assert arenas <= 2
    else:
        assert arenas > 2  # the unpinned default, so the check above can fail


@pytest.mark.skipif(
    platform.system() != "Linux" or platform.libc_ver()[0] != "glibc", reason="glibc only"
)
def test_trim_heap_returns_freed_pages_between_live_chunks() -> None:
    # Freed chunks between live ones stay resident until malloc_trim gives their pages back.
    out = _run(
        """
        import json, os
        from server.memory import trim_heap

        def rss():
            with open("/proc/self/statm") as f:
                return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

        blocks = [bytes(4000) for _ in range(50_000)]  # ~200 MiB from malloc's heap
        kept = blocks[::64]  # every 64th stays: the heap cannot shrink from its top
        del blocks
        before = rss()
        trimmed = trim_heap()
        print(json.dumps([trimmed, before - rss(), len(kept)]))
        """
    )
    trimmed, returned, _ = json.loads(out)
    assert trimmed
    assert returned > 100 * 1024 * 1024, f"only {returned / 2**20:.1f} MiB returned"
