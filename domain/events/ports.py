"""The event stream port: what subscriptions, webhooks and notifications read."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True, slots=True)
class StoredEvent:
    id: int
    topic: str
    company_id: int | None
    payload: dict[str, Any]


EventFilter = Callable[[StoredEvent], bool]


class EventStream(Protocol):
    def subscribe(
        self, accept: EventFilter, *, after_id: int | None = None
    ) -> AsyncIterator[StoredEvent]:
        """Committed events in commit order, those after ``after_id`` first (replay).
        The subscription is registered when this is called, not on first iteration."""
        ...
