"""partUpdate, partCopy, partDelete."""

from __future__ import annotations

import strawberry

from domain.laser import part_library as library
from domain.laser.part_errors import PartErrorCode
from domain.shared.errors import DomainError
from domain.shared.unset import UNSET
from resolvers.ids import require_pk
from resolvers.laser.errors import run_laser
from schema.context import Info
from schema.core import to_gid
from schema.laser.inputs import PartCopyInput, PartDeleteInput, PartUpdateInput
from schema.laser.parts import Part
from schema.laser.payloads import PartCopyPayload, PartDeletePayload, PartUpdatePayload

NF = PartErrorCode.NOT_FOUND


def _required(value: object, field: str) -> None:
    if value is None:
        raise DomainError.single(PartErrorCode.REQUIRED, "This field cannot be null.", field)


def _update(input: PartUpdateInput) -> library.PartUpdate:
    cmd = library.PartUpdate()
    for name, field in (
        ("name", "name"),
        ("notes", "notes"),
        ("quantity", "quantity"),
        ("material", "material"),
        ("thickness_mm", "thicknessMm"),
        ("parameters", "parameters"),
    ):
        value = getattr(input, name)
        if value is not strawberry.UNSET:
            _required(value, field)
            setattr(cmd, name, value)
    if cmd.parameters is not UNSET and not isinstance(cmd.parameters, dict):
        raise DomainError.single(PartErrorCode.INVALID, "Expected a JSON object.", "parameters")
    return cmd


async def part_update(info: Info, input: PartUpdateInput) -> PartUpdatePayload:
    ctx = info.context

    async def action() -> Part:
        part_id = require_pk(input.id, Part, "id", NF)
        part = await library.part_update(ctx.uow, ctx.viewer, part_id, _update(input))
        return Part.from_model(part)

    return await run_laser(PartUpdatePayload, action, lambda p: {"part": p})


async def part_copy(info: Info, input: PartCopyInput) -> PartCopyPayload:
    ctx = info.context

    async def action() -> Part:
        part_id = require_pk(input.id, Part, "id", NF)
        return Part.from_model(await library.part_copy(ctx.uow, ctx.viewer, part_id, input.name))

    return await run_laser(PartCopyPayload, action, lambda p: {"part": p})


async def part_delete(info: Info, input: PartDeleteInput) -> PartDeletePayload:
    ctx = info.context

    async def action() -> int:
        part_id = require_pk(input.id, Part, "id", NF)
        return await library.part_delete(ctx.uow, ctx.viewer, part_id)

    return await run_laser(PartDeletePayload, action, lambda pk: {"deleted_id": to_gid("Part", pk)})
