"""Process-local caches bounded by an estimate of the bytes they hold, not only by entries.

An entry count alone lets a cache grow with what it holds: a thousand catalog answers are 2 MB
or 200 MB depending on the page size asked for, a thousand documents depend on their length.
Every cache of the process is a `cachetools.LRUCache` whose size is the sum of its entries'
estimated bytes (`approx_size`: `sys.getsizeof` over the object graph an entry owns), with an
entry count on top where a cache wants one. An entry larger than its cache is not kept.
"""

from __future__ import annotations

import enum
import sys
import threading
import types
from collections.abc import Callable, Hashable, Iterator
from typing import Any, Generic, TypeVar

from cachetools import LRUCache

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

# Objects an entry refers to but does not own (shared by the whole process): never counted.
_SHARED = (type, types.ModuleType, types.FunctionType, types.BuiltinFunctionType, enum.Enum)
_MAX_OBJECTS = 50_000  # beyond this an entry is reported as too large to keep


def approx_size(obj: object) -> int:
    """Bytes owned by `obj` and what it refers to: containers, instance attributes and slots,
    skipping classes, functions, modules, enum members and SQLAlchemy's instance state. An
    estimate (shared strings are counted in every entry that holds them); an object graph of
    more than 50,000 objects counts as `sys.maxsize`."""
    seen: set[int] = set()
    total = 0
    stack: list[object] = [obj]
    while stack:
        item = stack.pop()
        if id(item) in seen or isinstance(item, _SHARED) or item is None:
            continue
        seen.add(id(item))
        if len(seen) > _MAX_OBJECTS:
            return sys.maxsize
        total += sys.getsizeof(item)
        stack.extend(_children(item))
    return total


def _children(item: object) -> Iterator[object]:
    if isinstance(item, str | bytes | bytearray | int | float | complex | bool):
        return
    if isinstance(item, dict):
        for key, value in item.items():
            yield key
            yield value
        return
    if isinstance(item, list | tuple | set | frozenset):
        yield from item
        return
    attributes = getattr(item, "__dict__", None)
    if attributes is not None:
        for name, value in attributes.items():
            if not name.startswith("_sa_"):  # SQLAlchemy's state points at the mappers
                yield value
    for cls in type(item).__mro__:
        for name in cls.__dict__.get("__slots__", ()):
            if name not in ("__dict__", "__weakref__"):
                value = getattr(item, name, None)
                if value is not None:
                    yield value


class SizedLRU(Generic[K, V]):
    """An LRU map bounded by estimated bytes (keys and values) and optionally by entries.
    Thread-safe (the compiled pricing cache is filled from worker threads)."""

    def __init__(
        self,
        max_bytes: int,
        *,
        max_entries: int | None = None,
        sizer: Callable[[K, V], int] | None = None,
    ) -> None:
        """`sizer(key, value)`: the bytes an entry costs (default: `approx_size` of both);
        a cache of things whose size is known more cheaply passes its own."""
        self.max_bytes = max_bytes
        self.max_entries = max_entries
        self._sizer = sizer
        self._data: LRUCache[K, tuple[V, int]] = LRUCache(
            maxsize=max_bytes, getsizeof=lambda entry: entry[1]
        )
        self._lock = threading.Lock()

    def get(self, key: K, default: Any = None) -> Any:
        """The value kept for `key` (now the most recently used), else `default`."""
        with self._lock:
            entry = self._data.get(key)
        return default if entry is None else entry[0]

    def put(self, key: K, value: V) -> bool:
        """Keeps `value`; False when it alone is larger than the cache."""
        size = (
            self._sizer(key, value)
            if self._sizer is not None
            else approx_size(key) + approx_size(value)
        )
        if size > self.max_bytes:
            return False
        with self._lock:
            self._data[key] = (value, size)
            if self.max_entries is not None:
                while len(self._data) > self.max_entries:
                    self._data.popitem()
        return True

    def pop(self, key: K) -> None:
        with self._lock:
            self._data.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()

    @property
    def bytes(self) -> int:
        return int(self._data.currsize)

    def __len__(self) -> int:
        return len(self._data)

    def __contains__(self, key: object) -> bool:
        return key in self._data
