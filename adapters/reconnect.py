"""One reconnect-with-backoff loop for the processes' long-lived LISTEN connections (the event
relay, the cache invalidation listener).

Retries use tenacity (maintained, typed, asyncio-native) rather than a hand-written loop: a
failing connect waits 0.2 s, doubling up to 5 s; a connection that was up and is lost is
reopened at once, with the backoff starting afresh. Cancellation (a BaseException) is never
retried: stopping the owning task stops the loop.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager, AsyncExitStack
from typing import NoReturn, TypeVar

from tenacity import AsyncRetrying, before_sleep_log, retry_if_exception_type, wait_exponential

C = TypeVar("C")


async def keep_connected(
    logger: logging.Logger,
    what: str,
    connection: Callable[[], AbstractAsyncContextManager[C]],
    serve: Callable[[C], Awaitable[None]],
) -> NoReturn:
    """Open ``connection()`` (retried with backoff while it fails), run ``serve`` on it until
    the connection ends or fails, close it, and start again; forever, until cancelled."""
    while True:
        async with AsyncExitStack() as stack:
            async for attempt in AsyncRetrying(
                retry=retry_if_exception_type(Exception),
                wait=wait_exponential(multiplier=0.2, max=5.0),
                before_sleep=before_sleep_log(logger, logging.ERROR, exc_info=True),
            ):
                with attempt:
                    conn = await stack.enter_async_context(connection())
            try:
                await serve(conn)
            except Exception:
                logger.exception("%s lost its connection; reconnecting", what)
