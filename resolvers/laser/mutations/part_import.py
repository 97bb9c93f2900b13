"""partImportPreview, partImportConfirm."""

from __future__ import annotations

import uuid

from domain.laser import part_import as imports
from domain.laser.import_files import MAX_ARCHIVE_BYTES, MAX_SHEET_BYTES
from domain.laser.part_errors import PartErrorCode
from domain.shared.errors import DomainError
from resolvers.ids import optional_pk
from resolvers.laser.errors import run_laser
from resolvers.laser.uploads import read_upload
from schema.accounts.types import Company
from schema.context import Info
from schema.laser.imports import PartImport, PartImportInvalidRow
from schema.laser.inputs import PartImportConfirmInput, PartImportPreviewInput
from schema.laser.parts import Part
from schema.laser.payloads import PartImportConfirmPayload, PartImportPreviewPayload

NF = PartErrorCode.NOT_FOUND


async def part_import_preview(
    info: Info, input: PartImportPreviewInput
) -> PartImportPreviewPayload:
    ctx = info.context

    async def action() -> PartImport:
        company_id = (
            optional_pk(input.company_id, Company, "companyId", NF) if ctx.viewer.is_staff else None
        )
        sheet, sheet_name = await read_upload(input.sheet, MAX_SHEET_BYTES)
        archive, _ = await read_upload(input.archive, MAX_ARCHIVE_BYTES)
        preview = await imports.part_import_preview(
            ctx.uow, ctx.viewer, sheet, sheet_name, archive,
            channel=input.channel, company_id=company_id,
        )  # fmt: skip
        return PartImport.of(preview)

    return await run_laser(PartImportPreviewPayload, action, lambda p: {"part_import": p})


async def part_import_confirm(
    info: Info, input: PartImportConfirmInput
) -> PartImportConfirmPayload:
    ctx = info.context

    async def action() -> imports.ImportResult:
        try:
            import_id = uuid.UUID(str(input.import_id))
        except ValueError:
            raise DomainError.single(NF, "Import not found.", "importId") from None
        return await imports.part_import_confirm(ctx.uow, ctx.viewer, import_id)

    return await run_laser(
        PartImportConfirmPayload,
        action,
        lambda r: {
            "parts": [Part.from_model(p) for p in r.parts],
            "skipped_rows": [PartImportInvalidRow.of(s) for s in r.skipped],
        },
    )
