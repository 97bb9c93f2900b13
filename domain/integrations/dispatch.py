"""Turning committed events into webhook deliveries, each event once per webhook.

Event ids become visible in commit order (the outbox is written under one advisory lock), so
"every event after the cursor" is complete. The cursor is one row: whoever holds its lock
dispatches the next batch and advances it in the same transaction as the deliveries it made,
so a crash repeats a batch rather than losing one, and the unique (webhook, event) pair keeps
the repeat from making a second delivery.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.dialects.postgresql import insert

from domain.events.models import Event
from domain.events.ports import StoredEvent
from domain.integrations.delivery import schedule_delivery
from domain.integrations.models import (
    ApiKey,
    DeliveryKind,
    Webhook,
    WebhookCursor,
    WebhookDelivery,
)
from domain.integrations.webhooks import new_msg_id
from domain.shared.models import utcnow
from domain.shared.uow import UnitOfWork

# What one webhook receives for one event (the document's data), or None: nothing for it.
Render = Callable[[Webhook, ApiKey, StoredEvent], Awaitable[dict[str, Any] | None]]


async def _lock_cursor(uow: UnitOfWork) -> WebhookCursor | None:
    await uow.session.execute(
        insert(WebhookCursor).values(id=1, last_event_id=0).on_conflict_do_nothing()
    )
    cursor: WebhookCursor | None = await uow.scalar(
        select(WebhookCursor).where(WebhookCursor.id == 1).with_for_update(skip_locked=True)
    )
    return cursor


async def dispatch_batch(
    uow: UnitOfWork, render: Render, *, batch: int = 200
) -> tuple[list[int], bool]:
    """Makes the deliveries of the next batch of events. Returns the webhooks that got one,
    and whether more events may be waiting (False also when another process holds the
    cursor: it dispatches them)."""
    async with uow:
        cursor = await _lock_cursor(uow)
        if cursor is None:
            await uow.rollback()
            return [], False
        events: Sequence[Event] = await uow.scalars(
            select(Event).where(Event.id > cursor.last_event_id).order_by(Event.id).limit(batch)
        )
        if not events:
            await uow.commit()
            return [], False
        hooks = (
            await uow.session.execute(
                select(Webhook, ApiKey)
                .join(ApiKey, ApiKey.id == Webhook.api_key_id)
                .where(Webhook.is_active.is_(True), ApiKey.revoked_at.is_(None))
                .order_by(Webhook.id)
            )
        ).all()
        rows: list[dict[str, Any]] = []
        made: set[int] = set()
        for event in events:
            stored = StoredEvent(event.id, event.topic, event.company_id, event.payload)
            for hook, key in hooks:
                if event.id <= hook.after_event_id:
                    continue
                payload = await render(hook, key, stored)
                if payload is not None:
                    made.add(hook.id)
                    rows.append(
                        {
                            "webhook_id": hook.id,
                            "company_id": hook.company_id,
                            "event_id": event.id,
                            "kind": DeliveryKind.EVENT,
                            "msg_id": new_msg_id(),
                            "payload": payload,
                            "next_attempt_at": utcnow(),
                        }
                    )
        if rows:
            await uow.session.execute(
                insert(WebhookDelivery)
                .values(rows)
                .on_conflict_do_nothing(index_elements=["webhook_id", "event_id"])
            )
        await schedule_delivery(uow, sorted(made))
        cursor.last_event_id = events[-1].id
        await uow.commit()
        return sorted(made), len(events) == batch


async def cursor_position(uow: UnitOfWork) -> int:
    value = await uow.scalar(text("SELECT last_event_id FROM webhook_cursor WHERE id = 1"))
    return int(value or 0)
