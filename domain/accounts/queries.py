"""Read queries of the accounts area, always scoped by the viewer."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, or_, select

from domain.accounts.models import (
    Company,
    CustomerGroup,
    PortalUser,
    RegistrationRequest,
    StaffUser,
)
from domain.accounts.policies import company_scope, staff_only
from domain.accounts.viewer import Viewer
from domain.shared.read_cache import CACHES
from domain.shared.uow import UnitOfWork

# The logged-in user's own row, asked for by every page a portal renders (`me`). Entries are
# detached rows (read in their own transaction): read their columns only.
_CURRENT_USER = CACHES.cache("current_user", tables=("portal_user", "staff_user"), maxsize=20_000)


async def current_user(uow: UnitOfWork, viewer: Viewer) -> PortalUser | StaffUser | None:
    """The viewer's own account (None for anonymous visitors and systems); a partner user's
    is its staff_user row (role PARTNER)."""
    if viewer.user_id is None or not (viewer.is_portal or viewer.is_staff or viewer.is_supplier):
        return None
    model = PortalUser if viewer.is_portal else StaffUser
    stmt = select(model).where(model.id == viewer.user_id)

    async def read(reader: UnitOfWork) -> PortalUser | StaffUser | None:
        user: PortalUser | StaffUser | None = await reader.scalar(stmt)
        return user

    return await _CURRENT_USER.read_through((viewer.kind, viewer.user_id), uow, read)


def companies_query(viewer: Viewer, search: str | None = None) -> Select[Any]:
    stmt = select(Company).where(company_scope(viewer, Company.id))
    if search:
        # The search is literal text: escape LIKE's own wildcards.
        term = search.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        like = f"%{term}%"
        stmt = stmt.where(
            or_(Company.code.ilike(like, escape="\\"), Company.name.ilike(like, escape="\\"))
        )
    return stmt.order_by(Company.code, Company.id)


def registration_requests_query(viewer: Viewer, status: str | None = None) -> Select[Any]:
    stmt = select(RegistrationRequest).where(staff_only(viewer))
    if status:
        stmt = stmt.where(RegistrationRequest.status == status)
    return stmt.order_by(RegistrationRequest.created_at.desc(), RegistrationRequest.id.desc())


def staff_users_query(viewer: Viewer) -> Select[Any]:
    return select(StaffUser).where(staff_only(viewer)).order_by(StaffUser.email)


def customer_groups_query(viewer: Viewer) -> Select[Any]:
    return select(CustomerGroup).where(staff_only(viewer)).order_by(CustomerGroup.name)
