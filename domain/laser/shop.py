"""The shop's laser data read from the database (materials, thicknesses, machine rates) and
the one price function for a part: cost lines from ``costing``, finished by the engine.

Commands read it fresh (``load_shop``). Read paths (part quotes, library prices) use
``load_shop_for_read``: the same data kept per process and dropped when a material, thickness
or the machine changes, in every process (domain/shared/read_cache.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from sqlalchemy import select

from domain.laser.costing import MachineRates, Material, MaterialThickness, laser_cost_lines
from domain.laser.models import LaserMachine, LaserMaterial, LaserThickness
from domain.laser.part_errors import PartErrorCode
from domain.laser.part_geometry import PartGeometry
from domain.pricing.analysis import MAX_QUANTITY
from domain.pricing.context import PriceContext
from domain.pricing.engine import evaluate_lines
from domain.pricing.result import PriceResult
from domain.shared.errors import DomainError, ErrorDetail, excerpt
from domain.shared.read_cache import CACHES
from domain.shared.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class ShopRates:
    """Machine rates plus how a laser price is finished: VAT and the minimum net per line."""

    machine: MachineRates
    vat_rate_percent: Decimal
    minimum_net: Decimal


@dataclass(frozen=True, slots=True)
class ShopMaterial:
    """A material row: its database id and activity beside the costing data."""

    id: int
    is_active: bool
    material: Material

    @property
    def code(self) -> str:
        return self.material.code


@dataclass(frozen=True, slots=True)
class LaserShop:
    materials: tuple[ShopMaterial, ...]
    rates: ShopRates | None  # None until the shop has entered its machine rates

    def by_id(self, material_id: int) -> ShopMaterial | None:
        return next((m for m in self.materials if m.id == material_id), None)

    def find(self, code_or_name: str) -> ShopMaterial | None:
        """An active material by code or name, ignoring case (import sheets use either)."""
        key = code_or_name.strip().casefold()
        for m in self.materials:
            if m.is_active and key in (m.code.casefold(), m.material.name.casefold()):
                return m
        return None

    def resolve(
        self, code: str, thickness_mm: Decimal, field: tuple[str, ...] = ()
    ) -> tuple[ShopMaterial, MaterialThickness]:
        """The material and thickness a customer chose, or UNKNOWN_MATERIAL/UNKNOWN_THICKNESS
        pointing at ``material``/``thicknessMm`` (under ``field``)."""
        # The database keeps hundredths; a float from JSON (0.8000000000000000444) is 0.80.
        try:
            thickness_mm = thickness_mm.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        except ArithmeticError:
            pass  # NaN or astronomically thick: matches no thickness below
        material = self.find(code)
        if material is None:
            known = ", ".join(m.code for m in self.materials if m.is_active)
            raise DomainError.single(
                PartErrorCode.UNKNOWN_MATERIAL,
                f"Unknown material {excerpt(code)}; choose one of {known}.",
                (*field, "material"),
            )
        thickness = material.material.thickness(thickness_mm)
        if thickness is None:
            raise DomainError.single(
                PartErrorCode.UNKNOWN_THICKNESS,
                f"{material.material.name} is not cut in {_mm(thickness_mm)} mm; available: "
                f"{thickness_list(material.material)} mm.",
                (*field, "thicknessMm"),
            )
        return material, thickness

    def require_rates(self) -> ShopRates:
        if self.rates is None:
            raise DomainError.single(
                PartErrorCode.NOT_CONFIGURED, "Laser cutting is not set up in this shop yet."
            )
        return self.rates


def _mm(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def thickness_list(material: Material) -> str:
    return ", ".join(_mm(t.thickness_mm) for t in material.thicknesses)


def parse_thickness(raw: object, field: str | tuple[str, ...] = "thicknessMm") -> Decimal:
    """A thickness as typed (``1.5``, ``"1,5"``); INVALID_NUMBER otherwise."""
    try:
        value = Decimal(str(raw).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        value = Decimal("NaN")
    if not value.is_finite() or value <= 0:
        raise DomainError.single(
            PartErrorCode.INVALID_NUMBER,
            f"The thickness must be a positive number of millimetres, not {excerpt(raw)}.",
            field,
        )
    return value


_SHOP = CACHES.cache(
    "laser_shop", tables=("laser_material", "laser_thickness", "laser_machine"), maxsize=1
)


async def load_shop_for_read(uow: UnitOfWork) -> LaserShop:
    """``load_shop`` from the read cache (committed data, plain values)."""
    return await _SHOP.read_through(None, uow, load_shop)


async def load_shop(uow: UnitOfWork) -> LaserShop:
    """Every material (inactive ones too: existing parts keep naming them) and the rates."""
    rows = await uow.rows(
        select(LaserMaterial, LaserThickness)
        .outerjoin(LaserThickness, LaserThickness.material_id == LaserMaterial.id)
        .order_by(LaserMaterial.code, LaserThickness.thickness_mm)
    )
    thicknesses: dict[int, list[MaterialThickness]] = {}
    materials: dict[int, LaserMaterial] = {}
    for material, thickness in rows:
        materials[material.id] = material
        bucket = thicknesses.setdefault(material.id, [])
        if thickness is not None:
            bucket.append(
                MaterialThickness(
                    thickness_mm=thickness.thickness_mm,
                    cutting_speed_mm_per_min=thickness.cutting_speed_mm_per_min,
                    pierce_time_s=thickness.pierce_time_s,
                    min_hole_diameter_mm=thickness.min_hole_diameter_mm,
                    max_sheet_width_mm=thickness.max_sheet_width_mm,
                    max_sheet_height_mm=thickness.max_sheet_height_mm,
                )
            )
    machine: LaserMachine | None = await uow.scalar(
        select(LaserMachine).order_by(LaserMachine.id).limit(1)
    )
    rates = None
    if machine is not None:
        rates = ShopRates(
            MachineRates(
                hourly_rate=machine.hourly_rate,
                setup_amount=machine.setup_amount,
                scrap_factor=machine.scrap_factor,
                handling_seconds_per_part=machine.handling_seconds_per_part,
            ),
            vat_rate_percent=machine.vat_rate_percent,
            minimum_net=machine.minimum_net,
        )
    return LaserShop(
        tuple(
            ShopMaterial(
                m.id,
                m.is_active,
                Material(
                    m.code,
                    m.name,
                    m.density_g_cm3,
                    m.price_per_kg,
                    tuple(thicknesses.get(m.id, ())),
                ),
            )
            for m in materials.values()
        ),
        rates,
    )


def price_part(
    geometry: PartGeometry,
    material: Material,
    thickness: MaterialThickness,
    rates: ShopRates,
    quantity: int,
    ctx: PriceContext,
) -> PriceResult:
    """The price of ``quantity`` parts for the buyer in ``ctx``: setup, material, cutting,
    piercing and handling, then the shop's minimum, the buyer's discounts/markup and VAT.
    A quantity out of range gives an invalid result with a message, never an exception."""
    valid = isinstance(quantity, int) and not isinstance(quantity, bool)
    lines = (
        laser_cost_lines(geometry, material, thickness, rates.machine, quantity)
        if valid and 1 <= quantity <= MAX_QUANTITY
        else []
    )
    return evaluate_lines(lines, quantity, ctx, rates.vat_rate_percent, rates.minimum_net)


def unpriced(ctx: PriceContext, quantity: int, problem: ErrorDetail) -> PriceResult:
    """An invalid result naming why a part cannot be priced now (e.g. material withdrawn)."""
    vat = ctx.vat_rate_percent if ctx.vat_rate_percent is not None else Decimal(0)
    return PriceResult(quantity, ctx.currency, vat, messages=(problem,))
