"""Reading bulk import sheets (CSV, XLSX) and the ZIP of drawings. No database."""

from __future__ import annotations

import io
import zipfile

import pytest

from domain.laser.import_files import MAX_ROWS, DrawingArchive, read_sheet
from domain.laser.part_drawings import MAX_DXF_BYTES
from domain.shared.errors import DomainError
from tests.unit.laser.import_sheets import csv_of, xlsx_of, zip_of

HEADER = ["name", "material", "thickness", "quantity", "file"]


def _codes(exc: pytest.ExceptionInfo[DomainError]) -> list[tuple[str, tuple[str, ...] | None]]:
    return [(d.code.name, d.field) for d in exc.value.details]


def test_csv_rows_are_numbered_as_the_spreadsheet_shows_them() -> None:
    data = csv_of([["Part Name", "MATERIAL", "Thickness (mm)", "Qty", "DXF file name", "x"],
                   ["A", "S235", "2", "3", "a.dxf", "ignored"], ["", "", "", "", "", ""],
                   ["B", "S235", "1.5", "", "b.dxf"]])  # fmt: skip
    rows = read_sheet(data)
    assert [r.number for r in rows] == [2, 4]
    assert rows[0].cells == {"name": "A", "material": "S235", "thickness": "2", "quantity": "3",
                             "file": "a.dxf"}  # fmt: skip
    assert rows[1].cells["quantity"] == ""


def test_csv_with_semicolons_bom_and_windows_encoding() -> None:
    data = "\ufeff" + "Name;Material;Thickness;Quantity;File\r\nBügel;S235;1,5;2;b.dxf\r\n"
    assert read_sheet(data.encode("utf-8"))[0].cells["thickness"] == "1,5"
    assert read_sheet(data[1:].encode("cp1252"))[0].cells["name"] == "Bügel"


def test_xlsx_cells_are_read_as_typed() -> None:
    rows = read_sheet(
        xlsx_of([HEADER, ["A", "S235", 1.5, 10, "a.dxf"], ["B", "S235", 2.0, None, "b"]])
    )
    assert [(r.number, r.cells["thickness"], r.cells["quantity"]) for r in rows] == [
        (2, "1.5", "10"),
        (3, "2", ""),
    ]


def test_missing_columns_are_named() -> None:
    with pytest.raises(DomainError) as caught:
        read_sheet(csv_of([["name", "thickness", "quantity"], ["a", "2", "1"]]))
    assert _codes(caught) == [("MISSING_COLUMN", ("sheet",))]
    assert "material, file" in caught.value.details[0].message


def test_empty_too_long_and_unreadable_sheets() -> None:
    for data in (csv_of([HEADER]), b"", b"\n\n"):
        with pytest.raises(DomainError) as caught:
            read_sheet(data)
        assert caught.value.details[0].field == ("sheet",)
    too_many = csv_of([HEADER] + [["a", "S235", "2", "1", "a.dxf"]] * (MAX_ROWS + 1))
    with pytest.raises(DomainError) as caught:
        read_sheet(too_many)
    assert _codes(caught) == [("TOO_MANY_ROWS", ("sheet",))]
    with pytest.raises(DomainError) as caught:
        read_sheet(b"PK\x03\x04 broken xlsx")
    assert _codes(caught) == [("INVALID_SHEET", ("sheet",))]


def test_archive_finds_files_by_path_or_unique_bare_name_in_any_case() -> None:
    archive = DrawingArchive(zip_of({"a/Bracket.DXF": b"1", "b/cover.dxf": b"2", "c/cover.dxf": b"3",
                                     "top.dxf": b"4"}))  # fmt: skip
    found = archive.find("bracket.dxf")
    assert found is not None and archive.read(found) == b"1"
    assert archive.find("A\\BRACKET.dxf") is not None
    assert archive.find("cover.dxf") is None  # two of them: the sheet must give the path
    assert archive.find("c/cover.dxf") is not None
    assert archive.find("/top.dxf") is not None and archive.find("nope.dxf") is None


def test_archive_refuses_oversized_members_before_unpacking_and_non_zips() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("bomb.dxf", b"0" * (MAX_DXF_BYTES + 1))
    archive = DrawingArchive(buffer.getvalue())
    member = archive.find("bomb.dxf")
    assert member is not None
    with pytest.raises(DomainError) as caught:
        archive.read(member)
    assert _codes(caught) == [("FILE_TOO_LARGE", ("file",))]
    with pytest.raises(DomainError) as caught:
        DrawingArchive(b"not a zip")
    assert _codes(caught) == [("INVALID_ARCHIVE", ("archive",))]
