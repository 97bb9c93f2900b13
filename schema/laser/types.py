"""Laser shop types: error codes, materials with their thicknesses, machine rates, templates."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from enum import Enum
from typing import TypeAlias

import strawberry
from strawberry import relay

from domain.laser.errors import LaserErrorCode as _DrawingCode
from domain.laser.models import LaserMachine as LaserMachineModel
from domain.laser.part_errors import PartErrorCode as _PartCode
from domain.laser.part_geometry import LengthUnit
from domain.laser.parts import PartSource as _PartSource
from domain.laser.shop import ShopMaterial
from domain.laser.template_shapes import TemplateDef
from schema.context import Info
from schema.core import UserError
from schema.permissions import IsStaff, hidden_unless

# Drawing faults and library/import failures in one enum: a client handles one list.
# Members computed from the domain enums: mypy cannot type that, so LaserErrorCode is Any to it.
LaserErrorCode = strawberry.enum(  # type: ignore[call-overload]
    Enum(
        "LaserErrorCode",
        {c.name: c.name for c in (*_DrawingCode, *_PartCode)},
    ),
    description="Why a laser part, its drawing, an import or a laser price change failed.",
)
# GraphQL enums are the domain enums themselves: strawberry.enum registers a class in place,
# and the alias lets mypy read the name as a type.
DrawingUnits: TypeAlias = LengthUnit
strawberry.enum(
    DrawingUnits,
    name="DrawingUnits",
    description="Units a drawing without declared units ($INSUNITS 0) is read in.",
)
PartSource: TypeAlias = _PartSource
strawberry.enum(PartSource, description="Where a part's drawing came from.")


@strawberry.type(
    description="A failure of a laser mutation. Drawing problems carry their place: `x`/`y` in "
    "millimetres in the drawing's own coordinates, the entity `handle` and `layer` as CAD shows "
    'them; `field` is then e.g. `["file", "entity:2F", "layer:CUT"]`.'
)
class LaserError(UserError):
    code: LaserErrorCode  # type: ignore[valid-type]
    x: float | None = None
    y: float | None = None
    handle: str | None = None
    layer: str | None = None


@strawberry.type(description="A sheet thickness the shop cuts a material in, and its limits.")
class LaserThickness:
    thickness_mm: Decimal
    min_hole_diameter_mm: Decimal = strawberry.field(
        description="Smallest hole (4·area/perimeter) the laser cuts cleanly in this sheet."
    )
    max_sheet_width_mm: Decimal
    max_sheet_height_mm: Decimal


@strawberry.type(description="A sheet material the shop cuts, priced by weight.")
class LaserMaterial(relay.Node):
    id: relay.NodeID[int]
    code: str
    name: str
    density_g_cm3: Decimal
    is_active: bool = strawberry.field(description="Withdrawn materials are not offered.")
    thicknesses: list[LaserThickness]
    _price_per_kg: strawberry.Private[Decimal]

    @classmethod
    def from_shop(cls, m: ShopMaterial) -> LaserMaterial:
        material = m.material
        return cls(
            id=m.id,
            code=material.code,
            name=material.name,
            density_g_cm3=material.density_g_cm3,
            is_active=m.is_active,
            thicknesses=[
                LaserThickness(
                    thickness_mm=t.thickness_mm,
                    min_hole_diameter_mm=t.min_hole_diameter_mm,
                    max_sheet_width_mm=t.max_sheet_width_mm,
                    max_sheet_height_mm=t.max_sheet_height_mm,
                )
                for t in material.thicknesses
            ],
            _price_per_kg=material.price_per_kg,
        )

    @strawberry.field(
        description="The shop's price per kilogram (staff only; null for others).",
        extensions=hidden_unless(IsStaff()),
    )
    def price_per_kg(self) -> Decimal | None:
        return self._price_per_kg

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[LaserMaterial | None]:
        shop = await info.context.loaders.laser_shop.load(0)
        staff = info.context.viewer.is_staff
        out: list[LaserMaterial | None] = []
        for raw in node_ids:
            found = shop.by_id(int(raw)) if raw.isdigit() else None
            visible = found is not None and (found.is_active or staff)
            out.append(cls.from_shop(found) if visible and found else None)
        return out


@strawberry.type(description="The shop's machine rates for laser work (staff only).")
class LaserMachine:
    hourly_rate: Decimal = strawberry.field(description="Machine with operator, per hour.")
    setup_amount: Decimal = strawberry.field(description="Per order line.")
    scrap_factor: Decimal = strawberry.field(
        description="Sheet paid on top of the part, e.g. 1.15."
    )
    handling_seconds_per_part: Decimal
    vat_rate_percent: Decimal
    minimum_net: Decimal = strawberry.field(description="Smallest net price of an order line.")

    @classmethod
    def from_model(cls, m: LaserMachineModel) -> LaserMachine:
        return cls(
            hourly_rate=m.hourly_rate,
            setup_amount=m.setup_amount,
            scrap_factor=m.scrap_factor,
            handling_seconds_per_part=m.handling_seconds_per_part,
            vat_rate_percent=m.vat_rate_percent,
            minimum_net=m.minimum_net,
        )


@strawberry.type(description="An input of a part template, with its range (to build a form).")
class PartTemplateParameter:
    key: str
    label: str
    unit: str = strawberry.field(description="`mm`, `count` (whole number) or `ratio`.")
    minimum: float
    maximum: float
    default: float


@strawberry.type(description="A parametric part a customer can order without a drawing.")
class PartTemplate:
    key: str
    label: str
    description: str
    parameters: list[PartTemplateParameter]

    @classmethod
    def of(cls, t: TemplateDef) -> PartTemplate:
        return cls(
            key=t.key,
            label=t.name,
            description=t.description,
            parameters=[
                PartTemplateParameter(
                    key=p.key,
                    label=p.label,
                    unit=p.unit,
                    minimum=p.minimum,
                    maximum=p.maximum,
                    default=p.default,
                )
                for p in t.parameters
            ],
        )
