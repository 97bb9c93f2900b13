"""The parts library as the API shows it: parts, their drawings' figures, and their prices."""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry import relay
from strawberry.scalars import JSON

from domain.laser.models import Part as PartModel
from domain.laser.part_geometry import Hole, PartGeometry, geometry_from_json
from domain.laser.part_quotes import PartQuote as DomainQuote
from domain.laser.part_quotes import quote_saved_part
from domain.laser.svg import contours_to_svg
from domain.shared.errors import DomainError
from schema.accounts.types import Company, _resolve_by_loader
from schema.context import Info
from schema.laser.types import DrawingUnits, LaserMaterial, PartSource
from schema.pricing.types import Price

PART_FILE_PATH = "/files/parts/{id}.dxf"


@strawberry.type(description="A hole of a part, in part coordinates (bounding box at 0, 0).")
class PartHole:
    centre_x_mm: float
    centre_y_mm: float
    diameter_mm: float = strawberry.field(description="Of the circle with the same area.")
    hydraulic_diameter_mm: float = strawberry.field(
        description="4·area/perimeter: what the smallest hole of a thickness is checked against."
    )
    area_mm2: float

    @classmethod
    def of(cls, h: Hole) -> PartHole:
        return cls(
            centre_x_mm=round(h.centre_x_mm, 3),
            centre_y_mm=round(h.centre_y_mm, 3),
            diameter_mm=round(h.equivalent_diameter_mm, 3),
            hydraulic_diameter_mm=round(h.hydraulic_diameter_mm, 3),
            area_mm2=round(h.area_mm2, 3),
        )


def _weight_kg(g: PartGeometry, thickness_mm: Decimal, density: Decimal) -> float:
    return round(g.weight_g(float(thickness_mm), float(density)) / 1000.0, 4)


@strawberry.type(description="The figures of a checked drawing (lengths in mm, areas in mm²).")
class PartDrawing:
    width_mm: float
    height_mm: float
    cut_length_mm: float
    pierce_count: int = strawberry.field(description="One per contour: the outline and holes.")
    net_area_mm2: float = strawberry.field(description="Outline minus holes.")
    hole_count: int
    weight_kg: float = strawberry.field(description="One part, in the chosen material.")
    source_units: DrawingUnits
    _geometry: strawberry.Private[PartGeometry]

    @classmethod
    def of(cls, g: PartGeometry, thickness_mm: Decimal, density: Decimal) -> PartDrawing:
        return cls(
            width_mm=round(g.width_mm, 3),
            height_mm=round(g.height_mm, 3),
            cut_length_mm=round(g.cut_length_mm, 3),
            pierce_count=g.pierce_count,
            net_area_mm2=round(g.area_mm2, 3),
            hole_count=len(g.holes),
            weight_kg=_weight_kg(g, thickness_mm, density),
            source_units=g.source_units,
            _geometry=g,
        )

    @strawberry.field
    def holes(self) -> list[PartHole]:
        return [PartHole.of(h) for h in self._geometry.holes]

    @strawberry.field(description="A standalone SVG of the part (viewBox in mm), holes open.")
    def svg_preview(self) -> str:
        return contours_to_svg(self._geometry)


