"""Inputs of the laser operations: parts, quotes, bulk imports and the shop's laser prices."""

from __future__ import annotations

from decimal import Decimal

import strawberry
from strawberry import relay
from strawberry.file_uploads import Upload
from strawberry.scalars import JSON

from schema.laser.types import DrawingUnits

_COMPANY = "Staff only: the customer whose library the part goes to (required for staff)."
_MATERIAL = "Material code, e.g. `S235` (see `laserMaterials`)."


@strawberry.input(description="A part from an uploaded DXF (multipart request, at most 5 MB).")
class PartCreateFromDxfInput:
    name: str
    file: Upload = strawberry.field(description="The DXF drawing of one part.")
    material: str = strawberry.field(description=_MATERIAL)
    thickness_mm: Decimal
    quantity: int = 1
    notes: str = ""
    units: DrawingUnits | None = strawberry.field(
        default=None,
        description="Units to read a drawing in that does not declare any; ignored otherwise.",
    )
    company_id: relay.GlobalID | None = strawberry.field(default=None, description=_COMPANY)


@strawberry.input(description="A part from a template (see `partTemplates`).")
class PartCreateFromTemplateInput:
    name: str
    template: str = strawberry.field(description="Template key, e.g. `FLANGE`.")
    parameters: JSON = strawberry.field(
        default_factory=dict,
        description='Parameter values by key, e.g. {"outer_diameter": 200}; defaults fill gaps.',
    )
    material: str = strawberry.field(description=_MATERIAL)
    thickness_mm: Decimal
    quantity: int = 1
    notes: str = ""
    company_id: relay.GlobalID | None = strawberry.field(default=None, description=_COMPANY)


@strawberry.input(
    description="Changes to a part; a new material, thickness or parameters "
    "re-check the drawing against the new sheet."
)
class PartUpdateInput:
    id: relay.GlobalID
    name: str | None = strawberry.UNSET
    notes: str | None = strawberry.UNSET
    quantity: int | None = strawberry.UNSET
    material: str | None = strawberry.UNSET
    thickness_mm: Decimal | None = strawberry.UNSET
    parameters: JSON | None = strawberry.field(
        default=strawberry.UNSET,
        description="Template parts only: merged into the part's parameters.",
    )


@strawberry.input
class PartCopyInput:
    id: relay.GlobalID
    name: str | None = strawberry.field(default=None, description='Default: "<name> (copy)".')


@strawberry.input
class PartDeleteInput:
    id: relay.GlobalID


@strawberry.input(
    description="What to price without saving: a saved part (optionally in another material "
    "or thickness), or a template with parameters, material and thickness."
)
class PartQuoteInput:
    part_id: relay.GlobalID | None = None
    template: str | None = None
    parameters: JSON | None = None
    material: str | None = None
    thickness_mm: Decimal | None = None
    quantity: int | None = strawberry.field(
        default=None, description="Default: the part's quantity, or 1."
    )
    quantities: list[int] = strawberry.field(
        default_factory=list, description="Further quantities for a price table (at most 20)."
    )
    channel: str | None = strawberry.field(
        default=None, description="Channel code; the default channel when omitted."
    )


@strawberry.input(
    description="A bulk import (multipart request): a sheet and a ZIP of the drawings it names."
)
class PartImportPreviewInput:
    sheet: Upload = strawberry.field(
        description="CSV or XLSX (first worksheet), at most 5,000 rows. A header row names the "
        "columns, in any case: name, material, thickness, quantity, file (the DXF's name in "
        "the ZIP; `dxf` and `file name` work too)."
    )
    archive: Upload = strawberry.field(description="ZIP of the DXF files (each at most 5 MB).")
    channel: str | None = strawberry.field(
        default=None, description="Channel code for the prices; the default channel if omitted."
    )
    company_id: relay.GlobalID | None = strawberry.field(default=None, description=_COMPANY)


@strawberry.input
class PartImportConfirmInput:
    import_id: str = strawberry.field(
        description="`importId` from `partImportPreview`: an opaque key of the draft."
    )


@strawberry.input(description="Changes to a material; a new price re-prices every part.")
class LaserMaterialUpdateInput:
    id: relay.GlobalID
    name: str | None = strawberry.UNSET
    price_per_kg: Decimal | None = strawberry.UNSET
    is_active: bool | None = strawberry.UNSET


@strawberry.input(description="Changes to the machine rates; omitted fields stay.")
class LaserMachineUpdateInput:
    hourly_rate: Decimal | None = strawberry.UNSET
    setup_amount: Decimal | None = strawberry.UNSET
    scrap_factor: Decimal | None = strawberry.UNSET
    handling_seconds_per_part: Decimal | None = strawberry.UNSET
    vat_rate_percent: Decimal | None = strawberry.UNSET
    minimum_net: Decimal | None = strawberry.UNSET
