"""Laser queries: materials, templates, the parts library and quotes."""

from __future__ import annotations

import strawberry

from domain.laser import materials
from domain.laser.part_errors import PartErrorCode
from domain.laser.part_quotes import PartQuoteRequest, part_quote
from domain.laser.parts import parts_query
from domain.laser.templates import TEMPLATES
from domain.shared.errors import DomainError
from domain.shared.pagination import fetch_page
from resolvers.ids import optional_pk
from resolvers.pagination import page_window
from schema.context import Info
from schema.core import Connection, build_connection
from schema.laser.inputs import PartQuoteInput
from schema.laser.parts import Part, PartQuote
from schema.laser.types import LaserMachine, LaserMaterial, PartTemplate
from schema.permissions import IsAuthenticated, IsStaff


@strawberry.type
class LaserQuery:
    @strawberry.field(
        description="The sheet materials the shop cuts, with their thicknesses, by name. Staff "
        "may include withdrawn ones."
    )
    async def laser_materials(
        self, info: Info, include_inactive: bool = False
    ) -> list[LaserMaterial]:
        shop = await info.context.loaders.laser_shop.load(0)
        everything = include_inactive and info.context.viewer.is_staff
        return [
            LaserMaterial.from_shop(m)
            for m in sorted(shop.materials, key=lambda m: (m.material.name, m.id))
            if m.is_active or everything
        ]

    @strawberry.field(
        description="The shop's machine rates for laser work (staff only).",
        permission_classes=[IsStaff],
    )
    async def laser_machine(self, info: Info) -> LaserMachine | None:
        machine = await materials.laser_machine(info.context.uow)
        return LaserMachine.from_model(machine) if machine else None

    @strawberry.field(description="Parametric parts that need no drawing, with their inputs.")
    def part_templates(self) -> list[PartTemplate]:
        return [PartTemplate.of(t) for t in TEMPLATES.values()]

    @strawberry.field(
        description="The parts library, newest first; `search` matches words of the name. "
        "Portal users see their company's parts, staff every company's.",
        permission_classes=[IsAuthenticated],
    )
    async def parts(
        self,
        info: Info,
        search: str | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Part]:
        offset, limit = page_window(info, first, after)
        ctx = info.context
        page = await fetch_page(ctx.uow, parts_query(ctx.viewer, search), offset, limit)
        return build_connection(page.items, page.offset, page.total, Part.from_model)

    @strawberry.field(
        description="Price a part without saving anything: a saved part (in its own or another "
        "material or thickness) or a template, with a price table and a token. Open to anyone "
        "for templates; a saved part only to its company and staff. Null when the part or "
        "channel is not found; problems give `price.valid = false` with messages."
    )
    async def part_quote(self, info: Info, input: PartQuoteInput) -> PartQuote | None:
        ctx = info.context
        try:
            request = PartQuoteRequest(
                part_id=optional_pk(input.part_id, Part, "partId", PartErrorCode.NOT_FOUND),
                template=input.template,
                parameters=input.parameters if isinstance(input.parameters, dict) else None,
                material=input.material,
                thickness_mm=input.thickness_mm,
                quantity=input.quantity,
                quantities=input.quantities,
                channel=input.channel,
            )
            quote = await part_quote(ctx.uow, ctx.viewer, ctx.services.price_tokens, request)
        except DomainError:
            return None
        return PartQuote.of(quote)
