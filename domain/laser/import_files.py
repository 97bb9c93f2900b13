"""Reading a bulk import: the sheet (CSV or XLSX) and the ZIP of drawings. Pure, no database.

The sheet needs a header row naming its columns in any case and spelling (``Thickness (mm)``,
``DXF file name``); extra columns are ignored. Rows are numbered as a spreadsheet program shows
them (the header is row 1), so "row 7" points at what the customer sees.
"""

from __future__ import annotations

import csv
import io
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from domain.laser.part_drawings import MAX_DXF_BYTES, check_size
from domain.laser.part_errors import PartErrorCode
from domain.shared.errors import DomainError

MAX_SHEET_BYTES = 5 * 1024 * 1024
MAX_ARCHIVE_BYTES = 100 * 1024 * 1024
MAX_ROWS = 5000
MAX_MEMBERS = 5000
# What is read of a sheet: a 413 KB XLSX can hold a 400 MB cell. Columns past MAX_COLUMNS are
# ignored like any extra column; a longer cell, or an XLSX that unpacks to more, is refused.
MAX_COLUMNS = 50
MAX_CELL_CHARS = 1000
MAX_XLSX_UNPACKED_BYTES = 25 * 1024 * 1024

COLUMNS = ("name", "material", "thickness", "quantity", "file")
# Header spellings, compared without case, spaces or punctuation.
_ALIASES = {
    "name": "name",
    "partname": "name",
    "part": "name",
    "material": "material",
    "thickness": "thickness",
    "thicknessmm": "thickness",
    "quantity": "quantity",
    "qty": "quantity",
    "file": "file",
    "filename": "file",
    "dxf": "file",
    "dxffile": "file",
    "dxffilename": "file",
    "drawing": "file",
}
_XLSX_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # .xls (Excel 97-2003)


@dataclass(frozen=True, slots=True)
class SheetRow:
    number: int  # as the spreadsheet program shows it; the header is row 1
    cells: dict[str, str]  # column key (COLUMNS) -> text as typed, stripped


def _bad_sheet(message: str, code: PartErrorCode = PartErrorCode.INVALID_SHEET) -> DomainError:
    return DomainError.single(code, message, "sheet")


def read_sheet(data: bytes, file_name: str = "") -> list[SheetRow]:
    """The data rows of a CSV or XLSX sheet (first worksheet), blank rows skipped."""
    check_size(data, "sheet", MAX_SHEET_BYTES)
    if data.startswith(_OLE_MAGIC):
        raise _bad_sheet("Old Excel files (.xls) are not read; save the sheet as .xlsx or .csv.")
    lines = _xlsx_rows(data) if data.startswith(_XLSX_MAGIC) else _csv_rows(data)
    header: dict[int, str] | None = None
    rows: list[SheetRow] = []
    for number, row_values in lines:
        values = row_values[:MAX_COLUMNS]
        if not any(values):
            continue
        longest = max(len(v) for v in values)
        if longest > MAX_CELL_CHARS:
            raise _bad_sheet(
                f"Row {number} has a cell of {longest:,} characters; a cell holds at most "
                f"{MAX_CELL_CHARS:,}."
            )
        if header is None:
            header = _header(values)
            continue
        cells = {key: values[i] if i < len(values) else "" for i, key in header.items()}
        rows.append(SheetRow(number, cells))
        if len(rows) > MAX_ROWS:
            raise _bad_sheet(f"At most {MAX_ROWS:,} rows per import.", PartErrorCode.TOO_MANY_ROWS)
    if header is None or not rows:
        raise _bad_sheet("The sheet has no rows below its header.")
    return rows


def _header(values: list[str]) -> dict[int, str]:
    found: dict[int, str] = {}
    for i, text in enumerate(values):
        key = _ALIASES.get(re.sub(r"[^a-z0-9]", "", text.casefold()))
        if key is not None and key not in found.values():
            found[i] = key
    missing = [c for c in COLUMNS if c not in found.values()]
    if missing:
        raise _bad_sheet(
            f"The header row lacks the column(s) {', '.join(missing)}; the first row must name "
            f"the columns {', '.join(COLUMNS)}.",
            PartErrorCode.MISSING_COLUMN,
        )
    return found


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, list[str]]]:
    _check_unpacked_size(data)  # before openpyxl is even imported: ~0.3 s the first time
    # openpyxl (~25 MiB) loads with the first XLSX sheet, not in every server process.
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # any reader failure means the upload is unusable
        raise _bad_sheet(f"The sheet is neither a CSV nor a readable XLSX file: {exc}") from exc
    try:
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
        for number, row in enumerate(rows, start=1):
            yield number, [_cell(v) for v in row]
    finally:
        book.close()


