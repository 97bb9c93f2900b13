"""Caches bounded by estimated bytes as well as entries (domain/shared/sized_cache.py)."""

from __future__ import annotations

from dataclasses import dataclass

from domain.shared.read_cache import ReadCaches
from domain.shared.sized_cache import SizedLRU, approx_size


@dataclass(slots=True)
class Row:
    name: str
    payload: bytes


def test_approx_size_counts_what_an_entry_owns() -> None:
    small = approx_size(Row("a", b"x" * 10))
    big = approx_size(Row("a", b"x" * 100_000))
    assert big - small >= 99_990
    assert approx_size({"k": [b"y" * 50_000, "z" * 1000]}) > 51_000
    # Classes and functions are shared, not owned.
    assert approx_size([Row, approx_size]) < 200


def test_bytes_bound_evicts_least_recently_used_whatever_the_entry_count() -> None:
    cache: SizedLRU[int, bytes] = SizedLRU(100_000, max_entries=1000)
    for i in range(10):
        assert cache.put(i, b"x" * 20_000)
    assert len(cache) <= 4
    assert cache.bytes <= 100_000
    assert cache.get(9) is not None and cache.get(0) is None
    cache.get(7)  # used: survives the next puts
    cache.put(10, b"x" * 20_000)
    cache.put(11, b"x" * 20_000)
    assert cache.get(7) is not None
    assert not cache.put(99, b"x" * 200_000)  # larger than the whole cache: not kept
    assert 99 not in cache


def test_entry_bound_still_applies() -> None:
    cache: SizedLRU[int, int] = SizedLRU(10**9, max_entries=3)
    for i in range(5):
        cache.put(i, i)
    assert len(cache) == 3 and cache.get(0) is None and cache.get(4) == 4


def test_read_cache_reports_bytes_and_keeps_its_byte_bound() -> None:
    caches = ReadCaches()
    caches.listener_connected()
    cache = caches.cache("pages", ("product",), maxsize=10_000, max_bytes=50_000)
    for i in range(100):
        cache.put(i, "p" * 5_000, caches.generation)
    stats = caches.stats()["pages"]
    assert stats["bytes"] <= 50_000 and stats["size"] < 10
    assert cache.get(99) is not None
