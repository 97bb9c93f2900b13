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
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.db import SqlUnitOfWork
from adapters.events import EventHub, SubscriberTooSlow, cancel_and_wait
from adapters.webhook_http import WebhookSender
from domain.integrations.delivery import DELIVER_TASK, DeliveryPolicy, Outcome
from domain.integrations.delivery_rounds import Head, claim_heads, record_round
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
    """The `webhook.deliver` job: sends its webhooks' due deliveries, each webhook's oldest
    first, until one fails (its retry is deferred to its backoff time) or none is left.

    In rounds (domain/integrations/delivery_rounds.py): the webhooks are split into chunks of
    `batch`; a round claims the head delivery of every webhook of a chunk with one statement,
    sends them at once over one pooled HTTP client (at most `in_flight` requests of the job at
    a time), records the outcomes and commits, then the webhooks that succeeded go on to their
    next delivery. Up to `parallel` chunks run at once.
    One job per batch of events, not per webhook: with a thousand webhooks the queue's own cost
    per job, and a transaction per delivery, would otherwise be most of the work
    (bench/webhooks.py). A slow receiver holds its round's commit up to the request timeout."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        sender: WebhookSender,
        policy: DeliveryPolicy,
        *,
        batch: int = 50,
        parallel: int = 4,
        in_flight: int = 32,
    ) -> None:
        self.sessions = sessions
        self.sender = sender
        self.policy = policy
        self.batch = batch
        self.parallel = parallel
        self.in_flight = in_flight

    async def __call__(self, run: JobRun, payload: dict[str, Any]) -> None:
        ids = sorted({int(i) for i in payload.get("webhookIds") or [payload["webhookId"]]})
        chunks = [ids[i : i + self.batch] for i in range(0, len(ids), self.batch)]
        slots = asyncio.Semaphore(self.parallel)
        sending = asyncio.Semaphore(self.in_flight)

        async def send(client: Any, h: Head) -> Outcome:
            async with sending:
                return await self.sender.send(client, h.target_url, h.msg_id, h.payload, h.secrets)

        async with self.sender.client() as client:

            async def drain(chunk: list[int]) -> None:
                async with slots:
                    while chunk:
                        chunk = await self._round(client, chunk, send)

            results = await asyncio.gather(*(drain(c) for c in chunks), return_exceptions=True)
        failures = [r for r in results if isinstance(r, BaseException)]
        if failures:
            # Each webhook's state is in its rows: running the whole job again is harmless.
            raise failures[0]

    async def _round(
        self,
        client: Any,
        webhook_ids: list[int],
        send: Callable[[Any, Head], Awaitable[Outcome]],
    ) -> list[int]:
        """One attempt of each webhook's head delivery; returns the webhooks whose next
        delivery may follow now."""
        uow = SqlUnitOfWork(self.sessions)
        try:
            async with uow:
                heads = await claim_heads(uow, webhook_ids)
                if not heads:
                    return []
                outcomes = await asyncio.gather(*(send(client, h) for h in heads))
                results = list(zip(heads, outcomes, strict=True))
                succeeded = await record_round(uow, results, self.policy)
                await uow.commit()
        finally:
            await uow.close()
        for head, outcome in results:
            if not outcome.succeeded:
                logger.info("webhook %s: attempt %s failed", head.webhook_id, head.attempts + 1)
        return succeeded


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