@strawberry.type(description="A laser part in a company's library, checked for its material.")
class Part(relay.Node):
    id: relay.NodeID[int]
    name: str
    source: PartSource
    file_name: str | None = strawberry.field(description="The uploaded file's name.")
    notes: str
    template: str | None = strawberry.field(description="The template key of template parts.")
    template_parameters: JSON | None = strawberry.field(
        description="Every template parameter, defaults filled in."
    )
    thickness_mm: Decimal
    quantity: int = strawberry.field(description="The usual quantity; prices default to it.")
    dxf_sha256: str = strawberry.field(description="SHA-256 of the DXF, to spot duplicates.")
    created_at: dt.datetime
    updated_at: dt.datetime
    _model: strawberry.Private[PartModel]
    _memo: strawberry.Private[dict[str, Any]]

    @classmethod
    def from_model(cls, p: PartModel) -> Part:
        return cls(
            id=p.id,
            name=p.name,
            source=PartSource(p.source),
            file_name=p.file_name,
            notes=p.notes,
            template=p.template_key,
            template_parameters=None if p.template_params is None else JSON(p.template_params),
            thickness_mm=p.thickness_mm,
            quantity=p.quantity,
            dxf_sha256=p.dxf_sha256,
            created_at=p.created_at,
            updated_at=p.updated_at,
            _model=p,
            _memo={},
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Part | None]:
        return await _resolve_by_loader(cls, info, node_ids, "part", required)

    def _geometry(self) -> PartGeometry:
        if "g" not in self._memo:
            self._memo["g"] = geometry_from_json(self._model.geometry)
        geometry: PartGeometry = self._memo["g"]
        return geometry

    def _figure(self, key: str) -> float:
        return round(float(self._model.geometry[key]), 3)

    @strawberry.field
    def width_mm(self) -> float:
        return self._figure("widthMm")

    @strawberry.field
    def height_mm(self) -> float:
        return self._figure("heightMm")

    @strawberry.field
    def cut_length_mm(self) -> float:
        return self._figure("cutLengthMm")

    @strawberry.field(description="One per contour: the outline and each hole.")
    def pierce_count(self) -> int:
        return int(self._model.geometry["pierceCount"])

    @strawberry.field(description="Outline minus holes.")
    def net_area_mm2(self) -> float:
        return self._figure("areaMm2")

    @strawberry.field
    def hole_count(self) -> int:
        return len(self._model.geometry["holes"])

    @strawberry.field
    def holes(self) -> list[PartHole]:
        return [PartHole.of(h) for h in self._geometry().holes]

    @strawberry.field(description="A standalone SVG of the part (viewBox in mm), holes open.")
    def svg_preview(self) -> str:
        return contours_to_svg(self._geometry())

    @strawberry.field(description="The units the drawing was read in.")
    def source_units(self) -> DrawingUnits:
        return self._geometry().source_units

    @strawberry.field
    async def material(self, info: Info) -> LaserMaterial | None:
        shop = await info.context.loaders.laser_shop.load(0)
        found = shop.by_id(self._model.material_id)
        return LaserMaterial.from_shop(found) if found else None

    @strawberry.field(description="One part's weight in its material, in kilograms.")
    async def weight_kg(self, info: Info) -> float | None:
        shop = await info.context.loaders.laser_shop.load(0)
        found = shop.by_id(self._model.material_id)
        if found is None:
            return None
        return _weight_kg(self._geometry(), self._model.thickness_mm, found.material.density_g_cm3)

    @strawberry.field(description="The DXF file, base64-encoded (see `dxfUrl` for a download).")
    async def dxf(self, info: Info) -> str | None:
        data = await info.context.loaders.part_dxf.load(self._model.id)
        return base64.b64encode(data).decode() if data is not None else None

    @strawberry.field(
        description="Download address of the DXF; send the same bearer token as to /graphql."
    )
    def dxf_url(self, info: Info) -> str:
        base = info.context.services.public_base_url.rstrip("/")
        return base + PART_FILE_PATH.format(id=relay.to_base64("Part", self._model.id))

    @strawberry.field
    async def company(self, info: Info) -> Company | None:
        c = await info.context.loaders.company.load(self._model.company_id)
        return Company.from_model(c) if c else None

    @strawberry.field(
        description="The part's price now, for its company's terms (their markup and discount), "
        "at `quantity` (default: the part's quantity), with a price table over `quantities` "
        "(at most 20). Null when the channel is unknown or closed to the viewer."
    )
    async def price(
        self,
        info: Info,
        quantity: int | None = None,
        quantities: list[int] | None = None,
        channel: str | None = None,
    ) -> PartQuote | None:
        loaders = info.context.loaders
        ctx = await loaders.laser_price_context.load((channel, self._model.company_id))
        if ctx is None:
            return None
        shop = await loaders.laser_shop.load(0)
        amount = quantity if quantity is not None else self._model.quantity
        tokens = info.context.services.price_tokens
        try:
            quote = quote_saved_part(shop, self._model, amount, quantities or [], ctx, tokens)
        except DomainError as exc:
            raise GraphQLError(
                exc.details[0].message, extensions={"code": "BAD_USER_INPUT"}
            ) from None
        return PartQuote.of(quote, part=self)


@strawberry.type(description="A laser part's price now, with a token checkout honours.")
class PartQuote:
    part: Part | None = strawberry.field(description="The saved part, if one was priced.")
    drawing: PartDrawing | None = strawberry.field(
        description="The checked drawing's figures; null when it could not be priced."
    )
    material: LaserMaterial | None
    thickness_mm: Decimal | None
    template_parameters: JSON | None = strawberry.field(
        description="For templates: every parameter, defaults filled in."
    )
    price: Price = strawberry.field(
        description="Invalid (with messages) when the request cannot be priced as it stands."
    )
    table: list[Price] = strawberry.field(description="The same part at other quantities.")
    price_token: str | None = strawberry.field(description="Signed statement of this price.")
    expires_at: dt.datetime | None

    @classmethod
    def of(cls, q: DomainQuote, part: Part | None = None) -> PartQuote:
        drawing = None
        if q.geometry is not None and q.material is not None and q.thickness is not None:
            drawing = PartDrawing.of(
                q.geometry, q.thickness.thickness_mm, q.material.material.density_g_cm3
            )
        if part is None and q.part is not None:
            part = Part.from_model(q.part)
        return cls(
            part=part,
            drawing=drawing,
            material=LaserMaterial.from_shop(q.material) if q.material else None,
            thickness_mm=q.thickness.thickness_mm if q.thickness else None,
            template_parameters=None if q.template_params is None else JSON(q.template_params),
            price=Price.of(q.result),
            table=[Price.of(r) for r in q.table],
            price_token=q.price_token,
            expires_at=q.expires_at,
        )