def _check_unpacked_size(data: bytes) -> None:
    """Refuses an XLSX that would unpack to more than MAX_XLSX_UNPACKED_BYTES before openpyxl
    reads it (its shared strings are read whole). The sizes are the declared ones, which is
    what zipfile then reads at most."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(i.file_size for i in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as exc:
        raise _bad_sheet(f"The sheet is neither a CSV nor a readable XLSX file: {exc}") from exc
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise _bad_sheet(
            f"The XLSX file unpacks to {unpacked // (1024 * 1024):,} MiB; at most "
            f"{MAX_XLSX_UNPACKED_BYTES // (1024 * 1024)} MiB are read. Save only the parts list."
        )


def _csv_rows(data: bytes) -> Iterator[tuple[int, list[str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")  # Excel's "CSV" on Windows
    first = text.split("\n", 1)[0]
    # European Excel writes ";" (the comma is the decimal separator there).
    delimiter = max((";", ",", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, row in enumerate(reader, start=1):
            yield number, [c.strip() for c in row]
    except csv.Error as exc:
        raise _bad_sheet(f"The CSV sheet cannot be read: {exc}") from exc


class DrawingArchive:
    """The ZIP of drawings, found by the names the sheet gives (path or bare file name, any
    case); members are read one at a time and never past the DXF size limit."""

    def __init__(self, data: bytes) -> None:
        check_size(data, "archive", MAX_ARCHIVE_BYTES)
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            members = [i for i in self._zip.infolist() if not i.is_dir()]
        except (zipfile.BadZipFile, ValueError) as exc:
            raise DomainError.single(
                PartErrorCode.INVALID_ARCHIVE, f"The archive is not a ZIP file: {exc}", "archive"
            ) from exc
        if len(members) > MAX_MEMBERS:
            raise DomainError.single(
                PartErrorCode.INVALID_ARCHIVE,
                f"At most {MAX_MEMBERS:,} files per archive.",
                "archive",
            )
        self._by_path = {i.filename.casefold(): i for i in members}
        by_base: dict[str, list[zipfile.ZipInfo]] = {}
        for info in members:
            by_base.setdefault(posixpath.basename(info.filename).casefold(), []).append(info)
        self._by_base = by_base

    def find(self, name: str) -> zipfile.ZipInfo | None:
        """The member a sheet names: its path, else a unique bare file name."""
        key = name.strip().replace("\\", "/").lstrip("/").casefold()
        if key in self._by_path:
            return self._by_path[key]
        candidates = self._by_base.get(posixpath.basename(key), [])
        return candidates[0] if len(candidates) == 1 else None

    def read(self, info: zipfile.ZipInfo) -> bytes:
        """The member's bytes; FILE_TOO_LARGE (before unpacking) past the DXF limit."""
        too_large = DomainError.single(
            PartErrorCode.FILE_TOO_LARGE,
            f"The drawing is larger than {MAX_DXF_BYTES // (1024 * 1024)} MB.",
            "file",
        )
        if info.file_size > MAX_DXF_BYTES:
            raise too_large  # the declared size: a ZIP bomb is refused before unpacking
        try:
            with self._zip.open(info) as stream:
                data = stream.read(MAX_DXF_BYTES + 1)
        except (
            zipfile.BadZipFile,
            zlib.error,
            RuntimeError,
            NotImplementedError,
            OSError,
            EOFError,
        ) as exc:
            raise DomainError.single(
                PartErrorCode.INVALID_ARCHIVE, f"The file cannot be unpacked: {exc}", "file"
            ) from exc
        if len(data) > MAX_DXF_BYTES:
            raise too_large
        return data
