"""Background followers of the event stream: areas that react to committed events in jobs.

An area that must act on some topics after they commit (notifications; next webhooks) registers
a follower at start-up (`server/domain_wiring.py`): ``follow("notifications.dispatch",
wants)``. The unit of work, when it writes the outbox rows, defers the follower's job for every
event whose topic ``wants`` accepts, in the same transaction, with the payload
``{"event_id": <id>}`` and the idempotency key ``"<task>:<event id>"``: a follower hears of
each event once and only of committed ones, and the area that recorded the event imports
nothing of its followers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

TopicFilter = Callable[[str], bool]


@dataclass(frozen=True, slots=True)
class EventFollower:
    task: str  # the JobTask run per event (server/jobs.py)
    wants: TopicFilter


_FOLLOWERS: dict[str, EventFollower] = {}


def follow(task: str, wants: TopicFilter) -> None:
    """Defer ``task`` for every committed event whose topic ``wants`` accepts (idempotent:
    registering a task again replaces its filter)."""
    _FOLLOWERS[task] = EventFollower(task, wants)


def followers_of(topic: str) -> list[EventFollower]:
    return [f for f in _FOLLOWERS.values() if f.wants(topic)]


def follow_key(task: str, event_id: int) -> str:
    return f"{task}:{event_id}"
