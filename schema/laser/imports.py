"""Bulk import types: the checked and priced rows, and the rows that cannot be imported."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import strawberry

from domain.laser.import_rows import InvalidRow, RowProblem
from domain.laser.part_import import ImportPreview, ImportRow
from schema.laser.parts import PartDrawing
from schema.laser.types import LaserErrorCode, LaserMaterial
from schema.pricing.types import Money, Price


@strawberry.type(description="Why a row cannot be imported, and where.")
class PartImportProblem:
    column: str | None = strawberry.field(
        description="name, material, thickness, quantity or file; null for the whole row."
    )
    code: LaserErrorCode
    message: str
    x: float | None = strawberry.field(description="Drawing problems: mm in the drawing.")
    y: float | None
    handle: str | None = strawberry.field(description="Drawing problems: the CAD entity.")
    layer: str | None

    @classmethod
    def of(cls, p: RowProblem) -> PartImportProblem:
        return cls(
            column=p.column,
            code=LaserErrorCode[p.code.name],
            message=p.message,
            x=p.x,
            y=p.y,
            handle=p.handle,
            layer=p.layer,
        )


@strawberry.type(description="A row of the sheet that will not be imported.")
class PartImportInvalidRow:
    row: int = strawberry.field(description="As the spreadsheet shows it (the header is row 1).")
    name: str
    problems: list[PartImportProblem]

    @classmethod
    def of(cls, r: InvalidRow) -> PartImportInvalidRow:
        return cls(
            row=r.number, name=r.name, problems=[PartImportProblem.of(p) for p in r.problems]
        )


@strawberry.type(description="A valid row: the part it becomes, priced for its quantity.")
class PartImportRow:
    row: int
    name: str
    material: LaserMaterial
    thickness_mm: Decimal
    quantity: int
    file_name: str
    dxf_sha256: str
    drawing: PartDrawing
    price: Price

    @classmethod
    def of(cls, r: ImportRow) -> PartImportRow:
        t = r.thickness.thickness_mm
        return cls(
            row=r.number,
            name=r.name,
            material=LaserMaterial.from_shop(r.material),
            thickness_mm=t,
            quantity=r.quantity,
            file_name=r.file_name,
            dxf_sha256=r.sha256,
            drawing=PartDrawing.of(r.geometry, t, r.material.material.density_g_cm3),
            price=Price.of(r.result),
        )


@strawberry.type(description="A checked bulk import; nothing is in the library until confirmed.")
class PartImport:
    import_id: str | None = strawberry.field(
        description="Pass to `partImportConfirm`; null when no row is valid."
    )
    expires_at: dt.datetime | None = strawberry.field(description="Confirm before this time.")
    rows: list[PartImportRow] = strawberry.field(description="Valid rows, in sheet order.")
    invalid_rows: list[PartImportInvalidRow]
    valid_count: int
    invalid_count: int
    total_net: Money | None = strawberry.field(description="The valid rows' prices together.")

    @classmethod
    def of(cls, p: ImportPreview) -> PartImport:
        return cls(
            import_id=str(p.import_id) if p.import_id else None,
            expires_at=p.expires_at,
            rows=[PartImportRow.of(r) for r in p.rows],
            invalid_rows=[PartImportInvalidRow.of(r) for r in p.invalid_rows],
            valid_count=len(p.rows),
            invalid_count=len(p.invalid_rows),
            total_net=Money.of(p.total_net),
        )
