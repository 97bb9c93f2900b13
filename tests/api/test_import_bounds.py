"""Bounds on what an import reads (issue 11, finding 6): an XLSX that unpacks to far more than
it weighs, a cell of millions of characters and a row of thousands of columns are refused or
ignored with a short answer; bad values are quoted as short excerpts only."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from tests.api.laser_support import csv_of, plate_with_holes, upload, xlsx_of, zip_of
from tests.api.test_laser_import import HEADER, PREVIEW

ARCHIVE = zip_of({"bracket.dxf": plate_with_holes(120, 80, 10, 2)})


async def preview(client, token: str, sheet: bytes, name: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    resp = await upload(
        client,
        PREVIEW,
        {"i": {"sheet": None, "archive": None}},
        {"i.sheet": (name, sheet), "i.archive": ("drawings.zip", ARCHIVE)},
        token,
    )
    assert resp.status_code == 200, resp.text[:500]
    return resp.json()  # type: ignore[no-any-return]


def with_cell_text(sheet: bytes, old: str, new: str) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(sheet)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            data = src.read(info)
            if info.filename.startswith("xl/"):
                data = data.replace(old.encode(), new.encode())
            dst.writestr(info.filename, data)
    return out.getvalue()


def sheet_errors(body: dict[str, Any]) -> list[dict[str, Any]]:
    return body["data"]["partImportPreview"]["errors"]  # type: ignore[no-any-return]


async def test_an_xlsx_that_unpacks_to_too_much_is_refused_before_it_is_read(  # type: ignore[no-untyped-def]
    client, as_user
) -> None:
    token = await as_user("acme")
    # One 40-million-character cell: a few hundred KB packed, 40 MB unpacked (written into the
    # file directly: openpyxl itself cuts cells at 32,767 characters, Excel's limit).
    sheet = with_cell_text(
        xlsx_of([HEADER, ["PLACEHOLDER", "S235", "2", "1", "bracket.dxf"]]),
        "PLACEHOLDER",
        "x" * 40_000_000,
    )
    assert len(sheet) < 1024 * 1024
    body = await preview(client, token, sheet, "bomb.xlsx")
    [error] = sheet_errors(body)
    assert error["code"] == "INVALID_SHEET" and error["field"] == ["sheet"]
    assert "unpacks to" in error["message"]
    assert len(str(body)) < 2000


async def test_a_huge_cell_is_refused_and_never_echoed(client, as_user) -> None:  # type: ignore[no-untyped-def]
    token = await as_user("acme")
    for name, sheet in (
        ("big.xlsx", xlsx_of([HEADER, ["Part", "S" * 2_000_000, "2", "1", "bracket.dxf"]])),
        ("big.csv", csv_of([HEADER, ["Part", "S235", "2", "9" * 100_000, "bracket.dxf"]])),
    ):
        body = await preview(client, token, sheet, name)
        [error] = sheet_errors(body)
        assert error["code"] == "INVALID_SHEET", error
        assert "Row 2 has a cell of" in error["message"]
        assert len(str(body)) < 2000


async def test_bad_values_are_quoted_as_short_excerpts(client, as_user) -> None:  # type: ignore[no-untyped-def]
    token = await as_user("acme")
    long_material = "M" * 900
    sheet = csv_of(
        [HEADER, ["Part", long_material, "2", "q" * 900, "f" * 900 + ".dxf"]]
        + [["Part", long_material, "2", "1", "bracket.dxf"]] * 50
    )
    body = await preview(client, token, sheet, "parts.csv")
    result = body["data"]["partImportPreview"]
    assert result["errors"] == []
    invalid = result["partImport"]["invalidRows"]
    assert len(invalid) == 51
    for row in invalid:
        for problem in row["problems"]:
            assert len(problem["message"]) < 300, problem
    assert len(str(body)) < 60_000  # 51 rows of short messages, not 51 x 900 characters


async def test_columns_past_the_limit_are_ignored(client, as_user) -> None:  # type: ignore[no-untyped-def]
    token = await as_user("acme")
    wide = [*HEADER, *[f"extra{i}" for i in range(20_000)]]
    row = ["Part", "S235", "2", "1", "bracket.dxf", *["x"] * 20_000]
    body = await preview(client, token, csv_of([wide, row]), "wide.csv")
    result = body["data"]["partImportPreview"]
    assert result["errors"] == []
    assert result["partImport"]["validCount"] == 1


def test_the_xlsx_size_check_reads_declared_sizes_only() -> None:
    from domain.laser.import_files import MAX_XLSX_UNPACKED_BYTES, read_sheet
    from domain.shared.errors import DomainError

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/sharedStrings.xml", b"\0" * (MAX_XLSX_UNPACKED_BYTES + 1))
    try:
        read_sheet(buffer.getvalue(), "bomb.xlsx")
    except DomainError as exc:
        assert "unpacks to" in exc.details[0].message
    else:
        raise AssertionError("a zip bomb was read")
