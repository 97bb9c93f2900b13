"""A company's parts library: who may see and keep parts, and finding them.

A part as an order line (priced now, with everything production needs in its specification)
is in ``line_pricing``; changing the library is in ``part_library``, quotes in
``part_quotes``, bulk imports in ``part_import``.

Any portal user of the company may use the library (no right needed: a part is a drawing,
not an order); staff with role ADMIN or SALES may work in any company's library, and every
staff member may read it. Another company's part answers exactly like a missing one.
Deleting is final; orders keep a snapshot of the part in their line's specification.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import defer

from domain.accounts.models import Company
from domain.accounts.policies import CUSTOMER_ADMIN_ROLES, company_scope, is_staff_with
from domain.accounts.viewer import Viewer
from domain.laser.models import Part
from domain.laser.part_errors import PartErrorCode
from domain.shared.errors import DomainError
from domain.shared.uow import UnitOfWork


class PartSource(StrEnum):
    DXF = "DXF"
    TEMPLATE = "TEMPLATE"


def part_scope(viewer: Viewer) -> ColumnElement[bool]:
    """The tenant filter of every parts query."""
    return company_scope(viewer, Part.company_id)


def may_edit_parts(viewer: Viewer) -> bool:
    return (viewer.is_portal and viewer.company_id is not None) or is_staff_with(
        viewer, CUSTOMER_ADMIN_ROLES
    )


def require_editor(viewer: Viewer) -> None:
    if not may_edit_parts(viewer):
        raise DomainError.single(
            PartErrorCode.PERMISSION_DENIED,
            "Parts are kept by a customer's portal users, or by staff with role ADMIN or SALES.",
        )


async def owner_company(uow: UnitOfWork, viewer: Viewer, company_id: int | None) -> int:
    """Whose library a new part goes to: a portal user's own company; staff name one."""
    require_editor(viewer)
    if viewer.is_portal:
        assert viewer.company_id is not None
        return viewer.company_id
    if company_id is None:
        raise DomainError.single(
            PartErrorCode.REQUIRED, "Staff name the customer the part is for.", "companyId"
        )
    if await uow.scalar(select(Company.id).where(Company.id == company_id)) is None:
        raise DomainError.single(PartErrorCode.NOT_FOUND, "Company not found.", "companyId")
    return company_id


async def get_part(
    uow: UnitOfWork,
    viewer: Viewer,
    part_id: int,
    *,
    field: str = "partId",
    with_dxf: bool = False,
    for_update: bool = False,
) -> Part:
    """A part of the viewer's company (staff: any), else NOT_FOUND. The DXF bytes are left in
    the database unless ``with_dxf`` (touching them otherwise raises, never lazy-loads)."""
    stmt = select(Part).where(Part.id == part_id, part_scope(viewer))
    if with_dxf:
        stmt = stmt.execution_options(populate_existing=True)
    else:
        stmt = stmt.options(defer(Part.dxf, raiseload=True))
    if for_update:
        stmt = stmt.with_for_update()
    part: Part | None = await uow.scalar(stmt)
    if part is None:
        raise DomainError.single(PartErrorCode.NOT_FOUND, "Part not found.", field)
    return part


def parts_query(viewer: Viewer, search: str | None = None) -> Select[Any]:
    """The library, newest first, every search word in the name; DXF bytes not loaded."""
    stmt = select(Part).where(part_scope(viewer)).options(defer(Part.dxf, raiseload=True))
    for term in (search or "").split():
        stmt = stmt.where(Part.name.icontains(term, autoescape=True))
    return stmt.order_by(Part.created_at.desc(), Part.id.desc())


async def part_dxf(uow: UnitOfWork, viewer: Viewer, part_id: int) -> tuple[Part, bytes]:
    """The drawing as uploaded (or generated), for the download route."""
    part = await get_part(uow, viewer, part_id, field="id", with_dxf=True)
    return part, part.dxf
