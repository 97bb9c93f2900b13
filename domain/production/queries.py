"""Job lists, scoped by the viewer through the order they belong to."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, select

from domain.accounts.viewer import Viewer
from domain.orders.models import Order
from domain.orders.policies import order_scope
from domain.production.models import Job


def jobs_query(viewer: Viewer, statuses: Sequence[str] | None = None) -> Select[Any]:
    stmt = select(Job).join(Order, Order.id == Job.order_id).where(order_scope(viewer))
    if statuses:
        stmt = stmt.where(Job.status.in_(list(statuses)))
    return stmt.order_by(Job.created_at.asc(), Job.id.asc())
