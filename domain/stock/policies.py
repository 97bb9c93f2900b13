"""Who sees and changes which stock: pure functions, unit-tested without a database."""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, true

from domain.accounts.policies import company_scope, require_staff_role
from domain.accounts.rights import StaffRole
from domain.accounts.viewer import Viewer
from domain.orders.policies import may_order
from domain.shared.errors import DomainError
from domain.stock.errors import StockErrorCode
from domain.stock.models import StockItem

# Master data, adjustments and purchasing belong to the order desk; the warehouse receives too.
STOCK_DESK_ROLES = frozenset({StaffRole.ADMIN, StaffRole.SALES})
RECEIVING_ROLES = frozenset({StaffRole.ADMIN, StaffRole.SALES, StaffRole.PRODUCTION})
SUPPLIER_KEY_ROLES = frozenset({StaffRole.ADMIN})


def stock_scope(viewer: Viewer) -> ColumnElement[bool]:
    """Staff see every company's stock; every portal user sees their own company's."""
    return company_scope(viewer, StockItem.company_id)


def purchasing_scope(viewer: Viewer) -> ColumnElement[bool]:
    """Suppliers and purchase orders are the shop's business: staff only."""
    return true() if viewer.is_staff else false()


def sees_stock_of(viewer: Viewer, company_id: int | None) -> bool:
    """For events: staff see every level change, portal users their company's."""
    if viewer.is_staff:
        return True
    return viewer.is_portal and company_id is not None and viewer.company_id == company_id


def require_call_off(viewer: Viewer) -> None:
    if not may_order(viewer):
        raise DomainError.single(
            StockErrorCode.PERMISSION_DENIED,
            "You need PLACE_ORDERS or REQUEST_ORDERS to call off stock.",
        )


def require_stock_role(viewer: Viewer, roles: frozenset[StaffRole]) -> None:
    try:
        require_staff_role(viewer, roles)
    except DomainError as exc:
        raise DomainError.single(StockErrorCode.PERMISSION_DENIED, exc.details[0].message) from None


def require_supplier(viewer: Viewer) -> int:
    if not viewer.is_supplier or viewer.supplier_id is None:
        raise DomainError.single(StockErrorCode.PERMISSION_DENIED, "Requires a supplier API key.")
    return viewer.supplier_id
