"""Who manages routing and sees supplier jobs: pure functions."""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, true

from domain.accounts.policies import require_staff_role
from domain.accounts.rights import StaffRole
from domain.accounts.viewer import Viewer
from domain.routing.errors import RoutingErrorCode
from domain.routing.models import SupplierJob
from domain.shared.errors import DomainError

# Rules and channels (with credentials) belong to the order desk.
ROUTING_ROLES = frozenset({StaffRole.ADMIN, StaffRole.SALES})
# Releasing, re-routing or cancelling a supplier job: the order desk and production planning.
SUPPLIER_JOB_ROLES = frozenset({StaffRole.ADMIN, StaffRole.SALES, StaffRole.PRODUCTION})


def require_routing_role(viewer: Viewer, roles: frozenset[StaffRole]) -> None:
    try:
        require_staff_role(viewer, roles)
    except DomainError as exc:
        raise DomainError.single(
            RoutingErrorCode.PERMISSION_DENIED, exc.details[0].message
        ) from None


def supplier_job_scope(viewer: Viewer) -> ColumnElement[bool]:
    """Staff see every supplier job; a supplier system its own; nobody else any (a customer
    never learns which supplier makes their work)."""
    if viewer.is_staff:
        return true()
    if viewer.is_supplier and viewer.supplier_id is not None:
        return SupplierJob.supplier_id == viewer.supplier_id
    return false()


def require_supplier(viewer: Viewer) -> int:
    if not viewer.is_supplier or viewer.supplier_id is None:
        raise DomainError.single(RoutingErrorCode.PERMISSION_DENIED, "Requires a supplier API key.")
    return viewer.supplier_id


def sees_supplier_job_event(viewer: Viewer, supplier_id: int | None) -> bool:
    """For the event stream: staff see every supplier job's change, a supplier its own."""
    if viewer.is_staff:
        return True
    return viewer.is_supplier and supplier_id is not None and viewer.supplier_id == supplier_id
