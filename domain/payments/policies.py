"""Who sees a company's money and who records it: pure functions."""

from __future__ import annotations

from domain.accounts.rights import Right, StaffRole
from domain.accounts.viewer import Viewer

FINANCE_ROLES = frozenset({StaffRole.ADMIN, StaffRole.ACCOUNTING, StaffRole.SALES})


def sees_finances(viewer: Viewer, company_id: int) -> bool:
    """Staff always; a portal user of the company with VIEW_FINANCES."""
    if viewer.is_staff:
        return True
    return (
        viewer.is_portal
        and viewer.company_id == company_id
        and Right.VIEW_FINANCES in viewer.rights
    )


def records_payments(viewer: Viewer) -> bool:
    """Staff of the order desk or accounting record payments, refunds and credit decisions."""
    return viewer.is_staff and viewer.role in FINANCE_ROLES
