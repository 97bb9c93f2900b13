"""From a committed event to messages: the two background jobs of the notification area.

1. ``notifications.dispatch`` (one per followed event, deferred with the event's outbox row;
   domain/events/followers.py): finds the kinds the event sets off (kinds.py), their recipients
   (recipients.py) and each recipient's channels (preferences.py), and writes one
   `Notification` row per kind, recipient and channel. The row is unique per event, kind,
   recipient and channel, so running the job again (a retry, a replay of the event) adds
   nothing and defers nothing twice.
2. ``notifications.deliver`` (one per row, idempotency key ``notification:<event>:<kind>:
   <recipient>:<channel>``): renders the row's template in the recipient's language for the
   order's channel and sends it: e-mail into the mail outbox (whose own job talks to SMTP, with
   its retries), SMS through the `SmsSender` port. A row that is already sent is skipped.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert

from domain.events.models import Event
from domain.notifications.defaults import default_text
from domain.notifications.kinds import NotificationEvent, NotificationKind, kinds_for
from domain.notifications.models import Notification
from domain.notifications.preferences import choices_for
from domain.notifications.recipients import Recipient, recipients_of
from domain.notifications.rendering import RenderedMessage, render
from domain.notifications.sms import SmsMessage, SmsSender
from domain.notifications.templates import effective_template
from domain.orders.models import Order
from domain.shared.errors import DomainError
from domain.shared.models import utcnow
from domain.shared.uow import UnitOfWork

logger = logging.getLogger("pressroom.notifications")

DISPATCH_TASK = "notifications.dispatch"
DELIVER_TASK = "notifications.deliver"
EMAIL, SMS = "EMAIL", "SMS"


async def _channel_of(uow: UnitOfWork, payload: dict[str, Any]) -> int | None:
    """The sales channel (brand) the event happened in: an order's, or one the event names
    (quotes carry their ``channelId``)."""
    order_id = payload.get("orderId")
    if not isinstance(order_id, int):
        named = payload.get("channelId")
        return named if isinstance(named, int) else None
    channel_id: int | None = await uow.scalar(select(Order.channel_id).where(Order.id == order_id))
    return channel_id


async def _channels(
    uow: UnitOfWork, kind: NotificationKind, company_id: int | None, people: list[Recipient]
) -> list[tuple[Recipient, str, str]]:
    """(recipient, channel, address) for everyone who wants ``kind`` on that channel."""
    users = [r.user_id for r in people if r.user_id is not None]
    chosen = await choices_for(uow, company_id, kind.event, users) if company_id and users else {}
    out = []
    for r in people:
        email, sms = chosen.get(r.user_id, (True, False)) if r.user_id else (True, False)
        if email and r.email:
            out.append((r, EMAIL, r.email))
        if sms and r.phone:
            out.append((r, SMS, r.phone))
    return out


def delivery_key(event_id: int, kind: str, recipient: str, channel: str) -> str:
    return f"notification:{event_id}:{kind}:{recipient}:{channel}"


async def dispatch_event(uow: UnitOfWork, event_id: int, staff_address: str | None) -> int:
    """The ``notifications.dispatch`` job: one row and one delivery job per kind, recipient
    and channel the event calls for. Returns how many new rows it wrote."""
    written = 0
    async with uow:
        event = await uow.session.get(Event, event_id)
        if event is None:
            return 0
        channel_id = await _channel_of(uow, event.payload)
        for kind in kinds_for(event.topic, event.payload):
            people = await recipients_of(uow, kind, event.company_id, event.payload, staff_address)
            for person, channel, address in await _channels(uow, kind, event.company_id, people):
                values = {
                    "event_id": event.id,
                    "kind": kind.event.value,
                    "recipient": person.key,
                    "channel": channel,
                    "company_id": event.company_id,
                    "channel_id": channel_id,
                    "address": address,
                    "language": person.language,
                    "context": {"recipient": {"name": person.name}, "event": event.payload},
                }
                new_id = await uow.scalar(
                    insert(Notification)
                    .values(**values)
                    .on_conflict_do_nothing(constraint="uq_notification_delivery")
                    .returning(Notification.id)
                )
                if new_id is None:
                    continue  # written by an earlier run: its job exists already
                written += 1
                await uow.jobs.defer(
                    DELIVER_TASK,
                    {"notification_id": new_id},
                    idempotency_key=delivery_key(event.id, kind.event.value, person.key, channel),
                )
        await uow.commit()
    return written


async def _render(uow: UnitOfWork, row: Notification) -> RenderedMessage:
    event = NotificationEvent(row.kind)
    template = await effective_template(uow, event, row.language, row.channel_id)
    try:
        return render(template.text, row.context)
    except DomainError:
        if template.is_default:
            raise
        # An edited template that does not fit this event (it rendered with the sample when
        # saved): the customer still hears, in the built-in words.
        logger.warning("template %s/%s failed for notification %s", row.kind, row.language, row.id)
        return render(default_text(event, row.language), row.context)


async def deliver_notification(
    uow: UnitOfWork, notification_id: int, sms: SmsSender, *, final: bool
) -> None:
    """The ``notifications.deliver`` job: sends one row once (skipped once sent)."""
    async with uow:
        row = await uow.session.get(Notification, notification_id, with_for_update=True)
        if row is None or row.sent_at is not None:
            return
        message = await _render(uow, row)
        if row.channel == EMAIL:
            uow.send_mail(
                row.address, message.subject, message.body_text, body_html=message.body_html
            )
        else:
            text = message.sms_text or message.subject
            reference = delivery_key(row.event_id, row.kind, row.recipient, row.channel)
            try:
                await sms.send(SmsMessage(row.address, text, reference))
            except Exception as exc:
                row.attempts += 1
                row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
                log = logger.warning if final else logger.info
                log("sms notification %s failed (attempt %s): %s", row.id, row.attempts, exc)
                await uow.commit()
                raise
        row.attempts += 1
        row.sent_at = utcnow()
        row.last_error = None
        await uow.commit()
