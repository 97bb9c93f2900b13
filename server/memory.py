"""Memory tuning of a served process (uvicorn worker), next to the garbage collector's in app.py.

glibc serves allocations of 128 KiB and more with mmap and unmaps them on free, but the first
time such a block is freed it raises that threshold to the block's size (up to 32 MiB) and the
heap trim threshold to twice that. From then on blocks of that size come from the heap and
stay resident after free. Every login hashes with argon2id at 19 MiB
(domain/accounts/passwords.py), so each worker kept ~19 MiB for good after its first login
(bench/RESULTS.md, issue #6). Pinning both thresholds returns such buffers to the system at the
cost of fresh pages for each hash (~2 ms of a ~30 ms login); everything below 1 MiB, which is
nearly every allocation a request makes, is served as before.

glibc also gives every thread that allocates its own arena (up to eight per core), and each
arena keeps its own freed pages. A served worker runs password hashing, PDF rendering and the
event loop's default executor on threads; two arenas are plenty for a process whose Python
code runs under one lock (tests/unit/test_start_up_imports.py counts them). An operator's
``MALLOC_ARENA_MAX`` wins. (The slow RSS creep of the 30-minute soak was not the allocator's
but requests kept alive by reference cycles: docs/operations.md, "Memory".)

Freed memory inside an arena (between chunks still in use) goes back to the system only with
``malloc_trim``; a served worker calls it every minute (`trim_heap_every`), on a thread so
that the event loop does not wait for it.
"""

from __future__ import annotations

import asyncio
import ctypes
import logging
import os
import platform
from typing import Any

logger = logging.getLogger("pressroom")

# mallopt parameters (glibc's malloc.h).
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
_M_ARENA_MAX = -8

MMAP_THRESHOLD_BYTES = 1024 * 1024
TRIM_THRESHOLD_BYTES = 2 * MMAP_THRESHOLD_BYTES  # glibc's own ratio when it adjusts them
ARENA_MAX = 2


def _glibc_function(name: str) -> Any:
    """A function of the process's C library when that is glibc, else None (macOS, musl)."""
    if platform.system() != "Linux" or platform.libc_ver()[0] != "glibc":
        return None
    try:
        return getattr(ctypes.CDLL(None), name)
    except (OSError, AttributeError):
        return None


def pin_malloc_thresholds() -> bool:
    """Fix glibc's mmap and trim thresholds and its number of arenas (see the module
    docstring). False where the C library is not glibc (macOS, musl): nothing to do there."""
    mallopt = _glibc_function("mallopt")
    if mallopt is None:
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    done = bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES)) and bool(
        mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD_BYTES)
    )
    if "MALLOC_ARENA_MAX" not in os.environ:
        done = bool(mallopt(_M_ARENA_MAX, ARENA_MAX)) and done
    if not done:
        logger.warning("mallopt refused the malloc settings; freed memory may stay resident")
    return done


def trim_heap() -> bool:
    """Return the free pages of every malloc arena to the system (glibc's ``malloc_trim``).
    False where the C library is not glibc."""
    malloc_trim = _glibc_function("malloc_trim")
    if malloc_trim is None:
        return False
    malloc_trim.argtypes = [ctypes.c_size_t]
    malloc_trim.restype = ctypes.c_int
    malloc_trim(0)
    return True


async def trim_heap_every(interval_s: float) -> None:
    """Until cancelled: `trim_heap` every `interval_s` seconds, on a worker thread."""
    while True:
        await asyncio.sleep(interval_s)
        if not await asyncio.to_thread(trim_heap):
            return
