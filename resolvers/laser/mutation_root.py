"""Mutation fields of the laser area; each description says what it requires."""

from __future__ import annotations

import strawberry

from resolvers.laser.mutations.laser_rates import laser_machine_update, laser_material_update
from resolvers.laser.mutations.part_change import part_copy, part_delete, part_update
from resolvers.laser.mutations.part_create import part_create_from_dxf, part_create_from_template
from resolvers.laser.mutations.part_import import part_import_confirm, part_import_preview
from schema.permissions import IsAuthenticated, IsStaff

_LIBRARY = (
    "Open to every portal user of the company (no right needed: the library holds drawings, "
    "not orders); staff need role ADMIN or SALES."
)
_CREATE = _LIBRARY[:-1] + " and name the company (`companyId`)."


@strawberry.type
class LaserMutation:
    part_create_from_dxf = strawberry.mutation(
        resolver=part_create_from_dxf,
        description="Add a part from an uploaded DXF (multipart request with the header "
        "`Apollo-Require-Preflight: true`). The drawing is checked against the largest sheet "
        "and smallest hole of the chosen thickness; every problem comes back with its place. "
        + _CREATE,
        permission_classes=[IsAuthenticated],
    )
    part_create_from_template = strawberry.mutation(
        resolver=part_create_from_template,
        description="Add a part from a template and its parameters, checked like a drawing. "
        + _CREATE,
        permission_classes=[IsAuthenticated],
    )
    part_update = strawberry.mutation(
        resolver=part_update,
        description="Rename a part, change its notes or quantity, or its material, thickness or "
        "template parameters (re-checked against the new sheet limits). " + _LIBRARY,
        permission_classes=[IsAuthenticated],
    )
    part_copy = strawberry.mutation(
        resolver=part_copy,
        description="Copy a part within its library. " + _LIBRARY,
        permission_classes=[IsAuthenticated],
    )
    part_delete = strawberry.mutation(
        resolver=part_delete,
        description="Delete a part for good (it leaves carts too; placed orders keep their "
        "copy). " + _LIBRARY,
        permission_classes=[IsAuthenticated],
    )
    part_import_preview = strawberry.mutation(
        resolver=part_import_preview,
        description="Check and price a bulk import (a CSV/XLSX sheet and a ZIP of DXFs; "
        "multipart request). Saves nothing into the library: valid rows wait one hour for "
        "`partImportConfirm`; invalid rows are listed with row, column and reason. " + _CREATE,
        permission_classes=[IsAuthenticated],
    )
    part_import_confirm = strawberry.mutation(
        resolver=part_import_confirm,
        description="Save the valid rows of a checked import into the library (once). " + _LIBRARY,
        permission_classes=[IsAuthenticated],
    )
    laser_material_update = strawberry.mutation(
        resolver=laser_material_update,
        description="Change a material's price per kg, name or availability; every part is "
        "re-priced and live prices follow (event `laser.material_changed`). Requires staff "
        "role ADMIN or SALES.",
        permission_classes=[IsStaff],
    )
    laser_machine_update = strawberry.mutation(
        resolver=laser_machine_update,
        description="Change the laser machine rates, VAT rate or minimum net (event "
        "`laser.machine_changed`). Requires staff role ADMIN or SALES.",
        permission_classes=[IsStaff],
    )
