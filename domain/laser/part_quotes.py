"""Prices of laser parts, saved or not: a price, a price table and a signed price token.

Everything goes through ``shop.price_part`` (and so through the one engine), so the library,
the quote query, the cart and checkout give the same part the same price. What a customer
cannot fix by retrying (an unknown part or channel) raises; what they can fix (template
parameters, material, quantity, the drawing against another sheet) comes back as an invalid
price with messages, as the configurator's live price does.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from domain.accounts.viewer import Viewer
from domain.catalog.prices import channel_for_read, price_context, sign
from domain.laser.costing import MaterialThickness
from domain.laser.models import Part
from domain.laser.part_drawings import analyse, template_drawing
from domain.laser.part_errors import PartErrorCode
from domain.laser.part_geometry import PartGeometry, fits_limits, geometry_from_json
from domain.laser.parts import get_part
from domain.laser.shop import (
    LaserShop,
    ShopMaterial,
    load_shop_for_read,
    price_part,
    unpriced,
)
from domain.pricing.context import PriceContext
from domain.pricing.result import PriceResult
from domain.pricing.tokens import PriceTokenConfig
from domain.shared.errors import DomainError, ErrorDetail
from domain.shared.uow import UnitOfWork

MAX_TABLE_ROWS = 20


@dataclass(frozen=True, slots=True)
class PartQuote:
    """A part's price now. ``geometry``/``material``/``thickness`` are None when the request
    could not be priced (``result.valid`` is False then, with messages)."""

    result: PriceResult
    table: tuple[PriceResult, ...] = ()
    price_token: str | None = None
    expires_at: dt.datetime | None = None
    geometry: PartGeometry | None = None
    material: ShopMaterial | None = None
    thickness: MaterialThickness | None = None
    part: Part | None = None
    template_params: dict[str, float] | None = None


def check_quantities(quantities: Sequence[int]) -> list[int]:
    if len(quantities) > MAX_TABLE_ROWS:
        raise DomainError.single(
            PartErrorCode.INVALID,
            f"At most {MAX_TABLE_ROWS} quantities in a price table.",
            "quantities",
        )
    return sorted(set(quantities))


def token_values(material: ShopMaterial, thickness_mm: Decimal, dxf_sha256: str) -> dict[str, Any]:
    """What a part's price token binds besides the quantity: drawing, material, sheet."""
    return {
        "material": material.code,
        "thicknessMm": format(thickness_mm.normalize(), "f"),
        "dxfSha256": dxf_sha256,
    }


def part_revision(part: Part) -> str:
    """Changes whenever anything that moves the part's price changes."""
    text = f"{part.dxf_sha256}:{part.material_id}:{part.thickness_mm.normalize()}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def price_geometry(
    shop: LaserShop,
    geometry: PartGeometry,
    material: ShopMaterial,
    thickness: MaterialThickness,
    quantity: int,
    quantities: Sequence[int],
    ctx: PriceContext,
    tokens: PriceTokenConfig,
    subject: str,
    values: Mapping[str, Any],
) -> PartQuote:
    """Price, table and token of a checked geometry (no I/O)."""
    rates = shop.require_rates()
    result = price_part(geometry, material.material, thickness, rates, quantity, ctx)
    table = tuple(
        price_part(geometry, material.material, thickness, rates, q, ctx)
        for q in check_quantities(quantities)
    )
    token, expires = sign(tokens, subject, values, result, ctx)
    return PartQuote(result, table, token, expires, geometry, material, thickness)


def quote_saved_part(
    shop: LaserShop,
    part: Part,
    quantity: int,
    quantities: Sequence[int],
    ctx: PriceContext,
    tokens: PriceTokenConfig,
) -> PartQuote:
    """A library part at today's material prices, in its own material and thickness."""
    material = shop.by_id(part.material_id)
    thickness = material.material.thickness(part.thickness_mm) if material else None
    if material is None or thickness is None or not material.is_active or shop.rates is None:
        problem = ErrorDetail(
            PartErrorCode.UNKNOWN_MATERIAL,
            "The part's material or thickness is no longer offered; choose another.",
            ("material",),
        )
        return PartQuote(unpriced(ctx, quantity, problem), part=part)
    values = token_values(material, part.thickness_mm, part.dxf_sha256)
    quote = price_geometry(
        shop,
        geometry_from_json(part.geometry),
        material,
        thickness,
        quantity,
        quantities,
        ctx,
        tokens,
        f"part:{part.id}:{part_revision(part)}",
        values,
    )
    return _with(quote, part=part, template_params=part.template_params)


