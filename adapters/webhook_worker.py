"""The webhook loops of a process: events -> deliveries (dispatch), deliveries -> HTTP.

Both work from PostgreSQL only, so any number of processes may run them: the dispatch cursor
and each webhook's oldest pending delivery are claimed with row locks (SKIP LOCKED), the rows
are the durable queue (a restart loses nothing; an attempt cut short by a crash is made again,
with the same `webhook-id`). A process wakes on new events and after dispatching; otherwise
it looks every `poll_interval_s` (retries that fall due, other processes' deliveries).
`enqueue` is the one place that hands deliveries to the sending side.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterable

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.db import SqlUnitOfWork
from adapters.events import EventHub, SubscriberTooSlow, cancel_and_wait
from adapters.webhook_http import WebhookSender
from domain.integrations.delivery import (
    DeliveryPolicy,
    claim_next,
    record_attempt,
    signing_secrets,
)
from domain.integrations.dispatch import Render, dispatch_batch

logger = logging.getLogger("pressroom.webhooks")


class WebhookWorker:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        render: Render,
        sender: WebhookSender,
        policy: DeliveryPolicy,
        *,
        hub: EventHub | None = None,
        poll_interval_s: float = 1.0,
        concurrency: int = 4,
    ) -> None:
        self.sessions = sessions
        self.render = render
        self.sender = sender
        self.policy = policy
        self.hub = hub
        self.poll_interval_s = poll_interval_s
        self.concurrency = concurrency
        self._dispatch_wake = asyncio.Event()
        self._deliver_wake = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        self._tasks.append(asyncio.create_task(self._dispatch_loop(), name="webhook-dispatch"))
        for n in range(self.concurrency):
            self._tasks.append(asyncio.create_task(self._deliver_loop(), name=f"webhook-{n}"))
        if self.hub is not None:
            self._tasks.append(asyncio.create_task(self._listen(self.hub), name="webhook-wake"))

    async def stop(self) -> None:
        for task in self._tasks:
            await cancel_and_wait(task)
        self._tasks.clear()
        await self.sender.close()

    def enqueue(self, webhook_ids: Iterable[int]) -> None:
        """Deliveries were made for these webhooks: send them. (They are already durable rows;
        this only wakes the senders, here and, through polling, in other processes.)"""
        if list(webhook_ids):
            self._deliver_wake.set()

    def wake(self) -> None:
        """Something changed: look for events and deliveries now."""
        self._dispatch_wake.set()
        self._deliver_wake.set()

    async def _listen(self, hub: EventHub) -> None:
        while True:
            with contextlib.suppress(SubscriberTooSlow):
                async for _ in hub.subscribe(lambda event: True):
                    self._dispatch_wake.set()

    @staticmethod
    async def _wait(event: asyncio.Event, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await event.wait()
        event.clear()

    async def _dispatch_loop(self) -> None:
        while True:
            try:
                while await self.dispatch_once():
                    pass
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("webhook dispatch failed; retrying")
            await self._wait(self._dispatch_wake, self.poll_interval_s)

    async def dispatch_once(self) -> bool:
        """One batch of events into deliveries; True when there may be more."""
        new_batch = getattr(self.render, "new_batch", None)
        if new_batch is not None:
            new_batch()
        uow = SqlUnitOfWork(self.sessions)
        try:
            hooks, more = await dispatch_batch(uow, self.render)
        finally:
            await uow.close()
        self.enqueue(hooks)
        return more

    async def _deliver_loop(self) -> None:
        while True:
            try:
                while await self.deliver_one():
                    pass
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("webhook delivery failed; retrying")
            await self._wait(self._deliver_wake, self.poll_interval_s)

    async def deliver_one(self) -> bool:
        """Attempt the next due delivery; False when there is none."""
        uow = SqlUnitOfWork(self.sessions)
        try:
            async with uow:
                claimed = await claim_next(uow)
                if claimed is None:
                    return False
                delivery, hook = claimed
                outcome = await self.sender.send(
                    hook.target_url, delivery.msg_id, delivery.payload, signing_secrets(hook)
                )
                await record_attempt(uow, delivery, hook, outcome, self.policy)
                await uow.commit()
            if not outcome.succeeded:
                logger.info("webhook %s: attempt %s failed", hook.id, delivery.attempts)
            return True
        finally:
            await uow.close()
