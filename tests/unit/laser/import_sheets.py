"""Building bulk import files for tests: sheets (CSV, XLSX) and ZIP archives."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from openpyxl import Workbook


def zip_of(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buffer.getvalue()


def xlsx_of(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_of(rows: list[list[Any]], delimiter: str = ",") -> bytes:
    return "\n".join(delimiter.join(str(c) for c in row) for row in rows).encode()
