"""Order lists for the customer's overview and the shop, always scoped by the viewer."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, func, or_, select

from domain.accounts.viewer import Viewer
from domain.orders.models import Order
from domain.orders.policies import order_scope
from domain.orders.state import OrderStatus
from domain.shared.uow import UnitOfWork

SORTS: dict[str, tuple[Any, ...]] = {
    "NEWEST": (Order.created_at.desc(), Order.id.desc()),
    "OLDEST": (Order.created_at.asc(), Order.id.asc()),
    "DESIRED_DATE": (Order.desired_delivery_date.asc().nulls_last(), Order.id.asc()),
    "NUMBER": (Order.number.asc(), Order.id.asc()),
}


def orders_query(
    viewer: Viewer,
    *,
    statuses: Sequence[OrderStatus] | None = None,
    kinds: Sequence[str] | None = None,
    search: str | None = None,
    mine_only: bool = False,
    sort: str = "NEWEST",
) -> Select[Any]:
    stmt = select(Order).where(order_scope(viewer))
    if statuses:
        stmt = stmt.where(Order.status.in_(list(statuses)))
    if kinds:
        stmt = stmt.where(Order.kind.in_([str(k) for k in kinds]))
    if search:
        like = f"%{search.strip()}%"
        stmt = stmt.where(or_(Order.number.ilike(like), Order.customer_reference.ilike(like)))
    if mine_only and viewer.is_portal:
        stmt = stmt.where(Order.orderer_id == viewer.user_id)
    return stmt.order_by(*SORTS.get(sort, SORTS["NEWEST"]))


async def status_counts(uow: UnitOfWork, viewer: Viewer) -> list[tuple[OrderStatus, int]]:
    rows = await uow.rows(
        select(Order.status, func.count()).where(order_scope(viewer)).group_by(Order.status)
    )
    found = {OrderStatus(s): int(n) for s, n in rows}
    return [(s, found.get(s, 0)) for s in OrderStatus]
