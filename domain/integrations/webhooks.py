"""Webhooks: a target URL and a subscription document, owned by an API key.

The document is checked against the API when saved (one subscription operation whose root
field the key may call); each event is run through it with the key's rights (server/
webhook_runs.py), so a webhook never sees more than its owner. The target URL is checked for
SSRF when saved and again before each request (adapters/webhook_http.py).
"""

from __future__ import annotations

import base64
import datetime as dt
import secrets
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, false, select, true, update

from domain.accounts.viewer import Viewer
from domain.events.models import Event
from domain.integrations.api_keys import key_scope, may_manage_keys
from domain.integrations.delivery import schedule_delivery
from domain.integrations.errors import IntegrationErrorCode
from domain.integrations.models import (
    ApiKey,
    DeliveryKind,
    DeliveryStatus,
    Webhook,
    WebhookDelivery,
)
from domain.shared.errors import DomainError, ErrorCollector
from domain.shared.models import utcnow
from domain.shared.unset import UNSET, Unset
from domain.shared.uow import UnitOfWork

# The subscription field a document runs, or the errors that make it unusable for this key.
DocumentCheck = Callable[[str, Viewer], tuple[str | None, list[str]]]
# None when the URL may be called, else why not (scheme, host, SSRF).
TargetCheck = Callable[[str], Awaitable[str | None]]
SECRET_PREFIX = "whsec_"
MAX_DOCUMENT_CHARS = 10_000
DEFAULT_SECRET_OVERLAP = dt.timedelta(hours=24)


