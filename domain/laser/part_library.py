"""Changing a company's parts library: parts made from an uploaded DXF or a template, kept
with their checked geometry, changed (re-checked against the new sheet), copied and deleted.

Every change records a ``part.changed`` event for the part's company.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from domain.accounts.viewer import Viewer
from domain.laser.models import Part
from domain.laser.part_drawings import analyse, check_size, sha256, template_drawing
from domain.laser.part_errors import PartErrorCode
from domain.laser.part_geometry import LengthUnit, PartGeometry, geometry_to_json
from domain.laser.parts import PartSource, get_part, owner_company, require_editor
from domain.laser.shop import load_shop
from domain.shared.errors import DomainError, ErrorCollector
from domain.shared.unset import UNSET, Unset
from domain.shared.uow import UnitOfWork

MAX_NAME = 200
MAX_NOTES = 4000
MAX_QUANTITY = 10_000_000
PART_CHANGED = "part.changed"


def clean_name(name: str, errors: ErrorCollector, field: str = "name") -> str:
    text = " ".join(name.split())
    if not text:
        errors.add(PartErrorCode.REQUIRED, "The name is required.", field)
    elif len(text) > MAX_NAME:
        errors.add(PartErrorCode.TOO_LONG, f"At most {MAX_NAME} characters.", field)
    return text


def check_quantity(quantity: int, errors: ErrorCollector, field: str = "quantity") -> None:
    if not 1 <= quantity <= MAX_QUANTITY:
        errors.add(
            PartErrorCode.INVALID_QUANTITY,
            f"The quantity is a whole number from 1 to {MAX_QUANTITY:,}.",
            field,
        )


def _check_notes(notes: str, errors: ErrorCollector) -> None:
    if len(notes) > MAX_NOTES:
        errors.add(PartErrorCode.TOO_LONG, f"At most {MAX_NOTES} characters.", "notes")


@dataclass(frozen=True, slots=True)
class PartSpec:
    """What every new part needs besides its drawing."""

    name: str
    material: str  # code (or name) of an active material
    thickness_mm: Decimal
    quantity: int = 1
    notes: str = ""
    company_id: int | None = None  # staff only: the customer the part is for


def _checked(spec: PartSpec) -> str:
    errors = ErrorCollector()
    name = clean_name(spec.name, errors)
    check_quantity(spec.quantity, errors)
    _check_notes(spec.notes, errors)
    errors.raise_if_any()
    return name


def _changed(uow: UnitOfWork, part: Part, action: str) -> None:
    uow.record_event(PART_CHANGED, part.company_id, {"partId": part.id, "action": action})


async def part_create_from_dxf(
    uow: UnitOfWork,
    viewer: Viewer,
    spec: PartSpec,
    data: bytes,
    file_name: str,
    units: LengthUnit | None = None,
) -> Part:
    """Open to any portal user of the company (staff: ADMIN or SALES, naming the company).
    The drawing is checked against the chosen thickness's largest sheet and smallest hole;
    every problem comes back at once, with its place in the drawing."""
    name = _checked(spec)
    check_size(data, "file")
    company_id = await owner_company(uow, viewer, spec.company_id)
    shop = await load_shop(uow)
    material, thickness = shop.resolve(spec.material, spec.thickness_mm)
    geometry = await analyse(data, thickness, units)
    part = Part(
        source=PartSource.DXF.value,
        file_name=os.path.basename(file_name.replace("\\", "/"))[:255] or None,
    )
    kept = (material.id, thickness.thickness_mm)
    return await _save_new(uow, viewer, company_id, name, spec, part, data, geometry, kept)


async def part_create_from_template(
    uow: UnitOfWork,
    viewer: Viewer,
    spec: PartSpec,
    template_key: str,
    params: Mapping[str, Any],
) -> Part:
    """Open to any portal user of the company (staff: ADMIN or SALES, naming the company).
    The template is drawn and checked like an uploaded drawing."""
    name = _checked(spec)
    company_id = await owner_company(uow, viewer, spec.company_id)
    shop = await load_shop(uow)
    material, thickness = shop.resolve(spec.material, spec.thickness_mm)
    drawing = await template_drawing(template_key, params, thickness)
    part = Part(
        source=PartSource.TEMPLATE.value,
        template_key=template_key,
        template_params=drawing.params,
        file_name=None,
    )
    kept = (material.id, thickness.thickness_mm)
    return await _save_new(
        uow, viewer, company_id, name, spec, part, drawing.dxf, drawing.geometry, kept
    )


async def _save_new(
    uow: UnitOfWork,
    viewer: Viewer,
    company_id: int,
    name: str,
    spec: PartSpec,
    part: Part,
    dxf: bytes,
    geometry: PartGeometry,
    material: tuple[int, Decimal],
) -> Part:
    """Keep a new part (its origin already set on ``part``) with its checked drawing, in the
    material (id, thickness) the shop resolved."""
    part.company_id = company_id
    part.created_by_id = viewer.user_id if viewer.is_portal else None
    part.name = name
    part.dxf, part.dxf_sha256 = dxf, sha256(dxf)
    part.geometry = geometry_to_json(geometry)
    part.material_id, part.thickness_mm = material
    part.quantity, part.notes = spec.quantity, spec.notes
    async with uow:
        uow.session.add(part)
        await uow.session.flush()
        _changed(uow, part, "created")
        await uow.commit()
        return part


@dataclass(slots=True)
class PartUpdate:
    name: str | Unset = UNSET
    notes: str | Unset = UNSET
    quantity: int | Unset = UNSET
    material: str | Unset = UNSET
    thickness_mm: Decimal | Unset = UNSET
    parameters: Mapping[str, Any] | Unset = UNSET  # template parts only


async def part_update(uow: UnitOfWork, viewer: Viewer, part_id: int, cmd: PartUpdate) -> Part:
    """Open to any portal user of the company (staff: ADMIN or SALES). A new material,
    thickness or template parameters re-check the drawing against the new sheet limits;
    when it no longer fits, nothing changes and the problems come back."""
    require_editor(viewer)
    errors = ErrorCollector()
    name = clean_name(cmd.name, errors) if cmd.name is not UNSET else UNSET
    if cmd.quantity is not UNSET:
        check_quantity(cmd.quantity, errors)
    if cmd.notes is not UNSET:
        _check_notes(cmd.notes, errors)
    errors.raise_if_any()
    async with uow:
        part = await get_part(uow, viewer, part_id, field="id", with_dxf=True, for_update=True)
        if cmd.parameters is not UNSET and part.source != PartSource.TEMPLATE.value:
            raise DomainError.single(
                PartErrorCode.INVALID, "Only template parts have parameters.", "parameters"
            )
        redraw = any(v is not UNSET for v in (cmd.material, cmd.thickness_mm, cmd.parameters))
        if redraw:
            await _redraw(uow, part, cmd)
        if name is not UNSET:
            part.name = name
        if cmd.notes is not UNSET:
            part.notes = cmd.notes
        if cmd.quantity is not UNSET:
            part.quantity = cmd.quantity
        await uow.session.flush()
        _changed(uow, part, "updated")
        await uow.commit()
        return part


async def _redraw(uow: UnitOfWork, part: Part, cmd: PartUpdate) -> None:
    shop = await load_shop(uow)
    current = shop.by_id(part.material_id)
    code = cmd.material if cmd.material is not UNSET else (current.code if current else "")
    thickness_mm = cmd.thickness_mm if cmd.thickness_mm is not UNSET else part.thickness_mm
    material, thickness = shop.resolve(code, thickness_mm)
    if part.source == PartSource.TEMPLATE.value:
        assert part.template_key is not None
        params = dict(part.template_params or {})
        if cmd.parameters is not UNSET:
            params.update(cmd.parameters)
        elif cmd.thickness_mm is not UNSET:
            params.pop("thickness", None)  # a bracket follows its new sheet
        drawing = await template_drawing(part.template_key, params, thickness)
        part.template_params = drawing.params
        part.dxf, part.dxf_sha256 = drawing.dxf, sha256(drawing.dxf)
        geometry = drawing.geometry
    else:
        units = LengthUnit[part.geometry.get("units", "MILLIMETRE")]
        geometry = await analyse(part.dxf, thickness, units)
    part.geometry = geometry_to_json(geometry)
    part.material_id = material.id
    part.thickness_mm = thickness.thickness_mm


async def part_copy(uow: UnitOfWork, viewer: Viewer, part_id: int, name: str | None = None) -> Part:
    """Open to any portal user of the company (staff: ADMIN or SALES): a new part with the
    same drawing, material and quantity, to change without touching the original."""
    require_editor(viewer)
    errors = ErrorCollector()
    new_name = clean_name(name, errors) if name is not None else None
    errors.raise_if_any()
    async with uow:
        source = await get_part(uow, viewer, part_id, field="id", with_dxf=True)
        copy = Part(
            company_id=source.company_id,
            created_by_id=viewer.user_id if viewer.is_portal else None,
            name=new_name or f"{source.name} (copy)"[:MAX_NAME],
            source=source.source,
            template_key=source.template_key,
            template_params=source.template_params,
            file_name=source.file_name,
            dxf=source.dxf,
            dxf_sha256=source.dxf_sha256,
            geometry=source.geometry,
            material_id=source.material_id,
            thickness_mm=source.thickness_mm,
            quantity=source.quantity,
            notes=source.notes,
        )
        uow.session.add(copy)
        await uow.session.flush()
        uow.record_event(
            PART_CHANGED,
            copy.company_id,
            {"partId": copy.id, "action": "copied", "copiedFromId": source.id},
        )
        await uow.commit()
        return copy


async def part_delete(uow: UnitOfWork, viewer: Viewer, part_id: int) -> int:
    """Open to any portal user of the company (staff: ADMIN or SALES). Final: the part leaves
    the library and every cart; placed orders keep their snapshot of it."""
    require_editor(viewer)
    async with uow:
        part = await get_part(uow, viewer, part_id, field="id", for_update=True)
        company_id = part.company_id
        await uow.session.delete(part)
        await uow.session.flush()
        uow.record_event(PART_CHANGED, company_id, {"partId": part_id, "action": "deleted"})
        await uow.commit()
        return part_id
