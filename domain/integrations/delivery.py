"""Delivering webhook messages: which one is next, and what an attempt's outcome changes.

Deliveries are rows; sending them is the job queue's `webhook.deliver` job for a webhook
(`schedule_delivery`, the one place deliveries are handed to the queue, in the transaction
that made them due). At least once, in order per webhook: only the oldest PENDING delivery of
a webhook may be attempted (it is claimed with its row locked, so no other job takes it or
anything after it: domain/integrations/delivery_rounds.py), and it stays the oldest until it
succeeds or is given up. A failed attempt
is retried with exponential backoff (a job deferred to its time); after `max_attempts` the
delivery is FAILED (replay sends it again). A webhook whose attempts fail `disable_after` times
in a row is turned off and its owner told by mail.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from domain.accounts.models import PortalUser, StaffUser
from domain.integrations.models import (
    ApiKey,
    DeliveryKind,
    DeliveryStatus,
    Webhook,
    WebhookAttempt,
    WebhookDelivery,
)
from domain.shared.models import utcnow
from domain.shared.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class DeliveryPolicy:
    max_attempts: int = 10
    backoff_base_s: float = 5.0
    backoff_cap_s: float = 6 * 3600.0
    # Failed attempts in a row (over all its deliveries) after which a webhook is turned off.
    disable_after: int = 50

    def backoff(self, attempts: int) -> dt.timedelta:
        """The wait after the `attempts`-th failure: base, 2x base, 4x base ... up to the cap."""
        return dt.timedelta(
            seconds=min(self.backoff_cap_s, self.backoff_base_s * 2 ** (attempts - 1))
        )


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one HTTP request for a delivery came back with."""

    request_headers: dict[str, str]
    status: int | None
    excerpt: str | None
    error: str | None
    duration_ms: int

    @property
    def succeeded(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


DELIVER_TASK = "webhook.deliver"


async def schedule_delivery(
    uow: UnitOfWork, webhook_ids: int | Sequence[int], run_at: dt.datetime | None = None
) -> None:
    """Hand webhooks' due deliveries to the job queue (in the caller's transaction): one job
    that sends each webhook's, oldest first, at `run_at` (default now). More than one such job
    for a webhook is harmless: only one at a time gets its oldest delivery."""
    ids = [webhook_ids] if isinstance(webhook_ids, int) else sorted(webhook_ids)
    if ids:
        await uow.jobs.defer(DELIVER_TASK, {"webhookIds": ids}, run_at=run_at)


async def record_attempt(
    uow: UnitOfWork,
    delivery: WebhookDelivery,
    hook: Webhook,
    outcome: Outcome,
    policy: DeliveryPolicy,
) -> None:
    """Log the attempt and move the delivery (and the webhook's failure streak) on."""
    now = utcnow()
    delivery.attempts += 1
    delivery.last_attempt_at = now
    uow.session.add(
        WebhookAttempt(
            delivery_id=delivery.id,
            attempt=delivery.attempts,
            request_headers=outcome.request_headers,
            response_status=outcome.status,
            response_excerpt=outcome.excerpt,
            error=outcome.error,
            duration_ms=outcome.duration_ms,
            succeeded=outcome.succeeded,
        )
    )
    if outcome.succeeded:
        delivery.status = DeliveryStatus.SUCCEEDED
        if delivery.kind is DeliveryKind.EVENT:
            hook.failure_streak = 0
        return
    if delivery.attempts >= policy.max_attempts:
        delivery.status = DeliveryStatus.FAILED
        await schedule_delivery(uow, hook.id)  # the next one in line goes now
    else:
        delivery.next_attempt_at = now + policy.backoff(delivery.attempts)
        await schedule_delivery(uow, hook.id, delivery.next_attempt_at)
    if delivery.kind is DeliveryKind.PING:
        return
    hook.failure_streak += 1
    if hook.is_active and hook.failure_streak >= policy.disable_after:
        hook.is_active = False
        hook.disabled_reason = f"{hook.failure_streak} failed attempts in a row"
        await _tell_owner(uow, hook)


async def _tell_owner(uow: UnitOfWork, hook: Webhook) -> None:
    email = await uow.scalar(
        select(PortalUser.email)
        .join(ApiKey, ApiKey.portal_user_id == PortalUser.id)
        .where(ApiKey.id == hook.api_key_id)
        .union_all(
            select(StaffUser.email)
            .join(ApiKey, ApiKey.staff_user_id == StaffUser.id)
            .where(ApiKey.id == hook.api_key_id)
        )
    )
    if email:
        uow.send_mail(
            email,
            f"Webhook turned off: {hook.name}",
            f"The webhook {hook.name!r} ({hook.target_url}) failed {hook.failure_streak} times "
            "in a row and has been turned off. Its undelivered messages are kept: fix the "
            "receiver, turn the webhook on again (webhookUpdate, isActive: true) and replay "
            "what failed (webhookDeliveriesReplay).",
        )
