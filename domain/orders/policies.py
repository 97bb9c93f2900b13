"""Who sees and changes which orders: pure functions, unit-tested without a database."""

from __future__ import annotations

from collections.abc import Hashable

from sqlalchemy import ColumnElement, and_, false, true

from domain.accounts.rights import Right, StaffRole
from domain.accounts.viewer import Viewer
from domain.orders.models import Order

PRODUCTION_ROLES = frozenset({StaffRole.ADMIN, StaffRole.PRODUCTION})
ORDER_DESK_ROLES = frozenset({StaffRole.ADMIN, StaffRole.SALES})


def order_scope(viewer: Viewer) -> ColumnElement[bool]:
    """Staff see every order; a portal user their company's when they hold VIEW_COMPANY_ORDERS,
    else only the orders they placed."""
    if viewer.is_staff:
        return true()
    if not viewer.is_portal or viewer.company_id is None:
        return false()
    if Right.VIEW_COMPANY_ORDERS in viewer.rights:
        return Order.company_id == viewer.company_id
    return and_(Order.company_id == viewer.company_id, Order.orderer_id == viewer.user_id)


def sees_order(viewer: Viewer, company_id: int | None, orderer_id: int | None) -> bool:
    """The row-by-row form of ``order_scope`` (for events and objects already loaded)."""
    if viewer.is_staff:
        return True
    if not viewer.is_portal or viewer.company_id is None or viewer.company_id != company_id:
        return False
    return Right.VIEW_COMPANY_ORDERS in viewer.rights or orderer_id == viewer.user_id


def order_audience(viewer: Viewer) -> Hashable:
    """Viewers with equal values see exactly the same orders under ``order_scope``: a key for
    sharing what was loaded for one of them with the others."""
    if viewer.is_staff:
        return "staff"
    if not viewer.is_portal or viewer.company_id is None:
        return "nobody"
    if Right.VIEW_COMPANY_ORDERS in viewer.rights:
        return ("company", viewer.company_id)
    return ("orderer", viewer.company_id, viewer.user_id)


def sees_prices(viewer: Viewer, orderer_id: int | None) -> bool:
    """VIEW_FINANCES shows prices; everyone sees the prices of what they ordered themselves."""
    if viewer.is_staff:
        return True
    return viewer.is_portal and (
        Right.VIEW_FINANCES in viewer.rights or orderer_id == viewer.user_id
    )


def may_order(viewer: Viewer) -> bool:
    return viewer.is_portal and bool({Right.PLACE_ORDERS, Right.REQUEST_ORDERS} & viewer.rights)


def places_binding(viewer: Viewer) -> bool:
    return viewer.is_portal and Right.PLACE_ORDERS in viewer.rights


def may_approve(viewer: Viewer, company_id: int) -> bool:
    return (
        viewer.is_portal
        and viewer.company_id == company_id
        and Right.APPROVE_ORDERS in viewer.rights
    )
