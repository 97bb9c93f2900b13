"""The accounting export of a period: one row per document line (invoices and credit notes,
credit notes negative) as CSV or XLSX, the orders invoiced externally with what the shop's
own accounting system needs to bill them (`domain/billing/external.py`), and the e-invoice
files as a ZIP.

Sources are pluggable: the export is a list of `ExportSource`s (a name, its columns and an
async function giving rows for a period). Billing registers invoices and credit notes; the
payments area adds its payments with `register_export_source(...)` at start-up, and they
appear as their own sheet in the XLSX and as their own CSV (``source=payments``)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from domain.accounts.viewer import Viewer
from domain.billing.documents.cii import cii_xml
from domain.billing.documents.loading import credit_note_document, invoice_document
from domain.billing.documents.ubl import ubl_xml
from domain.billing.documents.view import DocumentView
from domain.billing.errors import BillingErrorCode
from domain.billing.external import EXTERNAL_COLUMNS, external_order_rows
from domain.billing.models import CreditNote, Invoice
from domain.billing.policies import require_billing_staff
from domain.billing.queries import credit_note_lines, invoice_lines
from domain.shared.errors import DomainError
from domain.shared.uow import UnitOfWork

# Revenue accounts per VAT category (German SKR03 by default): what a bookkeeper maps to.
REVENUE_ACCOUNTS = {"S": "8400", "Z": "8200", "AE": "8125", "G": "8120"}

DOCUMENT_COLUMNS = (
    "document_type",
    "number",
    "issue_date",
    "due_date",
    "invoice_number",
    "customer_code",
    "customer_name",
    "customer_vat_id",
    "customer_country",
    "vat_treatment",
    "order_number",
    "line",
    "description",
    "quantity",
    "net_amount",
    "vat_category",
    "vat_rate_percent",
    "vat_amount",
    "gross_amount",
    "currency",
    "revenue_account",
    "debtor_account",
)

Rows = list[dict[str, Any]]
RowsFn = Callable[[UnitOfWork, dt.date, dt.date], Awaitable[Rows]]


@dataclass(frozen=True, slots=True)
class ExportSource:
    name: str  # the sheet's (and ``source=`` CSV's) name
    columns: Sequence[str]
    rows: RowsFn


def _base(doc_type: str, doc: Any, sign: int) -> dict[str, Any]:
    buyer = doc.buyer
    return {
        "document_type": doc_type,
        "number": doc.number,
        "issue_date": doc.issue_date.isoformat(),
        "customer_code": buyer.get("code"),
        "customer_name": buyer.get("name"),
        "customer_vat_id": buyer.get("vatId") or "",
        "customer_country": buyer.get("country"),
        "vat_treatment": doc.vat_treatment.value,
        "currency": doc.currency,
        "debtor_account": buyer.get("code"),
        "_sign": sign,
    }


def _line(base: dict[str, Any], line: Any, reference: str) -> dict[str, Any]:
    sign = base["_sign"]
    row = {k: v for k, v in base.items() if k != "_sign"}
    row.update(
        order_number=reference,
        line=line.position,
        description=line.description,
        quantity=line.quantity,
        net_amount=sign * line.net_amount,
        vat_category=line.vat_category,
        vat_rate_percent=f"{line.vat_rate_percent:.2f}",
        vat_amount=sign * line.vat_amount,
        gross_amount=sign * (line.net_amount + line.vat_amount),
        revenue_account=REVENUE_ACCOUNTS.get(line.vat_category, ""),
    )
    return row


async def document_rows(uow: UnitOfWork, start: dt.date, end: dt.date) -> Rows:
    """Invoice and credit-note lines issued from ``start`` to ``end`` (inclusive). Amounts in
    minor units; a credit note's are negative."""
    invoices = list(
        await uow.scalars(
            select(Invoice)
            .where(Invoice.issue_date >= start, Invoice.issue_date <= end)
            .order_by(Invoice.series, Invoice.year, Invoice.sequence)
        )
    )
    notes = list(
        await uow.scalars(
            select(CreditNote)
            .where(CreditNote.issue_date >= start, CreditNote.issue_date <= end)
            .order_by(CreditNote.series, CreditNote.year, CreditNote.sequence)
        )
    )
    rows: Rows = []
    by_invoice: dict[int, list[Any]] = {}
    for line in await invoice_lines(uow, [i.id for i in invoices]):
        by_invoice.setdefault(line.invoice_id, []).append(line)
    for invoice in invoices:
        base = _base("INVOICE", invoice, 1) | {
            "due_date": invoice.due_date.isoformat(),
            "invoice_number": invoice.number,
        }
        rows += [_line(base, line, line.order_number) for line in by_invoice.get(invoice.id, [])]
    numbers = dict(
        await uow.rows(
            select(Invoice.id, Invoice.number).where(Invoice.id.in_({n.invoice_id for n in notes}))
        )
    )
    by_note: dict[int, list[Any]] = {}
    for note_line in await credit_note_lines(uow, [n.id for n in notes]):
        by_note.setdefault(note_line.credit_note_id, []).append(note_line)
    for note in notes:
        base = _base("CREDIT_NOTE", note, -1) | {
            "due_date": "",
            "invoice_number": numbers.get(note.invoice_id, ""),
        }
        rows += [_line(base, line, "") for line in by_note.get(note.id, [])]
    return rows


