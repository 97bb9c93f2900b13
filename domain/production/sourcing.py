"""Which order lines production makes, and what else counts as the order's production.

Production makes every line of a released order unless an area built on it (routing) says a
line is made elsewhere; that area registers a `Sourcing` at start-up (`server/domain_wiring.py`).
The same area reports the status of the work made elsewhere, so that the order follows all its
parts (`report_order_progress`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from domain.orders.models import Order, OrderLine
from domain.production.state import JobStatus
from domain.shared.uow import UnitOfWork


class Sourcing(Protocol):
    async def made_elsewhere(
        self, uow: UnitOfWork, order: Order, lines: Sequence[OrderLine]
    ) -> set[int]:
        """The ids of the lines not made in-house (decided, and kept, on the first call)."""
        ...

    async def outside_work(self, uow: UnitOfWork, order_id: int) -> list[JobStatus]:
        """The order's work made elsewhere, each part as the job status it counts as."""
        ...


_SOURCING: list[Sourcing] = []


def register_sourcing(sourcing: Sourcing) -> None:
    """Install the area that decides where lines are made (one; the last one wins)."""
    _SOURCING[:] = [sourcing]


async def made_elsewhere(uow: UnitOfWork, order: Order, lines: Sequence[OrderLine]) -> set[int]:
    return await _SOURCING[0].made_elsewhere(uow, order, lines) if _SOURCING else set()


async def outside_work(uow: UnitOfWork, order_id: int) -> list[JobStatus]:
    return await _SOURCING[0].outside_work(uow, order_id) if _SOURCING else []
