"""Payloads of the laser mutations: `{<object>, errors: [LaserError!]!}`."""

from __future__ import annotations

import strawberry
from strawberry import relay

from schema.laser.imports import PartImport, PartImportInvalidRow
from schema.laser.parts import Part
from schema.laser.types import LaserError, LaserMachine, LaserMaterial


@strawberry.type
class PartCreateFromDxfPayload:
    part: Part | None = None
    errors: list[LaserError] = strawberry.field(default_factory=list)


@strawberry.type
class PartCreateFromTemplatePayload(PartCreateFromDxfPayload):
    pass


@strawberry.type
class PartUpdatePayload(PartCreateFromDxfPayload):
    pass


@strawberry.type
class PartCopyPayload(PartCreateFromDxfPayload):
    pass


@strawberry.type
class PartDeletePayload:
    deleted_id: relay.GlobalID | None = None
    errors: list[LaserError] = strawberry.field(default_factory=list)


@strawberry.type
class PartImportPreviewPayload:
    part_import: PartImport | None = None
    errors: list[LaserError] = strawberry.field(default_factory=list)


@strawberry.type
class PartImportConfirmPayload:
    parts: list[Part] = strawberry.field(
        default_factory=list, description="The parts now in the library, in sheet order."
    )
    skipped_rows: list[PartImportInvalidRow] = strawberry.field(
        default_factory=list,
        description="Rows valid at the preview whose material was withdrawn since.",
    )
    errors: list[LaserError] = strawberry.field(default_factory=list)


@strawberry.type
class LaserMaterialUpdatePayload:
    laser_material: LaserMaterial | None = None
    errors: list[LaserError] = strawberry.field(default_factory=list)


@strawberry.type
class LaserMachineUpdatePayload:
    laser_machine: LaserMachine | None = None
    errors: list[LaserError] = strawberry.field(default_factory=list)
