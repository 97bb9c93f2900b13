"""Demo catalog for `pressroom seed-demo`: two channels, three print products with realistic
rules, a laser-part product, laser materials in common thicknesses and the machine rates."""

from __future__ import annotations

from sqlalchemy import insert, select

from adapters.db import SqlUnitOfWork
from domain.catalog.models import Channel, Product, ProductKind, ProductVersion, channel_product
from domain.catalog.services import validate_definition
from domain.laser.costing import DEMO_MACHINE_RATES, DEMO_MATERIALS
from domain.laser.models import LaserMachine, LaserMaterial, LaserThickness
from domain.pricing.demo_products import DEMO_PRODUCTS

DESCRIPTIONS = {
    "leaflet": "Flyers and leaflets in A6 to A4, digital or offset, on coated paper.",
    "business-cards": "Business cards on heavy board, one or two sides, per name.",
    "folded-brochure": "Folded brochures (letter, zigzag or gate fold) in DL and A4.",
}


async def seed_catalog(uow: SqlUnitOfWork) -> bool:
    """Idempotent: False when the demo catalog is already there."""
    async with uow:
        if await uow.scalar(select(Channel.id).where(Channel.code == "main")):
            return False
        main = Channel(code="main", name="Pressroom Print Shop", currency="EUR")
        brand = Channel(code="trade", name="Trade Portal", currency="EUR")
        uow.session.add_all([main, brand])
        await uow.session.flush()
        for position, (code, data) in enumerate(DEMO_PRODUCTS.items()):
            validate_definition(ProductKind.PRINT, data["spec"], data["rules"])
            product = Product(
                code=code,
                kind=ProductKind.PRINT,
                name=data["name"],
                description=DESCRIPTIONS.get(code, ""),
                search_text=f"{code} {data['name']} {DESCRIPTIONS.get(code, '')}".lower(),
            )
            uow.session.add(product)
            await uow.session.flush()
            version = ProductVersion(
                product_id=product.id, version=1, spec=data["spec"], rules=data["rules"]
            )
            uow.session.add(version)
            await uow.session.flush()
            product.current_version_id = version.id
            await uow.session.execute(
                insert(channel_product),
                [
                    {"channel_id": main.id, "product_id": product.id, "position": position},
                    {"channel_id": brand.id, "product_id": product.id, "position": position},
                ],
            )
        laser = Product(
            code="laser-part",
            kind=ProductKind.LASER_PART,
            name="Laser-cut part",
            description="Parts cut from sheet steel, stainless or aluminium: upload a DXF or "
            "start from a template.",
            search_text="laser-part laser cut part dxf sheet metal steel stainless aluminium",
        )
        uow.session.add(laser)
        await uow.session.flush()
        laser_version = ProductVersion(product_id=laser.id, version=1, spec=laser_spec(), rules={})
        uow.session.add(laser_version)
        await uow.session.flush()
        laser.current_version_id = laser_version.id
        await uow.session.execute(
            insert(channel_product),
            [
                {"channel_id": main.id, "product_id": laser.id, "position": 10},
                {"channel_id": brand.id, "product_id": laser.id, "position": 10},
            ],
        )
        for material in DEMO_MATERIALS.values():
            row = LaserMaterial(
                code=material.code,
                name=material.name,
                density_g_cm3=material.density_g_cm3,
                price_per_kg=material.price_per_kg,
            )
            uow.session.add(row)
            await uow.session.flush()
            uow.session.add_all(
                LaserThickness(
                    material_id=row.id,
                    thickness_mm=t.thickness_mm,
                    cutting_speed_mm_per_min=t.cutting_speed_mm_per_min,
                    pierce_time_s=t.pierce_time_s,
                    min_hole_diameter_mm=t.min_hole_diameter_mm,
                    max_sheet_width_mm=t.max_sheet_width_mm,
                    max_sheet_height_mm=t.max_sheet_height_mm,
                )
                for t in material.thicknesses
            )
        r = DEMO_MACHINE_RATES
        uow.session.add(
            LaserMachine(
                hourly_rate=r.hourly_rate,
                setup_amount=r.setup_amount,
                scrap_factor=r.scrap_factor,
                handling_seconds_per_part=r.handling_seconds_per_part,
            )
        )
        await uow.commit()
        return True


def laser_spec() -> dict[str, object]:
    """What a buyer picks for a laser part besides the drawing: material and thickness."""
    materials = list(DEMO_MATERIALS.values())
    thicknesses = sorted({t.thickness_mm for m in materials for t in m.thicknesses})
    return {
        "parameters": [
            {
                "key": "material",
                "label": "Material",
                "kind": "enum",
                "options": [{"key": m.code, "label": m.name} for m in materials],
                "default": materials[0].code,
            },
            {
                "key": "thickness",
                "label": "Sheet thickness",
                "kind": "decimal",
                "unit": "mm",
                "min": str(thicknesses[0]),
                "max": str(thicknesses[-1]),
                "step": "0.5",
                "default": "2",
            },
        ]
    }