def new_webhook_secret() -> str:
    """A Standard Webhooks secret: `whsec_` and 32 random bytes in base64."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def new_msg_id() -> str:
    return "msg_" + uuid.uuid4().hex


def webhook_scope(viewer: Viewer) -> ColumnElement[bool]:
    """Webhooks a viewer may see and change: those of its own key (a key viewer), or those of
    every key the viewer manages."""
    if viewer.is_api_key:
        return Webhook.api_key_id == viewer.api_key_id
    if not may_manage_keys(viewer):
        return false()
    if viewer.is_staff:
        return true()
    return Webhook.company_id == viewer.company_id


@dataclass(frozen=True, slots=True)
class WebhookSave:
    name: str | Unset = UNSET
    target_url: str | Unset = UNSET
    document: str | Unset = UNSET
    is_active: bool | Unset = UNSET


async def _check(
    cmd: WebhookSave, owner: Viewer, check_document: DocumentCheck, check_target: TargetCheck
) -> str | None:
    errors = ErrorCollector()
    field_name = None
    if cmd.name is not UNSET:
        if not cmd.name.strip():
            errors.add(IntegrationErrorCode.REQUIRED, "Give the webhook a name.", "name")
        elif len(cmd.name) > 120:
            errors.add(IntegrationErrorCode.INVALID, "At most 120 characters.", "name")
    if cmd.target_url is not UNSET:
        problem = (
            await check_target(cmd.target_url)
            if len(cmd.target_url) <= 2000
            else "At most 2,000 characters."
        )
        if problem is not None:
            errors.add(IntegrationErrorCode.FORBIDDEN_TARGET, problem, "targetUrl")
    if cmd.document is not UNSET:
        if len(cmd.document) > MAX_DOCUMENT_CHARS:
            errors.add(
                IntegrationErrorCode.INVALID_DOCUMENT,
                f"At most {MAX_DOCUMENT_CHARS} characters.",
                "document",
            )
        else:
            field_name, problems = check_document(cmd.document, owner)
            for problem in problems:
                errors.add(IntegrationErrorCode.INVALID_DOCUMENT, problem, "document")
    errors.raise_if_any()
    return field_name


async def _key_for_webhook(uow: UnitOfWork, viewer: Viewer, key_id: int | None) -> ApiKey:
    """The key a new webhook belongs to: the calling key itself, or one the viewer manages."""
    if viewer.is_api_key:
        key_id = viewer.api_key_id
        scope: ColumnElement[bool] = true()
    else:
        scope = key_scope(viewer)
    key: ApiKey | None = await uow.scalar(
        select(ApiKey).where(ApiKey.id == key_id, scope, ApiKey.revoked_at.is_(None))
    )
    if key is None:
        raise DomainError.single(IntegrationErrorCode.NOT_FOUND, "API key not found.", "apiKeyId")
    return key


async def webhook_create(
    uow: UnitOfWork,
    viewer: Viewer,
    key_id: int | None,
    cmd: WebhookSave,
    owner_of: Callable[[ApiKey], Awaitable[Viewer | None]],
    check_document: DocumentCheck,
    check_target: TargetCheck,
) -> Webhook:
    """An API key with MANAGE_WEBHOOKS (for itself), a company's user manager (for a key of
    the company) or a staff ADMIN (any key). The document is checked with the key's rights;
    events from now on are delivered."""
    if cmd.target_url is UNSET or cmd.document is UNSET:
        raise DomainError.single(IntegrationErrorCode.REQUIRED, "Give a URL and a document.")
    async with uow:
        key = await _key_for_webhook(uow, viewer, key_id)
        owner = await owner_of(key)
        if owner is None:
            raise DomainError.single(
                IntegrationErrorCode.REVOKED, "This key's owner can no longer sign in.", "apiKeyId"
            )
        field_name = await _check(cmd, owner, check_document, check_target)
        last_event = await uow.scalar(select(Event.id).order_by(Event.id.desc()).limit(1))
        hook = Webhook(
            api_key_id=key.id,
            company_id=key.company_id,
            name=(cmd.name if isinstance(cmd.name, str) else "").strip() or "Webhook",
            target_url=cmd.target_url,
            document=cmd.document,
            field_name=field_name or "",
            is_active=cmd.is_active if isinstance(cmd.is_active, bool) else True,
            secret=new_webhook_secret(),
            after_event_id=int(last_event or 0),
        )
        uow.session.add(hook)
        await uow.session.flush()
        await uow.commit()
        return hook


async def get_webhook(uow: UnitOfWork, viewer: Viewer, webhook_id: int, *, lock: bool) -> Webhook:
    stmt = select(Webhook).where(Webhook.id == webhook_id, webhook_scope(viewer))
    hook: Webhook | None = await uow.scalar(stmt.with_for_update() if lock else stmt)
    if hook is None:
        raise DomainError.single(IntegrationErrorCode.NOT_FOUND, "Webhook not found.", "id")
    return hook


async def webhook_update(
    uow: UnitOfWork,
    viewer: Viewer,
    webhook_id: int,
    cmd: WebhookSave,
    owner_of: Callable[[ApiKey], Awaitable[Viewer | None]],
    check_document: DocumentCheck,
    check_target: TargetCheck,
) -> Webhook:
    """Same rights as webhookCreate. Turning a webhook on again clears its failure streak."""
    async with uow:
        hook = await get_webhook(uow, viewer, webhook_id, lock=True)
        key = await uow.session.get(ApiKey, hook.api_key_id)
        owner = await owner_of(key) if key is not None else None
        if owner is None:
            raise DomainError.single(
                IntegrationErrorCode.REVOKED, "This webhook's key is revoked.", "id"
            )
        field_name = await _check(cmd, owner, check_document, check_target)
        if isinstance(cmd.name, str):
            hook.name = cmd.name.strip()
        if isinstance(cmd.target_url, str):
            hook.target_url = cmd.target_url
        if isinstance(cmd.document, str):
            hook.document = cmd.document
            hook.field_name = field_name or ""
        if isinstance(cmd.is_active, bool):
            if cmd.is_active and not hook.is_active:
                hook.failure_streak = 0
                hook.disabled_reason = None
                await schedule_delivery(uow, hook.id)  # what waited while it was off
            hook.is_active = cmd.is_active
        await uow.commit()
        return hook


async def webhook_delete(uow: UnitOfWork, viewer: Viewer, webhook_id: int) -> int:
    """Same rights as webhookCreate. Its deliveries and their log go with it."""
    async with uow:
        hook = await get_webhook(uow, viewer, webhook_id, lock=True)
        await uow.session.delete(hook)
        await uow.commit()
        return webhook_id


async def webhook_secret_rotate(
    uow: UnitOfWork, viewer: Viewer, webhook_id: int, overlap: dt.timedelta | None
) -> Webhook:
    """Same rights as webhookCreate. A new signing secret; for `overlap` (default 24 hours)
    every message is signed with the old one too, so receivers can switch without a gap."""
    async with uow:
        hook = await get_webhook(uow, viewer, webhook_id, lock=True)
        overlap = DEFAULT_SECRET_OVERLAP if overlap is None else overlap
        if overlap.total_seconds() < 0 or overlap > dt.timedelta(days=7):
            raise DomainError.single(
                IntegrationErrorCode.INVALID, "Between 0 and 7 days.", "overlapSeconds"
            )
        hook.previous_secret = hook.secret if overlap else None
        hook.previous_secret_until = utcnow() + overlap if overlap else None
        hook.secret = new_webhook_secret()
        await uow.commit()
        return hook


async def webhook_ping(uow: UnitOfWork, viewer: Viewer, webhook_id: int) -> WebhookDelivery:
    """Same rights as webhookCreate. Queues a test message (`{"ping": ...}`), delivered like
    any other, even to an inactive webhook."""
    async with uow:
        hook = await get_webhook(uow, viewer, webhook_id, lock=False)
        delivery = WebhookDelivery(
            webhook_id=hook.id,
            company_id=hook.company_id,
            kind=DeliveryKind.PING,
            msg_id=new_msg_id(),
            payload={"ping": {"webhookId": hook.id, "at": utcnow().isoformat()}},
            next_attempt_at=utcnow(),
        )
        uow.session.add(delivery)
        await uow.session.flush()
        await schedule_delivery(uow, hook.id)
        await uow.commit()
        return delivery


def deliveries_query(
    viewer: Viewer, webhook_id: int, status: DeliveryStatus | None
) -> Select[WebhookDelivery]:
    """The delivery log of one webhook, newest first (empty for anyone who may not see it)."""
    stmt = (
        select(WebhookDelivery)
        .join(Webhook, Webhook.id == WebhookDelivery.webhook_id)
        .where(WebhookDelivery.webhook_id == webhook_id, webhook_scope(viewer))
        .order_by(WebhookDelivery.id.desc())
    )
    return stmt if status is None else stmt.where(WebhookDelivery.status == status)


def webhooks_query(viewer: Viewer) -> Select[Webhook]:
    return select(Webhook).where(webhook_scope(viewer)).order_by(Webhook.id)


async def webhook_delivery_replay(
    uow: UnitOfWork, viewer: Viewer, delivery_id: int
) -> WebhookDelivery:
    """Same rights as webhookCreate. Sends a delivery again (same `webhook-id` and body); it
    takes its place among the webhook's pending deliveries by age."""
    async with uow:
        delivery: WebhookDelivery | None = await uow.scalar(
            select(WebhookDelivery)
            .join(Webhook, Webhook.id == WebhookDelivery.webhook_id)
            .where(WebhookDelivery.id == delivery_id, webhook_scope(viewer))
            .with_for_update(of=WebhookDelivery)
        )
        if delivery is None:
            raise DomainError.single(IntegrationErrorCode.NOT_FOUND, "Delivery not found.", "id")
        delivery.status = DeliveryStatus.PENDING
        delivery.next_attempt_at = utcnow()
        await schedule_delivery(uow, delivery.webhook_id)
        await uow.commit()
        return delivery


async def webhook_deliveries_replay(
    uow: UnitOfWork, viewer: Viewer, webhook_id: int, since: dt.datetime
) -> Sequence[int]:
    """Same rights as webhookCreate. Every FAILED delivery of the webhook made since `since`
    is sent again, oldest first. Returns their ids."""
    async with uow:
        hook = await get_webhook(uow, viewer, webhook_id, lock=True)
        ids = await uow.scalars(
            update(WebhookDelivery)
            .where(
                WebhookDelivery.webhook_id == hook.id,
                WebhookDelivery.status == DeliveryStatus.FAILED,
                WebhookDelivery.created_at >= since,
            )
            .values(status=DeliveryStatus.PENDING, next_attempt_at=utcnow())
            .returning(WebhookDelivery.id)
        )
        if ids:
            await schedule_delivery(uow, hook.id)
        await uow.commit()
        return sorted(ids)
