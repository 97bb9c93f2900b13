"""Start-up registration of the notification area (called from `server/domain_wiring.py`)."""

from __future__ import annotations

from domain.events.followers import follow
from domain.notifications.delivery import DISPATCH_TASK
from domain.notifications.kinds import followed_topic


def subscribe() -> None:
    """Follow every topic a live kind of notification reads (idempotent)."""
    follow(DISPATCH_TASK, followed_topic)
