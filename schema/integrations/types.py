"""API keys, webhooks and the delivery log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TypeAlias

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from domain.accounts.rights import Right as DomainRight
from domain.integrations import models as im
from domain.integrations.errors import IntegrationErrorCode
from domain.integrations.scopes import ApiKeyScope
from schema.accounts.enums import Right
from schema.context import Info
from schema.core import UserError

IntegrationErrorCodeEnum = strawberry.enum(IntegrationErrorCode, name="IntegrationErrorCode")
ApiKeyScopeEnum: TypeAlias = ApiKeyScope
strawberry.enum(
    ApiKeyScopeEnum, name="ApiKeyScope", description="Areas of the API a shop key may call."
)
DeliveryStatusEnum = strawberry.enum(im.DeliveryStatus, name="WebhookDeliveryStatus")
DeliveryKindEnum = strawberry.enum(im.DeliveryKind, name="WebhookDeliveryKind")


@strawberry.type(description="A failure of an API key or webhook mutation.")
class IntegrationError(UserError):
    code: IntegrationErrorCodeEnum  # type: ignore[valid-type]


def _pks(node_ids: Iterable[str]) -> list[int]:
    pks = []
    for raw in node_ids:
        try:
            pks.append(int(raw))
        except ValueError:
            pks.append(-1)
    return pks


@strawberry.type(
    description="A machine client's key. A company's key acts as the user who made it with at "
    "most the key's rights; a shop key as its staff member within its scopes."
)
class ApiKey(relay.Node):
    id: relay.NodeID[int]
    name: str
    secret_hint: str = strawberry.field(description="The start of the secret, to recognise it.")
    rights: list[Right] = strawberry.field(description="A company's key: the rights it holds.")
    scopes: list[ApiKeyScopeEnum] = strawberry.field(
        description="A shop key: the API scopes it may call."
    )
    created_at: dt.datetime
    rotated_at: dt.datetime | None
    revoked_at: dt.datetime | None
    last_used_at: dt.datetime | None = strawberry.field(
        description="When it last authenticated a request (to the minute)."
    )

    @classmethod
    def from_model(cls, k: im.ApiKey) -> ApiKey:
        return cls(
            id=k.id,
            name=k.name,
            secret_hint=k.secret_hint,
            rights=[DomainRight(r) for r in k.rights if r in DomainRight.__members__],
            scopes=[ApiKeyScope(x) for x in k.scopes if x in ApiKeyScope.__members__],
            created_at=k.created_at,
            rotated_at=k.rotated_at,
            revoked_at=k.revoked_at,
            last_used_at=k.last_used_at,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[ApiKey | None]:
        rows = await info.context.loaders.integrations.api_key.load_many(_pks(node_ids))
        return [cls.from_model(r) if r is not None else None for r in rows]


@strawberry.type(description="One HTTP request made for a delivery.")
class WebhookAttempt:
    attempt: int
    request_headers: JSON = strawberry.field(description="Sent headers, without the signature.")
    response_status: int | None
    response_excerpt: str | None = strawberry.field(description="The answer's first 2,000 chars.")
    error: str | None = strawberry.field(description="Why no answer came (timeout, refused).")
    duration_ms: int
    succeeded: bool
    created_at: dt.datetime


@strawberry.type(description="One message to a webhook, with every attempt made to send it.")
class WebhookDelivery(relay.Node):
    id: relay.NodeID[int]
    msg_id: str = strawberry.field(description="Its `webhook-id` header (same on every attempt).")
    kind: DeliveryKindEnum  # type: ignore[valid-type]
    event_id: int | None
    status: DeliveryStatusEnum  # type: ignore[valid-type]
    payload: JSON = strawberry.field(description="The body sent: what the document selected.")
    attempt_count: int
    next_attempt_at: dt.datetime | None
    created_at: dt.datetime

    @strawberry.field(description="The delivery log, oldest first.")
    async def attempts(self, info: Info) -> list[WebhookAttempt]:
        rows = await info.context.loaders.integrations.attempts.load(self.id)
        return [
            WebhookAttempt(
                attempt=a.attempt,
                request_headers=JSON(a.request_headers),
                response_status=a.response_status,
                response_excerpt=a.response_excerpt,
                error=a.error,
                duration_ms=a.duration_ms,
                succeeded=a.succeeded,
                created_at=a.created_at,
            )
            for a in rows
        ]

    @classmethod
    def from_model(cls, d: im.WebhookDelivery) -> WebhookDelivery:
        pending = d.status is im.DeliveryStatus.PENDING
        return cls(
            id=d.id,
            msg_id=d.msg_id,
            kind=d.kind,
            event_id=d.event_id,
            status=d.status,
            payload=JSON(d.payload),
            attempt_count=d.attempts,
            next_attempt_at=d.next_attempt_at if pending else None,
            created_at=d.created_at,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[WebhookDelivery | None]:
        rows = await info.context.loaders.integrations.delivery.load_many(_pks(node_ids))
        return [cls.from_model(r) if r is not None else None for r in rows]


@strawberry.type(
    description="Events delivered to a URL as what a subscription document selects, run "
    "with the rights of the webhook's API key; signed per Standard Webhooks."
)
class Webhook(relay.Node):
    id: relay.NodeID[int]
    name: str
    target_url: str
    document: str
    is_active: bool
    disabled_reason: str | None = strawberry.field(
        description="Why it was turned off automatically (a long failure streak)."
    )
    failure_streak: int = strawberry.field(description="Failed attempts in a row.")
    created_at: dt.datetime
    api_key_id: strawberry.Private[int]

    @strawberry.field(description="The key it runs as.")
    async def api_key(self, info: Info) -> ApiKey | None:
        row = await info.context.loaders.integrations.api_key.load(self.api_key_id)
        return ApiKey.from_model(row) if row is not None else None

    @classmethod
    def from_model(cls, w: im.Webhook) -> Webhook:
        return cls(
            id=w.id,
            name=w.name,
            target_url=w.target_url,
            document=w.document,
            is_active=w.is_active,
            disabled_reason=w.disabled_reason,
            failure_streak=w.failure_streak,
            created_at=w.created_at,
            api_key_id=w.api_key_id,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Webhook | None]:
        rows = await info.context.loaders.integrations.webhook.load_many(_pks(node_ids))
        return [cls.from_model(r) if r is not None else None for r in rows]


@strawberry.input
class ApiKeyCreateInput:
    name: str
    rights: list[Right] = strawberry.field(
        default_factory=list, description="A company's key: rights it holds (at most yours)."
    )
    scopes: list[ApiKeyScopeEnum] = strawberry.field(
        default_factory=list, description="A shop key: the API areas it may call."
    )


@strawberry.type
class ApiKeyPayload:
    api_key: ApiKey | None = None
    secret: str | None = strawberry.field(
        default=None,
        description="Shown this once (create and rotate): send it as `Authorization: Bearer`.",
    )
    errors: list[IntegrationError] = strawberry.field(default_factory=list)


@strawberry.input
class WebhookCreateInput:
    api_key_id: relay.GlobalID | None = strawberry.field(
        default=None, description="The key it runs as; omit when a key calls this for itself."
    )
    name: str = "Webhook"
    target_url: str
    document: str = strawberry.field(
        description="One subscription operation, e.g. `subscription { orderStatusChanged "
        "{ status order { number } } }`."
    )
    is_active: bool = True


@strawberry.input
class WebhookUpdateInput:
    id: relay.GlobalID
    name: str | None = None
    target_url: str | None = None
    document: str | None = None
    is_active: bool | None = None


@strawberry.type
class WebhookPayload:
    webhook: Webhook | None = None
    secret: str | None = strawberry.field(
        default=None,
        description="The signing secret (`whsec_...`), shown on create and rotate only.",
    )
    errors: list[IntegrationError] = strawberry.field(default_factory=list)


@strawberry.type
class WebhookDeletePayload:
    deleted_id: relay.GlobalID | None = None
    errors: list[IntegrationError] = strawberry.field(default_factory=list)


@strawberry.type
class WebhookDeliveryPayload:
    delivery: WebhookDelivery | None = None
    errors: list[IntegrationError] = strawberry.field(default_factory=list)


@strawberry.type
class WebhookDeliveriesReplayPayload:
    replayed: int = 0
    errors: list[IntegrationError] = strawberry.field(default_factory=list)
