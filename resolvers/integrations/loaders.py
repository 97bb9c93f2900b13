"""Per-request DataLoaders of API keys and webhooks (``info.context.loaders.integrations``),
scoped like their queries: a company's key managers see its keys and webhooks, the shop's
admins all, a key its own webhooks; None (or []) for what is hidden."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from functools import cached_property
from typing import Any

from sqlalchemy import ColumnElement, select
from strawberry.dataloader import DataLoader

from domain.accounts.viewer import Viewer
from domain.integrations.api_keys import key_scope
from domain.integrations.models import ApiKey, Webhook, WebhookAttempt, WebhookDelivery
from domain.integrations.webhooks import webhook_scope
from domain.shared.uow import UnitOfWork


class IntegrationLoaders:
    def __init__(self, uow: UnitOfWork, viewer: Viewer) -> None:
        self.uow = uow
        self.viewer = viewer

    def _by_id(self, stmt: Any, model: Any) -> DataLoader[int, Any]:
        async def load(keys: Sequence[int]) -> list[Any]:
            rows = await self.uow.scalars(stmt.where(model.id.in_(keys)))
            found = {row.id: row for row in rows}
            return [found.get(k) for k in keys]

        return DataLoader(load_fn=load)

    @cached_property
    def api_key(self) -> DataLoader[int, ApiKey | None]:
        scope: ColumnElement[bool] = key_scope(self.viewer)
        if self.viewer.is_api_key:
            scope = ApiKey.id == self.viewer.api_key_id  # a key sees itself (its webhooks' key)
        return self._by_id(select(ApiKey).where(scope), ApiKey)

    @cached_property
    def webhook(self) -> DataLoader[int, Webhook | None]:
        return self._by_id(select(Webhook).where(webhook_scope(self.viewer)), Webhook)

    @cached_property
    def delivery(self) -> DataLoader[int, WebhookDelivery | None]:
        stmt = (
            select(WebhookDelivery)
            .join(Webhook, Webhook.id == WebhookDelivery.webhook_id)
            .where(webhook_scope(self.viewer))
        )
        return self._by_id(stmt, WebhookDelivery)

    @cached_property
    def attempts(self) -> DataLoader[int, list[WebhookAttempt]]:
        """By delivery; only reached through a delivery the viewer may see."""

        async def load(keys: Sequence[int]) -> list[list[WebhookAttempt]]:
            rows = await self.uow.scalars(
                select(WebhookAttempt)
                .join(WebhookDelivery, WebhookDelivery.id == WebhookAttempt.delivery_id)
                .join(Webhook, Webhook.id == WebhookDelivery.webhook_id)
                .where(WebhookAttempt.delivery_id.in_(keys), webhook_scope(self.viewer))
                .order_by(WebhookAttempt.id)
            )
            grouped: dict[int, list[WebhookAttempt]] = defaultdict(list)
            for row in rows:
                grouped[row.delivery_id].append(row)
            return [grouped.get(k, []) for k in keys]

        return DataLoader(load_fn=load)
