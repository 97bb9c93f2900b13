"""Who may see and issue billing documents: pure functions over the Viewer."""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, true
from sqlalchemy.orm import InstrumentedAttribute

from domain.accounts.policies import is_staff_with
from domain.accounts.rights import Right, StaffRole
from domain.accounts.viewer import Viewer
from domain.billing.errors import BillingErrorCode
from domain.shared.errors import DomainError

# Staff roles that issue invoices and credit notes and run the accounting export.
BILLING_ROLES = frozenset({StaffRole.ADMIN, StaffRole.ACCOUNTING})


def finances_scope(
    viewer: Viewer, company_column: InstrumentedAttribute[int]
) -> ColumnElement[bool]:
    """Invoices and credit notes a viewer sees: staff all; a portal user with VIEW_FINANCES (or
    MANAGE_COMPANY) their company's; nobody else any."""
    if viewer.is_staff:
        return true()
    if (
        viewer.is_portal
        and viewer.company_id is not None
        and {Right.VIEW_FINANCES, Right.MANAGE_COMPANY} & viewer.rights
    ):
        return company_column == viewer.company_id
    return false()


def require_billing_staff(viewer: Viewer) -> None:
    if not is_staff_with(viewer, BILLING_ROLES):
        raise DomainError.single(
            BillingErrorCode.PERMISSION_DENIED, "Requires a staff role: ACCOUNTING, ADMIN."
        )
