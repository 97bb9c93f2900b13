"""Webhook deliveries in rounds: the heads (oldest pending delivery) of many webhooks claimed
with one statement, attempted together, and their successes recorded with three.

Same guarantees as one delivery at a time (domain/integrations/delivery.py): only a webhook's
head is ever attempted, locked (SKIP LOCKED: a head another job holds is left to that job, and
so is everything behind it) from the claim to the commit that records the outcome, so each
webhook's deliveries go out in order and a crash before that commit repeats the attempt with
the same `webhook-id` (at least once). What a round saves is round trips: with a thousand
webhooks, a transaction per delivery was most of the cost (bench/webhooks.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ARRAY, BigInteger, and_, any_, bindparam, func, insert, or_, select, update
from sqlalchemy.orm import aliased

from domain.integrations.delivery import DeliveryPolicy, Outcome, record_attempt
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
class Head:
    """A claimed delivery and what sending it needs."""

    delivery_id: int
    webhook_id: int
    kind: DeliveryKind
    msg_id: str
    payload: dict[str, Any]
    attempts: int  # before this attempt
    target_url: str
    secrets: tuple[str, ...]  # the current secret, and the previous one while it overlaps


_IDS = bindparam("ids", type_=ARRAY(BigInteger))
_older = aliased(WebhookDelivery)
_HEAD_ID = (
    select(func.min(_older.id))
    .where(_older.webhook_id == WebhookDelivery.webhook_id, _older.status == DeliveryStatus.PENDING)
    .scalar_subquery()
)
_HEADS = (
    select(
        WebhookDelivery.id,
        WebhookDelivery.webhook_id,
        WebhookDelivery.kind,
        WebhookDelivery.msg_id,
        WebhookDelivery.payload,
        WebhookDelivery.attempts,
        Webhook.target_url,
        Webhook.secret,
        Webhook.previous_secret,
        Webhook.previous_secret_until,
    )
    .join(Webhook, Webhook.id == WebhookDelivery.webhook_id)
    .join(ApiKey, and_(ApiKey.id == Webhook.api_key_id, ApiKey.revoked_at.is_(None)))
    .where(
        WebhookDelivery.webhook_id == any_(_IDS),
        WebhookDelivery.status == DeliveryStatus.PENDING,
        WebhookDelivery.next_attempt_at <= func.now(),
        or_(Webhook.is_active.is_(True), WebhookDelivery.kind == DeliveryKind.PING),
        WebhookDelivery.id == _HEAD_ID,
    )
    .order_by(WebhookDelivery.webhook_id)
    .with_for_update(of=WebhookDelivery, skip_locked=True)
)


async def claim_heads(uow: UnitOfWork, webhook_ids: Sequence[int]) -> list[Head]:
    """Inside the caller's unit of work: locks and returns the heads of those webhooks that
    may be attempted now (never of a revoked key; a disabled webhook's pings only)."""
    now = utcnow()
    heads = []
    for row in await uow.rows(_HEADS.params(ids=list(webhook_ids))):
        secrets = [row.secret]
        if row.previous_secret and row.previous_secret_until and row.previous_secret_until > now:
            secrets.append(row.previous_secret)
        heads.append(
            Head(
                row.id,
                row.webhook_id,
                DeliveryKind(row.kind),
                row.msg_id,
                row.payload,
                row.attempts,
                row.target_url,
                tuple(secrets),
            )
        )
    return heads


def _attempt_row(head: Head, outcome: Outcome, now: dt.datetime) -> dict[str, Any]:
    return {
        "delivery_id": head.delivery_id,
        "attempt": head.attempts + 1,
        "request_headers": outcome.request_headers,
        "response_status": outcome.status,
        "response_excerpt": outcome.excerpt,
        "error": outcome.error,
        "duration_ms": outcome.duration_ms,
        "succeeded": outcome.succeeded,
        "created_at": now,
    }


async def record_round(
    uow: UnitOfWork, results: Sequence[tuple[Head, Outcome]], policy: DeliveryPolicy
) -> list[int]:
    """Records a round's outcomes (the caller commits); returns the webhooks whose attempt
    succeeded, whose next delivery may follow now. Successes are written together; a failure
    goes through `record_attempt` (backoff, giving up, the failure streak, auto-disable)."""
    now = utcnow()
    done = [(h, o) for h, o in results if o.succeeded]
    if done:
        await uow.session.execute(
            insert(WebhookAttempt), [_attempt_row(h, o, now) for h, o in done]
        )
        await uow.session.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.id == any_(_IDS))
            .values(
                status=DeliveryStatus.SUCCEEDED,
                attempts=WebhookDelivery.attempts + 1,
                last_attempt_at=now,
            )
            .execution_options(synchronize_session=False),
            {"ids": [h.delivery_id for h, _ in done]},
        )
        events = [h.webhook_id for h, _ in done if h.kind is DeliveryKind.EVENT]
        if events:
            await uow.session.execute(
                update(Webhook)
                .where(Webhook.id == any_(_IDS), Webhook.failure_streak != 0)
                .values(failure_streak=0)
                .execution_options(synchronize_session=False),
                {"ids": events},
            )
    for head, outcome in results:
        if outcome.succeeded:
            continue
        delivery = await uow.session.get(WebhookDelivery, head.delivery_id)
        hook = await uow.session.get(Webhook, head.webhook_id)
        assert delivery is not None and hook is not None  # locked by this transaction
        await record_attempt(uow, delivery, hook, outcome, policy)
    return [h.webhook_id for h, _ in done]