def _with(quote: PartQuote, **changes: Any) -> PartQuote:
    return replace(quote, **changes)


@dataclass(frozen=True, slots=True)
class PartQuoteRequest:
    """Either a saved part (``part_id``, optionally in another material or thickness) or a
    template with parameters (``material`` and ``thickness_mm`` required then)."""

    part_id: int | None = None
    template: str | None = None
    parameters: Mapping[str, Any] | None = None
    material: str | None = None
    thickness_mm: Decimal | None = None
    quantity: int | None = None
    quantities: Sequence[int] = ()
    channel: str | None = None


async def part_quote(
    uow: UnitOfWork, viewer: Viewer, tokens: PriceTokenConfig, req: PartQuoteRequest
) -> PartQuote:
    """Open to anyone for templates; a saved part only for its company (and staff). Nothing
    is saved. Raises NOT_FOUND for an unknown part or channel only; every other problem is an
    invalid price with messages."""
    part = await get_part(uow, viewer, req.part_id) if req.part_id is not None else None
    channel = await channel_for_read(uow, viewer, req.channel)
    ctx = await price_context(uow, viewer, channel, part.company_id if part else None, cached=True)
    quantity = req.quantity if req.quantity is not None else (part.quantity if part else 1)
    try:
        if (part is None) == (req.template is None):
            raise DomainError.single(
                PartErrorCode.REQUIRED, "Give either a part or a template.", "partId"
            )
        check_quantities(req.quantities)
        shop = await load_shop_for_read(uow)
        if part is not None and req.material is None and req.thickness_mm is None:
            return quote_saved_part(shop, part, quantity, req.quantities, ctx, tokens)
        return await _quote_new(uow, viewer, shop, part, req, quantity, ctx, tokens)
    except DomainError as exc:
        return PartQuote(unpriced_all(ctx, quantity, exc), part=part)


def unpriced_all(ctx: PriceContext, quantity: int, exc: DomainError) -> PriceResult:
    """Every problem of a request as the messages of an invalid price."""
    return replace(unpriced(ctx, quantity, exc.details[0]), messages=exc.details)


async def _quote_new(
    uow: UnitOfWork,
    viewer: Viewer,
    shop: LaserShop,
    part: Part | None,
    req: PartQuoteRequest,
    quantity: int,
    ctx: PriceContext,
    tokens: PriceTokenConfig,
) -> PartQuote:
    current = shop.by_id(part.material_id) if part else None
    code = req.material or (current.code if current else "")
    thickness_mm = req.thickness_mm or (part.thickness_mm if part else None)
    if not code or thickness_mm is None:
        raise DomainError.single(
            PartErrorCode.REQUIRED, "Choose a material and a thickness.", "material"
        )
    material, thickness = shop.resolve(code, thickness_mm)
    if part is not None:
        geometry = geometry_from_json(part.geometry)
        if not fits_limits(geometry, thickness):
            # Analyse again for the exact problems and their places.
            full = await get_part(uow, viewer, part.id, with_dxf=True)
            geometry = await analyse(full.dxf, thickness)
        values = token_values(material, thickness.thickness_mm, part.dxf_sha256)
        quote = price_geometry(
            shop, geometry, material, thickness, quantity, req.quantities, ctx, tokens,
            f"part:{part.id}:quote", values,
        )  # fmt: skip
        return _with(quote, part=part, template_params=part.template_params)
    assert req.template is not None
    drawing = await template_drawing(req.template, req.parameters or {}, thickness)
    values = {**token_values(material, thickness.thickness_mm, ""), "params": drawing.params}
    quote = price_geometry(
        shop, drawing.geometry, material, thickness, quantity, req.quantities, ctx, tokens,
        f"template:{req.template}", values,
    )  # fmt: skip
    return _with(quote, template_params=drawing.params)


__all__ = [
    "PartQuote",
    "PartQuoteRequest",
    "part_quote",
    "quote_saved_part",
]
