"""Who may do what: pure functions over the Viewer, unit-tested without a database."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import ColumnElement, false, true
from sqlalchemy.orm import InstrumentedAttribute

from domain.accounts.errors import AccountErrorCode
from domain.accounts.rights import Right, StaffRole
from domain.accounts.viewer import Viewer
from domain.shared.errors import DomainError

# Staff roles that manage customers (accounts, groups, registrations).
CUSTOMER_ADMIN_ROLES = frozenset({StaffRole.ADMIN, StaffRole.SALES})


def company_scope(
    viewer: Viewer, company_column: InstrumentedAttribute[int]
) -> ColumnElement[bool]:
    """The tenant filter every domain query applies: staff see all, a portal user their company."""
    if viewer.is_staff:
        return true()
    if viewer.is_portal and viewer.company_id is not None:
        return company_column == viewer.company_id
    return false()


def staff_only(viewer: Viewer) -> ColumnElement[bool]:
    """Filter for shop-internal records (staff accounts, registrations): hidden from others."""
    return true() if viewer.is_staff else false()


def can_see_company(viewer: Viewer, company_id: int) -> bool:
    return viewer.is_staff or (viewer.is_portal and viewer.company_id == company_id)


def can_see_finances(viewer: Viewer, company_id: int) -> bool:
    """Prices, bank details and invoices of a company."""
    if viewer.is_staff:
        return True
    return (
        viewer.is_portal
        and viewer.company_id == company_id
        and bool({Right.VIEW_FINANCES, Right.MANAGE_COMPANY} & viewer.rights)
    )


def may_price_for_other_companies(viewer: Viewer) -> bool:
    """Staff may ask for any customer's price; everyone else always gets their own terms."""
    return viewer.is_staff


def is_staff_with(viewer: Viewer, roles: frozenset[StaffRole]) -> bool:
    return viewer.is_staff and viewer.role in roles


def may_act_in_company(viewer: Viewer, company_id: int, right: Right) -> bool:
    """Customer admins among staff, or a portal user of that company holding ``right``."""
    if is_staff_with(viewer, CUSTOMER_ADMIN_ROLES):
        return True
    return viewer.is_portal and viewer.company_id == company_id and right in viewer.rights


def require_right(viewer: Viewer, company_id: int, right: Right) -> None:
    """Raise the typed error for a viewer who sees the company but lacks the right."""
    if not may_act_in_company(viewer, company_id, right):
        raise DomainError.single(
            AccountErrorCode.PERMISSION_DENIED,
            f"You need the right {right.value} for this."
            if viewer.is_portal
            else "Your staff role does not allow this.",
        )


def may_grant(viewer: Viewer, rights: Iterable[str]) -> bool:
    """No escalation: a portal user may only give (or manage holders of) rights they hold."""
    if viewer.is_staff:
        return True
    return viewer.is_portal and {str(r) for r in rights} <= {r.value for r in viewer.rights}


def require_grantable(viewer: Viewer, rights: Iterable[str], field: str, what: str) -> None:
    if not may_grant(viewer, rights):
        raise DomainError.single(
            AccountErrorCode.PERMISSION_DENIED,
            f"{what} holds rights you do not have yourself.",
            field,
        )


def require_staff_role(viewer: Viewer, roles: frozenset[StaffRole]) -> None:
    if not is_staff_with(viewer, roles):
        names = ", ".join(sorted(r.value for r in roles))
        raise DomainError.single(
            AccountErrorCode.PERMISSION_DENIED, f"Requires a staff role: {names}."
        )


def company_fields_for(viewer: Viewer) -> frozenset[str]:
    """Fields of a company its own admins may edit; staff may edit all of them."""
    own = frozenset(
        {
            "name",
            "vat_id",
            "contact_name",
            "contact_email",
            "contact_phone",
            "bank_account_holder",
            "bank_iban",
            "bank_bic",
            "addresses",
        }
    )
    if viewer.is_staff:
        return own | {"code", "portal_enabled", "customer_group_id", "markup_percent", "legal_form"}
    return own