_SOURCES: dict[str, ExportSource] = {
    "documents": ExportSource("documents", DOCUMENT_COLUMNS, document_rows),
    "external_orders": ExportSource("external_orders", EXTERNAL_COLUMNS, external_order_rows),
}


def register_export_source(source: ExportSource) -> None:
    """Add a source (e.g. payments) to every export; registering a name again replaces it."""
    _SOURCES[source.name] = source


def export_sources() -> list[ExportSource]:
    return list(_SOURCES.values())


def _check_period(start: dt.date, end: dt.date) -> None:
    if end < start or (end - start).days > 366:
        raise DomainError.single(
            BillingErrorCode.INVALID_PERIOD, "A period runs forward, a year at most.", "to"
        )


async def export_csv(
    uow: UnitOfWork, viewer: Viewer, start: dt.date, end: dt.date, source: str = "documents"
) -> bytes:
    """Staff: one source's rows as CSV (UTF-8 with BOM, so spreadsheet programs read it)."""
    require_billing_staff(viewer)
    _check_period(start, end)
    chosen = _SOURCES.get(source) or _SOURCES["documents"]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(chosen.columns), extrasaction="ignore")
    writer.writeheader()
    writer.writerows(await chosen.rows(uow, start, end))
    return ("\ufeff" + out.getvalue()).encode()


async def export_xlsx(uow: UnitOfWork, viewer: Viewer, start: dt.date, end: dt.date) -> bytes:
    """Staff: every source as a sheet of one workbook."""
    from openpyxl import Workbook  # on first use, as the spreadsheet imports do

    require_billing_staff(viewer)
    _check_period(start, end)
    book = Workbook()
    book.remove(book.active)
    for source in export_sources():
        sheet = book.create_sheet(source.name)
        sheet.append(list(source.columns))
        for row in await source.rows(uow, start, end):
            sheet.append([row.get(c) for c in source.columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def export_einvoices_zip(
    uow: UnitOfWork, viewer: Viewer, start: dt.date, end: dt.date
) -> bytes:
    """Staff: the period's invoices and credit notes as UBL (Peppol BIS) and Factur-X CII XML."""
    require_billing_staff(viewer)
    _check_period(start, end)
    docs: list[DocumentView] = []
    for invoice in await uow.scalars(
        select(Invoice).where(Invoice.issue_date >= start, Invoice.issue_date <= end)
    ):
        docs.append(await invoice_document(uow, invoice))
    for note in await uow.scalars(
        select(CreditNote).where(CreditNote.issue_date >= start, CreditNote.issue_date <= end)
    ):
        docs.append(await credit_note_document(uow, note))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for doc in docs:
            zf.writestr(f"ubl/{doc.number}.xml", ubl_xml(doc))
            zf.writestr(f"factur-x/{doc.number}.xml", cii_xml(doc))
    return out.getvalue()
