"""Keeps a process's read caches honest: LISTENs on `pressroom_cache`, where the watched tables'
triggers NOTIFY their name on commit, and drops the caches built from them.

The caches are switched on only while this connection listens. Losing it (or a ping that goes
unanswered) switches them off and empties them until it is back, so nothing is served from a
cache that may have missed a notification.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import asyncpg

from adapters.events import asyncpg_dsn, cancel_and_wait
from domain.shared.read_cache import CACHE_CHANNEL, ReadCaches

logger = logging.getLogger("pressroom.cache")


class CacheInvalidationListener:
    def __init__(self, url: str, caches: ReadCaches, *, ping_interval_s: float = 5.0) -> None:
        self.dsn = asyncpg_dsn(url)
        self.caches = caches
        self.ping_interval_s = ping_interval_s
        self._task: asyncio.Task[None] | None = None
        self._connected = asyncio.Event()
        self._lost = asyncio.Event()

    async def start(self, timeout_s: float = 30) -> None:
        self._task = asyncio.create_task(self._run(), name="cache-invalidation")
        await asyncio.wait_for(self._connected.wait(), timeout=timeout_s)

    async def stop(self) -> None:
        if self._task is not None:
            await cancel_and_wait(self._task)
            self._task = None

    async def _run(self) -> None:
        backoff = 0.2
        while True:
            conn: asyncpg.Connection | None = None
            live = False
            try:
                conn = await asyncpg.connect(self.dsn)
                self._lost.clear()
                conn.add_termination_listener(lambda _c: self._lost.set())
                await conn.add_listener(CACHE_CHANNEL, self._notified)
                self.caches.listener_connected()
                live = True
                self._connected.set()
                backoff = 0.2
                while not conn.is_closed():
                    with contextlib.suppress(TimeoutError):
                        async with asyncio.timeout(self.ping_interval_s):
                            await self._lost.wait()
                    if self._lost.is_set():
                        break
                    async with asyncio.timeout(self.ping_interval_s):
                        await conn.fetchval("SELECT 1")
                logger.warning("cache invalidation listener lost its connection; reconnecting")
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("cache invalidation listener failed; reconnecting")
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)
            finally:
                if live:
                    self.caches.listener_lost()
                if conn is not None and not conn.is_closed():
                    with contextlib.suppress(Exception):
                        await conn.close()

    def _notified(self, _conn: Any, _pid: int, _channel: str, payload: str) -> None:
        self.caches.invalidate((payload,))
