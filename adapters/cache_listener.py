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
from collections.abc import AsyncIterator
from typing import Any

import asyncpg

from adapters.events import asyncpg_dsn, cancel_and_wait
from adapters.reconnect import keep_connected
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
        await keep_connected(logger, "cache invalidation listener", self._listening, self._watch)

    @contextlib.asynccontextmanager
    async def _listening(self) -> AsyncIterator[asyncpg.Connection]:
        conn = await asyncpg.connect(self.dsn)
        live = False
        try:
            self._lost.clear()
            conn.add_termination_listener(lambda _c: self._lost.set())
            await conn.add_listener(CACHE_CHANNEL, self._notified)
            self.caches.listener_connected()
            live = True
            self._connected.set()
            yield conn
        finally:
            if live:
                self.caches.listener_lost()
            if not conn.is_closed():
                with contextlib.suppress(Exception):
                    await conn.close()

    async def _watch(self, conn: asyncpg.Connection) -> None:
        """Until the connection ends or a ping goes unanswered."""
        while not conn.is_closed():
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.ping_interval_s):
                    await self._lost.wait()
            if self._lost.is_set():
                break
            async with asyncio.timeout(self.ping_interval_s):
                await conn.fetchval("SELECT 1")
        logger.warning("cache invalidation listener lost its connection; reconnecting")

    def _notified(self, _conn: Any, _pid: int, _channel: str, payload: str) -> None:
        self.caches.invalidate((payload,))
