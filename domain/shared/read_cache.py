"""Process-local read caches for hot read paths, invalidated by the tables they are built from.

PostgreSQL stays the source of truth. Every watched table has a statement trigger that NOTIFYs
the table's name on commit (migration `b7c1e5a2d9f0`); each process LISTENs
(adapters/cache_listener.py) and drops every cache built from that table, in every process.
A unit of work also drops them in its own process right after it commits what it wrote
(adapters/db.py), so a client's next request to the same process reads its own writes without
waiting for the notification.

Caches are used only while a listener is connected (`ReadCaches.live`): a process that cannot
hear invalidations (a CLI command, a lost listener connection) reads the database every time,
and whatever was cached before is dropped when the listener comes back. A value being built
while a table changes is not stored: `put` takes the generation read before the build.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable, Iterable
from typing import Any, TypeVar, cast

from domain.shared.sized_cache import SizedLRU
from domain.shared.uow import UnitOfWork

T = TypeVar("T")
_ABSENT = object()
# Each read cache's bound in estimated bytes unless it names its own (with its entry count).
DEFAULT_MAX_BYTES = 8 * 1024 * 1024

# Tables whose changes invalidate caches, with the trigger events that matter. New sessions
# (INSERT into auth_session) never change a cached viewer; a revoked one (UPDATE) does.
WATCHED_TABLES: dict[str, tuple[str, ...]] = {
    "auth_session": ("UPDATE", "DELETE", "TRUNCATE"),
    "portal_user": ("INSERT", "UPDATE", "DELETE", "TRUNCATE"),
    "portal_user_group": ("INSERT", "UPDATE", "DELETE", "TRUNCATE"),
    "permission_group": ("INSERT", "UPDATE", "DELETE", "TRUNCATE"),
    "staff_user": ("INSERT", "UPDATE", "DELETE", "TRUNCATE"),
    "company": ("INSERT", "UPDATE", "DELETE", "TRUNCATE"),
    "customer_group": ("INSERT", "UPDATE", "DELETE", "TRUNCATE"),
    "channel": ("INSERT", "UPDATE", "DELETE", "TRUNCATE"),
    "channel_product": ("INSERT", "UPDATE", "DELETE", "TRUNCATE"),
    "product": ("INSERT", "UPDATE", "DELETE", "TRUNCATE"),
    "product_version": ("INSERT", "UPDATE", "DELETE", "TRUNCATE"),
    "laser_material": ("INSERT", "UPDATE", "DELETE", "TRUNCATE"),
    "laser_thickness": ("INSERT", "UPDATE", "DELETE", "TRUNCATE"),
    "laser_machine": ("INSERT", "UPDATE", "DELETE", "TRUNCATE"),
}
CACHE_CHANNEL = "pressroom_cache"


class ReadCache:
    """An LRU map bounded by entries and by estimated bytes (domain/shared/sized_cache.py)
    whose entries are dropped when one of its tables changes."""

    __slots__ = ("_data", "_owner", "hits", "maxsize", "misses", "name", "tables")

    def __init__(
        self,
        owner: ReadCaches,
        name: str,
        tables: Iterable[str],
        maxsize: int,
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> None:
        unknown = set(tables) - WATCHED_TABLES.keys()
        if unknown:
            raise ValueError(f"cache {name!r} depends on unwatched tables {sorted(unknown)}")
        self._owner = owner
        self.name = name
        self.tables = frozenset(tables)
        self.maxsize = maxsize
        self._data: SizedLRU[Hashable, Any] = SizedLRU(max_bytes, max_entries=maxsize)
        self.hits = 0
        self.misses = 0

    @property
    def generation(self) -> int:
        """Read before building a value; pass to `put`."""
        return self._owner.generation

    def get(self, key: Hashable, default: Any = None) -> Any:
        if not self._owner.live:
            return default
        value = self._data.get(key, _ABSENT)
        if value is _ABSENT:
            self.misses += 1
            return default
        self.hits += 1
        return value

    def put(self, key: Hashable, value: Any, generation: int) -> bool:
        """Stores unless an invalidation happened since `generation` was read (the value may
        have been built from rows that changed meanwhile) or no listener is connected; True
        when stored."""
        if not self._owner.live or generation != self._owner.generation:
            return False
        return self._data.put(key, value)

    async def read_through(
        self, key: Hashable, uow: UnitOfWork, read: Callable[[UnitOfWork], Awaitable[T]]
    ) -> T:
        """The value kept for `key`, else what `read` returns on a committed-data reader of
        `uow` (rows are detached once it closes), kept unless a table changed meanwhile."""
        value = self.get(key, _ABSENT)
        if value is not _ABSENT:
            return cast(T, value)
        generation = self.generation
        async with uow.committed_reader() as reader:
            fresh = await read(reader)
        self.put(key, fresh, generation)
        return fresh

    def pop(self, key: Hashable) -> None:
        self._data.pop(key)

    def clear(self) -> None:
        self._data.clear()

    @property
    def bytes(self) -> int:
        """Estimated bytes held (what the byte bound counts)."""
        return self._data.bytes

    def __len__(self) -> int:
        return len(self._data)


class ReadCaches:
    """The registry of a process's read caches."""

    def __init__(self) -> None:
        self._caches: dict[str, ReadCache] = {}
        self._by_table: dict[str, list[ReadCache]] = {}
        self.generation = 0
        self._listeners = 0

    def cache(
        self,
        name: str,
        tables: Iterable[str],
        maxsize: int = 1024,
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> ReadCache:
        """The cache called `name` (made on first use; the same object afterwards), holding
        at most `maxsize` entries and about `max_bytes` bytes."""
        existing = self._caches.get(name)
        if existing is not None:
            return existing
        cache = ReadCache(self, name, tables, maxsize, max_bytes)
        self._caches[name] = cache
        for table in cache.tables:
            self._by_table.setdefault(table, []).append(cache)
        return cache

    @property
    def live(self) -> bool:
        return self._listeners > 0

    def listener_connected(self) -> None:
        self.clear()  # whatever changed while nobody listened
        self._listeners += 1

    def listener_lost(self) -> None:
        self._listeners = max(0, self._listeners - 1)
        self.clear()

    def invalidate(self, tables: Iterable[str]) -> None:
        touched = False
        for table in tables:
            for cache in self._by_table.get(table, ()):
                cache.clear()
                touched = True
            touched = touched or table in WATCHED_TABLES
        if touched:
            self.generation += 1

    def clear(self) -> None:
        for cache in self._caches.values():
            cache.clear()
        self.generation += 1

    def stats(self) -> dict[str, dict[str, int]]:
        return {
            c.name: {"size": len(c), "bytes": c.bytes, "hits": c.hits, "misses": c.misses}
            for c in self._caches.values()
        }


CACHES = ReadCaches()
"""The process's registry (one per process, like the connection pool)."""
