"""Issued documents as files, for whoever may see them (`finances_scope`): the Factur-X PDF,
the UBL (Peppol BIS) XML and the CII (Factur-X) XML."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from domain.accounts.viewer import Viewer
from domain.billing.documents.cii import cii_xml
from domain.billing.documents.loading import credit_note_document, invoice_document
from domain.billing.documents.pdf import facturx_pdf
from domain.billing.documents.ubl import ubl_xml
from domain.billing.documents.view import DocumentView
from domain.billing.errors import BillingErrorCode
from domain.billing.queries import credit_notes_by_id, invoices_by_id
from domain.shared.errors import DomainError
from domain.shared.uow import UnitOfWork

FORMATS = {
    "pdf": "application/pdf",
    "ubl.xml": "application/xml",
    "cii.xml": "application/xml",
}


@dataclass(frozen=True, slots=True)
class DocumentFile:
    file_name: str
    content_type: str
    content: bytes


async def _view(uow: UnitOfWork, viewer: Viewer, kind: str, pk: int) -> DocumentView | None:
    if kind == "invoices":
        found = await invoices_by_id(uow, viewer, [pk])
        return await invoice_document(uow, found[0]) if found else None
    if kind == "credit-notes":
        notes = await credit_notes_by_id(uow, viewer, [pk])
        return await credit_note_document(uow, notes[0]) if notes else None
    return None


async def document_file(
    uow: UnitOfWork, viewer: Viewer, kind: str, pk: int, fmt: str
) -> DocumentFile:
    """``kind`` is ``invoices`` or ``credit-notes``, ``fmt`` one of `FORMATS`. Another
    company's document, or any without VIEW_FINANCES, is NOT_FOUND like a missing one."""
    doc = await _view(uow, viewer, kind, pk) if fmt in FORMATS else None
    if doc is None:
        raise DomainError.single(BillingErrorCode.NOT_FOUND, "No such document.")
    if fmt == "pdf":
        content = await asyncio.to_thread(facturx_pdf, doc)
    elif fmt == "ubl.xml":
        content = ubl_xml(doc)
    else:
        content = cii_xml(doc)
    return DocumentFile(f"{doc.number}.{fmt}", FORMATS[fmt], content)
