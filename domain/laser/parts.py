"""A company's parts library: who may see and keep parts, finding them, and a part as a cart
line (priced now, with everything production needs in its specification).

Changing the library is in ``part_library``, quotes in ``part_quotes``, bulk imports in
``part_import``.

Any portal user of the company may use the library (no right needed: a part is a drawing,
not an order); staff with role ADMIN or SALES may work in any company's library, and every
staff member may read it. Another company's part answers exactly like a missing one.
Deleting is final; orders keep a snapshot of the part in their line's specification.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import defer

from domain.accounts.models import Company
from domain.accounts.policies import CUSTOMER_ADMIN_ROLES, company_scope, is_staff_with
from domain.accounts.viewer import Viewer
from domain.catalog.models import Channel, Product
from domain.laser.costing import MaterialThickness
from domain.laser.models import Part
from domain.laser.part_errors import PartErrorCode
from domain.laser.part_geometry import PartGeometry, geometry_from_json
from domain.laser.shop import ShopMaterial, load_shop, price_part
from domain.orders.cart import PricedLine
from domain.orders.errors import OrderErrorCode
from domain.orders.models import CartLine
from domain.pricing.service import price_context
from domain.shared.errors import DomainError, ErrorDetail
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


def _number(value: Decimal) -> int | float:
    """A thickness as a JSON number: 2, not "2.00"; 1.5 stays 1.5."""
    normal = value.normalize()
    return int(normal) if normal == normal.to_integral_value() else float(normal)


def part_specification(
    part: Part,
    material: ShopMaterial,
    thickness: MaterialThickness,
    geometry: PartGeometry,
    quantity: int,
) -> dict[str, Any]:
    """What production reads on the order line and job: the part as ordered, kept even when
    the part is later changed or deleted."""
    density = float(material.material.density_g_cm3)
    each_kg = geometry.weight_g(float(thickness.thickness_mm), density) / 1000.0
    return {
        "part": {
            "partId": part.id,
            "name": part.name,
            "materialCode": material.code,
            "materialName": material.material.name,
            "thicknessMm": _number(thickness.thickness_mm),
            "widthMm": round(geometry.width_mm, 3),
            "heightMm": round(geometry.height_mm, 3),
            "cutLengthMm": round(geometry.cut_length_mm, 3),
            "pierceCount": geometry.pierce_count,
            "holeCount": len(geometry.holes),
            "netAreaMm2": round(geometry.area_mm2, 3),
            "weightKgEach": round(each_kg, 4),
            "weightKgTotal": round(each_kg * quantity, 3),
            "dxfSha256": part.dxf_sha256,
            "fileName": part.file_name,
            "source": part.source,
            "template": part.template_key,
            "templateParams": part.template_params,
        }
    }


def _unavailable(line: CartLine, product: Product | None, title: str, message: str) -> PricedLine:
    problem = ErrorDetail(OrderErrorCode.PRODUCT_UNAVAILABLE, message, None)
    return PricedLine(line, product, None, title, {}, None, (problem,))


async def part_line_price(
    uow: UnitOfWork, viewer: Viewer, channel: Channel, line: CartLine
) -> PricedLine:
    """A cart line of a saved part, priced now from the part as it is in the library (its
    material's current price), with the part's data as the line's specification."""
    assert line.part_id is not None
    product = await uow.session.get(Product, line.product_id)
    try:
        part = await get_part(uow, viewer, line.part_id)
    except DomainError:
        return _unavailable(line, product, "", "This part is no longer in your library.")
    if product is None or not product.is_active:
        return _unavailable(line, product, part.name, "Laser parts are no longer sold here.")
    shop = await load_shop(uow)
    material = shop.by_id(part.material_id)
    thickness = material.material.thickness(part.thickness_mm) if material else None
    if material is None or thickness is None or not material.is_active or shop.rates is None:
        return _unavailable(
            line, product, part.name, "The part's material is no longer offered; change it."
        )
    geometry = geometry_from_json(part.geometry)
    ctx = await price_context(uow, viewer, channel)
    result = price_part(geometry, material.material, thickness, shop.rates, line.quantity, ctx)
    problems = tuple(
        ErrorDetail(OrderErrorCode.INVALID_CONFIGURATION, m.message, m.field)
        for m in result.messages
    )
    spec = part_specification(part, material, thickness, geometry, line.quantity)
    return PricedLine(line, product, None, part.name, spec, result, problems)
