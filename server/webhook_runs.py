"""Running webhook documents (checked when saved: resolvers/integrations/webhook_documents.py)
per event as the webhook's API key, through the same subscription resolvers (and tenant
filters) a websocket subscriber of that key would go through. The resolver is handed a stream
holding just the one event; what it yields is the payload, so a webhook never sees what its
owner could not."""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import AsyncIterator
from typing import Any

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.requests import Request

from adapters.db import SqlUnitOfWork
from domain.accounts.viewer import Viewer
from domain.events.ports import EventFilter, StoredEvent
from domain.integrations.api_keys import key_viewer
from domain.integrations.models import ApiKey, Webhook
from resolvers.context import AppServices, RequestContext
from resolvers.integrations.webhook_documents import WEBHOOK_FIELDS


class _OneEvent:
    """An event stream holding one event: what the subscription resolver subscribes to."""

    def __init__(self, event: StoredEvent) -> None:
        self.event = event

    def subscribe(
        self, accept: EventFilter, *, after_id: int | None = None
    ) -> AsyncIterator[StoredEvent]:
        async def one() -> AsyncIterator[StoredEvent]:
            if accept(self.event):
                yield self.event

        return one()


_SCOPE: dict[str, Any] = {
    "type": "http",
    "method": "POST",
    "path": "/webhooks",
    "headers": [],
    "query_string": b"",
    "client": None,
    "server": None,
}


class WebhookRenderer:
    """domain.integrations.dispatch.Render for one schema. Owners are looked up once per batch
    (`new_batch`), so a revoked key or a deactivated owner stops the next batch."""

    def __init__(
        self,
        schema: strawberry.Schema,
        services: AppServices,
        sessions: async_sessionmaker[AsyncSession],
    ) -> None:
        self.schema = schema
        self.services = services
        self.sessions = sessions
        self._owners: dict[int, Viewer | None] = {}
        self._events: dict[int, _OneEvent] = {}
        # Webhooks with the same document and owners who see alike get the same payload for
        # an event: it is made once (a shop with one integration registering many webhooks).
        self._payloads: dict[tuple[Any, ...], dict[str, Any] | None] = {}

    def new_batch(self) -> None:
        self._owners.clear()
        self._events.clear()
        self._payloads.clear()

    async def owner(self, key: ApiKey) -> Viewer | None:
        if key.id not in self._owners:
            uow = SqlUnitOfWork(self.sessions)
            try:
                self._owners[key.id] = await key_viewer(uow, key)
            finally:
                await uow.close()
        return self._owners[key.id]

    async def __call__(
        self, hook: Webhook, key: ApiKey, event: StoredEvent
    ) -> dict[str, Any] | None:
        if event.topic not in WEBHOOK_FIELDS.get(hook.field_name, ()):
            return None
        viewer = await self.owner(key)
        if viewer is None:
            return None
        same = (event.id, hook.document, viewer.scope_key(), viewer.key_scopes)
        if same not in self._payloads:
            self._payloads[same] = await self._run(hook, viewer, event)
        return self._payloads[same]

    async def _run(
        self, hook: Webhook, viewer: Viewer, event: StoredEvent
    ) -> dict[str, Any] | None:
        # One stream object per event: per-event loads are shared between the webhooks whose
        # owners see the event alike (schema/shared_subscriptions.py, EventMemo).
        source = self._events.setdefault(event.id, _OneEvent(event))
        services = dataclasses.replace(self.services, events=source)
        uow = SqlUnitOfWork(self.sessions)
        context = RequestContext(
            request=Request(dict(_SCOPE, state={})),
            response=None,
            uow=uow,
            services=services,
            new_uow=lambda: SqlUnitOfWork(self.sessions),
            viewer=viewer,
        )
        try:
            stream = await self.schema.subscribe(hook.document, context_value=context)
            if not hasattr(stream, "__aiter__"):
                return None  # refused before running (permissions, validation)
            async with contextlib.aclosing(stream):
                async for result in stream:
                    data = result.data
                    if data and data.get(hook.field_name) is not None:
                        return dict(data)
            return None
        finally:
            await uow.close()
