"""In-process domain events: how a lower area tells the areas built on it that something
happened, without importing them.

The area that owns a change declares its event (a frozen dataclass, e.g.
`domain.orders.signals.OrderStatusChanged`) and publishes it inside the command's unit of
work; areas that build on it subscribe a handler at start-up (`server/domain_wiring.py`).
Handlers run in the same transaction, in the order they were subscribed, so what they write
commits or rolls back with the change. (Events that outside watchers see, after commit, are
the outbox rows written with `uow.record_event`; these are for the domain's own reactions.)
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from domain.shared.uow import UnitOfWork

E = TypeVar("E")
Handler = Callable[[UnitOfWork, E], Awaitable[None]]

_HANDLERS: dict[type[Any], list[Handler[Any]]] = {}


def subscribe(event_type: type[E], handler: Handler[E]) -> None:
    """Run ``handler`` for every published ``event_type``; subscribing twice is one handler."""
    handlers = _HANDLERS.setdefault(event_type, [])
    if handler not in handlers:
        handlers.append(handler)


def subscribers(event_type: type[Any]) -> tuple[Handler[Any], ...]:
    return tuple(_HANDLERS.get(event_type, ()))


async def publish(uow: UnitOfWork, event: object) -> None:
    """Hand ``event`` to every handler subscribed to its type, inside the caller's unit of
    work."""
    for handler in subscribers(type(event)):
        await handler(uow, event)
