"""Laser parts as order lines: the `LinePricing` strategy for a part of the company's library
(registered at start-up; see domain/pricing/lines.py). A part line is priced now from the part
as it is in the library (its material's current price), with the part's data as the line's
specification."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select

from domain.accounts.viewer import Viewer
from domain.catalog.models import Channel, Product, ProductKind, channel_product
from domain.catalog.prices import price_context
from domain.laser.costing import MaterialThickness
from domain.laser.models import Part
from domain.laser.part_geometry import PartGeometry, geometry_from_json
from domain.laser.part_quotes import part_revision
from domain.laser.parts import get_part
from domain.laser.shop import ShopMaterial, load_shop, price_part
from domain.pricing.lines import (
    LineKind,
    LineProblemCode,
    LineRequest,
    PricedLine,
    result_problems,
    unavailable,
)
from domain.shared.errors import DomainError
from domain.shared.uow import UnitOfWork


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


async def laser_product_id(uow: UnitOfWork, channel_id: int) -> int:
    """The product that sells laser parts in a channel (its first active one)."""
    pid = await uow.scalar(
        select(Product.id)
        .join(channel_product, channel_product.c.product_id == Product.id)
        .where(
            channel_product.c.channel_id == channel_id,
            Product.kind == ProductKind.LASER_PART,
            Product.is_active.is_(True),
        )
        .order_by(Product.id)
        .limit(1)
    )
    if pid is None:
        raise DomainError.single(
            LineProblemCode.PRODUCT_UNAVAILABLE,
            "This channel does not sell laser parts.",
            "channel",
        )
    return int(pid)


class PartLinePricing:
    """A saved part of the viewer's company, sold through the channel's laser-part product."""

    kind: str = LineKind.LASER_PART

    async def admit(self, uow: UnitOfWork, viewer: Viewer, request: LineRequest) -> LineRequest:
        """The part must be in the viewer's library and the channel must sell laser parts."""
        assert request.item_id is not None and request.channel_id is not None
        part = await get_part(uow, viewer, request.item_id)
        product_id = await laser_product_id(uow, request.channel_id)
        return LineRequest(
            self.kind, request.channel_id, product_id, request.quantity, {}, item_id=part.id
        )

    async def price(self, uow: UnitOfWork, viewer: Viewer, request: LineRequest) -> PricedLine:
        """The part priced now; gone parts, products or materials carry problems."""
        assert request.item_id is not None
        product = await uow.session.get(Product, request.product_id)
        try:
            part = await get_part(uow, viewer, request.item_id)
        except DomainError:
            return unavailable(request, "", "This part is no longer in your library.")
        if product is None or not product.is_active:
            return unavailable(request, part.name, "Laser parts are no longer sold here.")
        shop = await load_shop(uow)
        material = shop.by_id(part.material_id)
        thickness = material.material.thickness(part.thickness_mm) if material else None
        if material is None or thickness is None or not material.is_active or shop.rates is None:
            return unavailable(
                request, part.name, "The part's material is no longer offered; change it."
            )
        geometry = geometry_from_json(part.geometry)
        channel = await uow.session.get(Channel, request.channel_id)
        assert channel is not None
        ctx = await price_context(uow, viewer, channel)
        result = price_part(
            geometry, material.material, thickness, shop.rates, request.quantity, ctx
        )
        return PricedLine(
            request,
            product.id,
            None,
            part.name,
            part_specification(part, material, thickness, geometry, request.quantity),
            result,
            result_problems(result),
            token_subject=f"part:{part.id}:{part_revision(part)}",
        )
