"""Who sees and changes which quotes: pure functions, unit-tested without a database."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, false, or_, true

from domain.accounts.rights import Right, StaffRole
from domain.accounts.viewer import Viewer
from domain.quotes.errors import QuoteErrorCode
from domain.quotes.models import Quote
from domain.shared.errors import DomainError

QUOTE_DESK_ROLES = frozenset({StaffRole.ADMIN, StaffRole.SALES})
ORDERING_RIGHTS = frozenset({Right.PLACE_ORDERS, Right.REQUEST_ORDERS})


def quote_scope(viewer: Viewer) -> ColumnElement[bool]:
    """Staff see every quote; a portal user their company's quotes once sent, and the
    requests their company made (never a staff draft that was not offered yet)."""
    if viewer.is_staff:
        return true()
    if not viewer.is_portal or viewer.company_id is None:
        return false()
    return and_(
        Quote.company_id == viewer.company_id,
        or_(Quote.sent_revision > 0, Quote.requested_by_id.is_not(None)),
    )


def sees_quote(viewer: Viewer, company_id: int, sent_revision: int, requested: bool) -> bool:
    """The same rule as ``quote_scope`` for one quote (subscriptions filter events with it)."""
    if viewer.is_staff:
        return True
    return viewer.is_portal and viewer.company_id == company_id and (sent_revision > 0 or requested)


def require_quote_desk(viewer: Viewer) -> None:
    if not (viewer.is_staff and viewer.role in QUOTE_DESK_ROLES):
        raise DomainError.single(
            QuoteErrorCode.PERMISSION_DENIED, "Quotes are priced by staff with role ADMIN or SALES."
        )


def may_request_quotes(viewer: Viewer) -> bool:
    return viewer.is_portal and bool(ORDERING_RIGHTS & viewer.rights)


def require_quote_requester(viewer: Viewer) -> None:
    if not may_request_quotes(viewer):
        raise DomainError.single(
            QuoteErrorCode.PERMISSION_DENIED,
            "You need PLACE_ORDERS or REQUEST_ORDERS to ask for or answer a quote.",
        )


def require_partner(viewer: Viewer) -> int:
    """The supplier id of a partner system; anyone else is refused."""
    if not viewer.is_supplier or viewer.supplier_id is None:
        raise DomainError.single(
            QuoteErrorCode.PERMISSION_DENIED,
            "Only a partner may answer: its API key, a partner login or the mailed link.",
        )
    return viewer.supplier_id
