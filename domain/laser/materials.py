"""The shop's laser price list, kept by staff: material prices per kilogram and the machine
rates. A change re-prices every part from then on (prices are never stored with a part) and
records an event, so live prices and other processes follow at once."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from domain.accounts.policies import CUSTOMER_ADMIN_ROLES, require_staff_role
from domain.accounts.viewer import Viewer
from domain.laser.models import LaserMachine, LaserMaterial
from domain.laser.part_errors import PartErrorCode
from domain.shared.errors import DomainError, ErrorCollector
from domain.shared.unset import UNSET, Unset
from domain.shared.uow import UnitOfWork

MATERIAL_CHANGED = "laser.material_changed"
MACHINE_CHANGED = "laser.machine_changed"
_MAX_MONEY = Decimal("1000000")


def _money(
    value: Decimal, field: str, errors: ErrorCollector, lowest: Decimal = Decimal(0)
) -> None:
    if not value.is_finite() or not lowest <= value <= _MAX_MONEY:
        errors.add(
            PartErrorCode.INVALID_NUMBER,
            f"A number from {lowest} to {_MAX_MONEY:,}.",
            field,
        )


@dataclass(slots=True)
class MaterialUpdate:
    name: str | Unset = UNSET
    price_per_kg: Decimal | Unset = UNSET
    is_active: bool | Unset = UNSET


async def laser_material_update(
    uow: UnitOfWork, viewer: Viewer, material_id: int, cmd: MaterialUpdate
) -> LaserMaterial:
    """Staff with role ADMIN or SALES change a material's price per kg, name or availability
    (a withdrawn material is no longer offered; parts in it must change material)."""
    require_staff_role(viewer, CUSTOMER_ADMIN_ROLES)
    errors = ErrorCollector()
    if cmd.price_per_kg is not UNSET:
        _money(cmd.price_per_kg, "pricePerKg", errors)
    if cmd.name is not UNSET and not cmd.name.strip():
        errors.add(PartErrorCode.REQUIRED, "The name is required.", "name")
    errors.raise_if_any()
    async with uow:
        material = await uow.session.get(LaserMaterial, material_id, with_for_update=True)
        if material is None:
            raise DomainError.single(PartErrorCode.NOT_FOUND, "Material not found.", "id")
        if cmd.price_per_kg is not UNSET:
            material.price_per_kg = cmd.price_per_kg.quantize(Decimal("0.0001"))
        if cmd.name is not UNSET:
            material.name = cmd.name.strip()[:120]
        if cmd.is_active is not UNSET:
            material.is_active = cmd.is_active
        await uow.session.flush()
        uow.record_event(
            MATERIAL_CHANGED,
            None,
            {
                "materialId": material.id,
                "code": material.code,
                "pricePerKg": str(material.price_per_kg),
                "isActive": material.is_active,
            },
        )
        await uow.commit()
        return material


async def laser_machine(uow: UnitOfWork) -> LaserMachine | None:
    machine: LaserMachine | None = await uow.scalar(
        select(LaserMachine).order_by(LaserMachine.id).limit(1)
    )
    return machine


@dataclass(slots=True)
class MachineUpdate:
    hourly_rate: Decimal | Unset = UNSET
    setup_amount: Decimal | Unset = UNSET
    scrap_factor: Decimal | Unset = UNSET
    handling_seconds_per_part: Decimal | Unset = UNSET
    vat_rate_percent: Decimal | Unset = UNSET
    minimum_net: Decimal | Unset = UNSET


def _check_machine(cmd: MachineUpdate) -> None:
    errors = ErrorCollector()
    for name, field, lowest in (
        ("hourly_rate", "hourlyRate", Decimal(0)),
        ("setup_amount", "setupAmount", Decimal(0)),
        ("scrap_factor", "scrapFactor", Decimal(1)),
        ("handling_seconds_per_part", "handlingSecondsPerPart", Decimal(0)),
        ("minimum_net", "minimumNet", Decimal(0)),
    ):
        value = getattr(cmd, name)
        if value is not UNSET:
            _money(value, field, errors, lowest)
    if cmd.scrap_factor is not UNSET and cmd.scrap_factor > 10:
        errors.add(PartErrorCode.INVALID_NUMBER, "A scrap factor from 1 to 10.", "scrapFactor")
    if cmd.vat_rate_percent is not UNSET and not 0 <= cmd.vat_rate_percent <= 100:
        errors.add(PartErrorCode.INVALID_NUMBER, "A VAT rate from 0 to 100 %.", "vatRatePercent")
    errors.raise_if_any()


async def laser_machine_update(uow: UnitOfWork, viewer: Viewer, cmd: MachineUpdate) -> LaserMachine:
    """Staff with role ADMIN or SALES change the machine rates, VAT rate or minimum net."""
    require_staff_role(viewer, CUSTOMER_ADMIN_ROLES)
    _check_machine(cmd)
    async with uow:
        machine: LaserMachine | None = await uow.scalar(
            select(LaserMachine).order_by(LaserMachine.id).limit(1).with_for_update()
        )
        if machine is None:
            raise DomainError.single(
                PartErrorCode.NOT_CONFIGURED, "Laser cutting is not set up in this shop yet."
            )
        for name in MachineUpdate.__dataclass_fields__:
            value = getattr(cmd, name)
            if value is not UNSET:
                setattr(machine, name, value)
        await uow.session.flush()
        uow.record_event(MACHINE_CHANGED, None, {"machineId": machine.id})
        await uow.commit()
        return machine
