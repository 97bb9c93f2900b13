"""partCreateFromDxf, partCreateFromTemplate."""

from __future__ import annotations

from typing import Any

from domain.laser import part_library as library
from domain.laser.part_drawings import MAX_DXF_BYTES
from domain.laser.part_errors import PartErrorCode
from domain.shared.errors import DomainError
from resolvers.ids import optional_pk
from resolvers.laser.errors import run_laser
from resolvers.laser.uploads import read_upload
from schema.accounts.types import Company
from schema.context import Info
from schema.laser.inputs import PartCreateFromDxfInput, PartCreateFromTemplateInput
from schema.laser.parts import Part
from schema.laser.payloads import PartCreateFromDxfPayload, PartCreateFromTemplatePayload

NF = PartErrorCode.NOT_FOUND


def _spec(info: Info, input: Any) -> library.PartSpec:
    company_id = (
        optional_pk(input.company_id, Company, "companyId", NF)
        if info.context.viewer.is_staff
        else None
    )
    return library.PartSpec(
        name=input.name,
        material=input.material,
        thickness_mm=input.thickness_mm,
        quantity=input.quantity,
        notes=input.notes,
        company_id=company_id,
    )


async def part_create_from_dxf(
    info: Info, input: PartCreateFromDxfInput
) -> PartCreateFromDxfPayload:
    ctx = info.context

    async def action() -> Part:
        data, file_name = await read_upload(input.file, MAX_DXF_BYTES)
        part = await library.part_create_from_dxf(
            ctx.uow, ctx.viewer, _spec(info, input), data, file_name, input.units
        )
        return Part.from_model(part)

    return await run_laser(PartCreateFromDxfPayload, action, lambda p: {"part": p})


async def part_create_from_template(
    info: Info, input: PartCreateFromTemplateInput
) -> PartCreateFromTemplatePayload:
    ctx = info.context

    async def action() -> Part:
        if not isinstance(input.parameters, dict):
            raise DomainError.single(PartErrorCode.INVALID, "Expected a JSON object.", "parameters")
        part = await library.part_create_from_template(
            ctx.uow, ctx.viewer, _spec(info, input), input.template, input.parameters
        )
        return Part.from_model(part)

    return await run_laser(PartCreateFromTemplatePayload, action, lambda p: {"part": p})
