"""Webhooks in a process: events -> deliveries (a loop), deliveries -> HTTP (a job task).

Both work from PostgreSQL only, so any number of processes may run them. The dispatch cursor
is claimed with a row lock (SKIP LOCKED): one process at a time turns the next batch of events
into delivery rows and defers a `webhook.deliver` job per webhook in the same transaction. The
job (run by any worker: `pressroom serve` or `pressroom worker`) sends the webhook's due
deliveries oldest first; a failed attempt defers the next job to its backoff time. A crash
repeats an attempt with the same `webhook-id` (at least once).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.db import SqlUnitOfWork
from adapters.events import EventHub, SubscriberTooSlow, cancel_and_wait
from adapters.webhook_http import WebhookSender
from domain.integrations.delivery import (
    DELIVER_TASK,
    DeliveryPolicy,
    claim_next,
    record_attempt,
    signing_secrets,
)
from domain.integrations.dispatch import Render, dispatch_batch
from domain.shared.jobs import JobRun, JobTask

logger = logging.getLogger("pressroom.webhooks")


class WebhookWorker:
    """The dispatch loop: wakes on new events (and every `poll_interval_s`, for events another
    process committed while this one's cursor turn was taken)."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        render: Render,
        *,
        hub: EventHub | None = None,
        poll_interval_s: float = 1.0,
    ) -> None:
        self.sessions = sessions
        self.render = render
        self.hub = hub
        self.poll_interval_s = poll_interval_s
        self._wake = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        self._tasks.append(asyncio.create_task(self._dispatch_loop(), name="webhook-dispatch"))
        if self.hub is not None:
            self._tasks.append(asyncio.create_task(self._listen(self.hub), name="webhook-wake"))

    async def stop(self) -> None:
        for task in self._tasks:
            await cancel_and_wait(task)
        self._tasks.clear()

    async def _listen(self, hub: EventHub) -> None:
        while True:
            with contextlib.suppress(SubscriberTooSlow):
                async for _ in hub.subscribe(lambda event: True):
                    self._wake.set()

    async def _dispatch_loop(self) -> None:
        while True:
            try:
                while await self.dispatch_once():
                    pass
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("webhook dispatch failed; retrying")
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.poll_interval_s):
                    await self._wake.wait()
            self._wake.clear()

    async def dispatch_once(self) -> bool:
        """One batch of events into deliveries; True when there may be more."""
        new_batch = getattr(self.render, "new_batch", None)
        if new_batch is not None:
            new_batch()
        uow = SqlUnitOfWork(self.sessions)
        try:
            _, more = await dispatch_batch(uow, self.render)
        finally:
            await uow.close()
        return more


class DeliverWebhook:
    """The `webhook.deliver` job: for each of its webhooks (up to `parallel` at once), sends the
    due deliveries oldest first, until one fails (its retry is deferred to its backoff time) or
    none is left. One job per batch of events, not per webhook: with a thousand webhooks the
    queue's own cost per job would otherwise be most of the work (bench/webhooks.py)."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        sender: WebhookSender,
        policy: DeliveryPolicy,
        *,
        parallel: int = 16,
    ) -> None:
        self.sessions = sessions
        self.sender = sender
        self.policy = policy
        self.parallel = parallel

    async def __call__(self, run: JobRun, payload: dict[str, Any]) -> None:
        ids = [int(i) for i in payload.get("webhookIds") or [payload["webhookId"]]]
        slots = asyncio.Semaphore(self.parallel)
        async with self.sender.client() as client:

            async def drain(webhook_id: int) -> None:
                async with slots:
                    while await self._attempt(client, webhook_id):
                        pass

            results = await asyncio.gather(*(drain(i) for i in ids), return_exceptions=True)
        failures = [r for r in results if isinstance(r, BaseException)]
        if failures:
            # Each webhook's state is in its rows: running the whole job again is harmless.
            raise failures[0]

    async def _attempt(self, client: Any, webhook_id: int) -> bool:
        """One attempt of the webhook's next delivery; True when the next may follow now."""
        uow = SqlUnitOfWork(self.sessions)
        try:
            async with uow:
                claimed = await claim_next(uow, webhook_id)
                if claimed is None:
                    return False
                delivery, hook = claimed
                outcome = await self.sender.send(
                    client,
                    hook.target_url,
                    delivery.msg_id,
                    delivery.payload,
                    signing_secrets(hook),
                )
                await record_attempt(uow, delivery, hook, outcome, self.policy)
                await uow.commit()
        finally:
            await uow.close()
        if not outcome.succeeded:
            logger.info("webhook %s: attempt %s failed", webhook_id, delivery.attempts)
        return outcome.succeeded


def webhook_task(
    sessions: async_sessionmaker[AsyncSession],
    sender: WebhookSender,
    policy: DeliveryPolicy,
    *,
    max_attempts: int = 20,
    backoff_s: float = 5.0,
) -> JobTask:
    """The job queue's task for webhook deliveries. A receiver's failure is not the job's: it
    is recorded and retried by the delivery's own backoff; the queue's retries (`max_attempts`)
    cover a job that broke (database lost mid-attempt)."""
    return JobTask(
        DELIVER_TASK,
        DeliverWebhook(sessions, sender, policy),
        max_attempts=max_attempts,
        backoff_s=backoff_s,
    )
