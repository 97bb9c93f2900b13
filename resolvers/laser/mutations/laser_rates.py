"""laserMaterialUpdate, laserMachineUpdate: the shop's laser price list (staff)."""

from __future__ import annotations

import strawberry
from strawberry.utils.str_converters import to_camel_case

from domain.laser import materials
from domain.laser.part_errors import PartErrorCode
from domain.laser.shop import load_shop
from domain.shared.errors import DomainError
from resolvers.ids import require_pk
from resolvers.laser.errors import run_laser
from schema.context import Info
from schema.laser.inputs import LaserMachineUpdateInput, LaserMaterialUpdateInput
from schema.laser.payloads import LaserMachineUpdatePayload, LaserMaterialUpdatePayload
from schema.laser.types import LaserMachine, LaserMaterial

NF = PartErrorCode.NOT_FOUND


def _given(input: object, names: tuple[str, ...], cmd: object) -> None:
    for name in names:
        value = getattr(input, name)
        if value is strawberry.UNSET:
            continue
        if value is None:
            field = to_camel_case(name)
            raise DomainError.single(PartErrorCode.REQUIRED, "This field cannot be null.", field)
        setattr(cmd, name, value)


async def laser_material_update(
    info: Info, input: LaserMaterialUpdateInput
) -> LaserMaterialUpdatePayload:
    ctx = info.context

    async def action() -> LaserMaterial:
        material_id = require_pk(input.id, LaserMaterial, "id", NF)
        cmd = materials.MaterialUpdate()
        _given(input, ("name", "price_per_kg", "is_active"), cmd)
        await materials.laser_material_update(ctx.uow, ctx.viewer, material_id, cmd)
        updated = (await load_shop(ctx.uow)).by_id(material_id)
        assert updated is not None
        return LaserMaterial.from_shop(updated)

    return await run_laser(LaserMaterialUpdatePayload, action, lambda m: {"laser_material": m})


async def laser_machine_update(
    info: Info, input: LaserMachineUpdateInput
) -> LaserMachineUpdatePayload:
    ctx = info.context

    async def action() -> LaserMachine:
        cmd = materials.MachineUpdate()
        _given(input, tuple(materials.MachineUpdate.__dataclass_fields__), cmd)
        return LaserMachine.from_model(
            await materials.laser_machine_update(ctx.uow, ctx.viewer, cmd)
        )

    return await run_laser(LaserMachineUpdatePayload, action, lambda m: {"laser_machine": m})
