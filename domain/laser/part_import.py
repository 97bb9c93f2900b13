"""Bulk import into the parts library: a sheet of rows (name, material, thickness, quantity,
DXF file name) and a ZIP of the drawings. The preview checks and prices every row and keeps
the valid ones in a short-lived draft; only the confirmation puts them into the library.

Speed: rows usually share drawings (one bracket in five materials), so each distinct drawing
(by content) is analysed once, without sheet limits, in worker threads. A row then checks its
thickness's limits on the measured figures (``fits_limits``); only a row that fails them has
its drawing analysed again with those limits, for the exact problems and their coordinates.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, select

from domain.accounts.policies import company_scope
from domain.accounts.viewer import Viewer
from domain.catalog.prices import price_context
from domain.catalog.services import channel_for
from domain.laser.costing import MaterialThickness
from domain.laser.import_files import DrawingArchive, read_sheet
from domain.laser.import_rows import InvalidRow, RowProblem, check_drawings, parse_row
from domain.laser.models import Part, PartImport, PartImportDrawing
from domain.laser.part_errors import PartErrorCode
from domain.laser.part_geometry import PartGeometry, geometry_to_json
from domain.laser.part_library import PART_CHANGED
from domain.laser.parts import PartSource, owner_company, require_editor
from domain.laser.shop import ShopMaterial, load_shop, price_part
from domain.pricing.result import PriceResult
from domain.shared.errors import DomainError
from domain.shared.models import utcnow
from domain.shared.money import Money
from domain.shared.uow import UnitOfWork

IMPORT_TTL = dt.timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class ImportRow:
    number: int
    name: str
    material: ShopMaterial
    thickness: MaterialThickness
    quantity: int
    file_name: str
    sha256: str
    geometry: PartGeometry
    result: PriceResult


@dataclass(frozen=True, slots=True)
class ImportPreview:
    import_id: uuid.UUID | None  # None when no row is valid: nothing to confirm
    expires_at: dt.datetime | None
    rows: tuple[ImportRow, ...]
    invalid_rows: tuple[InvalidRow, ...]
    total_net: Money | None


async def part_import_preview(
    uow: UnitOfWork,
    viewer: Viewer,
    sheet: bytes,
    sheet_name: str,
    archive_data: bytes,
    *,
    channel: str | None = None,
    company_id: int | None = None,
) -> ImportPreview:
    """Open to any portal user of the company (staff: ADMIN or SALES, naming the company).
    Checks and prices every row; keeps the valid ones as a draft for ``IMPORT_TTL``. A broken
    sheet or archive raises; a broken row is listed with its number, column and reason."""
    company = await owner_company(uow, viewer, company_id)
    lines = read_sheet(sheet, sheet_name)
    archive = DrawingArchive(archive_data)
    shop = await load_shop(uow)
    rates = shop.require_rates()
    rows = [parse_row(line, shop, archive) for line in lines]
    drawings = await check_drawings(rows, archive)
    ctx = await price_context(uow, viewer, await channel_for(uow, viewer, channel), company)
    valid: list[ImportRow] = []
    invalid: list[InvalidRow] = []
    for row in rows:
        if row.problems or row.material is None or row.thickness is None:
            invalid.append(InvalidRow(row.number, row.name, tuple(row.problems)))
            continue
        geometry = drawings[row.sha256][1]
        result = price_part(
            geometry, row.material.material, row.thickness, rates, row.quantity, ctx
        )
        valid.append(
            ImportRow(
                row.number,
                row.name,
                row.material,
                row.thickness,
                row.quantity,
                row.file_name,
                row.sha256,
                geometry,
                result,
            )
        )
    total = sum((r.result.net.amount for r in valid if r.result.net), 0)
    if not valid:
        return ImportPreview(None, None, (), tuple(invalid), None)
    async with uow:
        now = utcnow()
        await uow.session.execute(delete(PartImport).where(PartImport.expires_at < now))
        draft = PartImport(
            id=uuid.uuid4(),
            company_id=company,
            created_by_id=viewer.user_id if viewer.is_portal else None,
            expires_at=now + IMPORT_TTL,
            sheet_name=sheet_name[:255],
            rows=[_draft_row(r) for r in valid],
        )
        uow.session.add(draft)
        await uow.session.flush()
        used = {r.sha256: r.file_name for r in valid}
        uow.session.add_all(
            PartImportDrawing(
                import_id=draft.id,
                sha256=sha,
                file_name=name[:255],
                dxf=drawings[sha][0],
                geometry=geometry_to_json(drawings[sha][1]),
            )
            for sha, name in used.items()
        )
        await uow.commit()
    return ImportPreview(
        draft.id, draft.expires_at, tuple(valid), tuple(invalid), Money(total, ctx.currency)
    )


def _draft_row(row: ImportRow) -> dict[str, Any]:
    return {
        "row": row.number,
        "name": row.name,
        "materialId": row.material.id,
        "thicknessMm": str(row.thickness.thickness_mm),
        "quantity": row.quantity,
        "fileName": row.file_name,
        "sha256": row.sha256,
    }


@dataclass(frozen=True, slots=True)
class ImportResult:
    parts: tuple[Part, ...]
    skipped: tuple[InvalidRow, ...]  # valid at preview, but their material went since


async def part_import_confirm(
    uow: UnitOfWork, viewer: Viewer, import_id: uuid.UUID
) -> ImportResult:
    """Open to any portal user of the company whose import it is (staff: ADMIN or SALES).
    Saves the draft's valid rows into the library, once: the draft is gone afterwards."""
    require_editor(viewer)
    async with uow:
        draft: PartImport | None = await uow.scalar(
            select(PartImport)
            .where(
                PartImport.id == import_id,
                company_scope(viewer, PartImport.company_id),
                PartImport.expires_at > utcnow(),
            )
            .with_for_update()
        )
        if draft is None:
            raise DomainError.single(
                PartErrorCode.NOT_FOUND,
                "This import does not exist, has expired or was confirmed already; "
                "check the files again.",
                "importId",
            )
        drawings = {
            d.sha256: d
            for d in await uow.scalars(
                select(PartImportDrawing).where(PartImportDrawing.import_id == draft.id)
            )
        }
        shop = await load_shop(uow)
        parts: list[Part] = []
        skipped: list[InvalidRow] = []
        geometries: dict[str, dict[str, Any]] = {}
        for r in draft.rows:
            material = shop.by_id(r["materialId"])
            thickness_mm = Decimal(r["thicknessMm"])
            if (
                material is None
                or not material.is_active
                or not material.material.thickness(thickness_mm)
            ):
                problem = RowProblem(
                    "material",
                    PartErrorCode.UNKNOWN_MATERIAL,
                    "The material or thickness is no longer offered.",
                )
                skipped.append(InvalidRow(r["row"], r["name"], (problem,)))
                continue
            drawing = drawings[r["sha256"]]
            geometry = geometries.setdefault(drawing.sha256, drawing.geometry)
            parts.append(
                Part(
                    company_id=draft.company_id,
                    created_by_id=viewer.user_id if viewer.is_portal else None,
                    name=r["name"],
                    source=PartSource.DXF.value,
                    file_name=r["fileName"][:255],
                    dxf=drawing.dxf,
                    dxf_sha256=drawing.sha256,
                    geometry=geometry,
                    material_id=material.id,
                    thickness_mm=thickness_mm,
                    quantity=r["quantity"],
                    notes="",
                )
            )
        uow.session.add_all(parts)
        await uow.session.flush()
        await uow.session.delete(draft)
        uow.record_event(
            PART_CHANGED,
            draft.company_id,
            {"action": "imported", "importId": str(draft.id), "partIds": [p.id for p in parts]},
        )
        await uow.commit()
        return ImportResult(tuple(parts), tuple(skipped))


__all__ = [
    "ImportPreview",
    "ImportResult",
    "ImportRow",
    "InvalidRow",
    "RowProblem",
    "part_import_confirm",
    "part_import_preview",
]
