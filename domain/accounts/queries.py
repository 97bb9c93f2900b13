"""Read queries of the accounts area, always scoped by the viewer."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, or_, select

from domain.accounts.models import Company, CustomerGroup, RegistrationRequest, StaffUser
from domain.accounts.policies import company_scope, staff_only
from domain.accounts.viewer import Viewer


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
