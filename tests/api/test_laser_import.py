"""Bulk import over HTTP: a CSV or XLSX sheet plus a ZIP of DXFs, checked and priced row by
row; only the confirmation puts the valid rows into the library."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from tests.api.laser_support import (
    csv_of,
    open_contour,
    plate_with_holes,
    upload_ok,
    xlsx_of,
    zip_of,
)
from tests.factories import gql

PREVIEW = """mutation($i: PartImportPreviewInput!) { partImportPreview(input: $i) {
  partImport { importId expiresAt validCount invalidCount totalNet { amount currency }
    rows { row name material { code } thicknessMm quantity fileName dxfSha256
           drawing { widthMm holeCount } price { valid net { amount } } }
    invalidRows { row name problems { column code message x y handle layer } } }
  errors { code field message } } }"""
CONFIRM = """mutation($i: PartImportConfirmInput!) { partImportConfirm(input: $i) {
  parts { id name quantity thicknessMm fileName material { code } } skippedRows { row }
  errors { code field message } } }"""
COUNT = "{ parts { totalCount } }"

DRAWINGS = {
    "bracket.dxf": plate_with_holes(120, 80, 10, 2),
    "parts/cover.dxf": plate_with_holes(200, 100, 6, 1),  # a 6 mm hole: too small in 8 mm
    "broken.dxf": open_contour(),
}
HEADER = ["Name", "Material", "Thickness", "Quantity", "File"]
ROWS: list[list[Any]] = [
    ["Bracket steel", "S235", "2", "10", "bracket.dxf"],  # row 2: valid
    ["Bracket alu", "aw5754", "3", "", "BRACKET.DXF"],  # row 3: valid (case, default quantity)
    ["Cover", "Stainless steel 1.4301", "1.5", "4", "cover.dxf"],  # row 4: valid (by name, base)
    ["Cover thick", "S235", "8", "2", "cover.dxf"],  # row 5: hole too small for 8 mm
    ["Gold part", "GOLD", "2", "1", "bracket.dxf"],  # row 6: unknown material
    ["Odd sheet", "S235", "7", "1", "bracket.dxf"],  # row 7: unknown thickness
    ["Lost", "S235", "2", "1", "missing.dxf"],  # row 8: no such file in the ZIP
    ["Many", "S235", "2", "ten", "bracket.dxf"],  # row 9: bad number
    ["Broken", "S235", "2", "1", "broken.dxf"],  # row 10: open contour
    ["", "S235", "abc", "1", "bracket.dxf"],  # row 11: no name, bad thickness
]


async def _preview(client, token: str, sheet: bytes, sheet_name: str, archive: bytes) -> dict:  # type: ignore[no-untyped-def, type-arg]
    body = await upload_ok(
        client,
        PREVIEW,
        {"i": {"sheet": None, "archive": None}},
        {"i.sheet": (sheet_name, sheet), "i.archive": ("drawings.zip", archive)},
        token,
    )
    return dict(body["partImportPreview"])


def _problems(preview: dict) -> dict[int, list[tuple[str, str]]]:  # type: ignore[type-arg]
    return {
        r["row"]: [(p["column"], p["code"]) for p in r["problems"]] for r in preview["invalidRows"]
    }


EXPECTED = {
    5: [("file", "HOLE_TOO_SMALL")],
    6: [("material", "UNKNOWN_MATERIAL")],
    7: [("thickness", "UNKNOWN_THICKNESS")],
    8: [("file", "MISSING_FILE")],
    9: [("quantity", "INVALID_NUMBER")],
    10: [("file", "OPEN_CONTOUR")],
    11: [("name", "REQUIRED"), ("thickness", "INVALID_NUMBER")],
}


async def test_csv_import_lists_invalid_rows_and_confirm_saves_only_valid_ones(
    client, as_user, engine
) -> None:  # type: ignore[no-untyped-def]
    token = await as_user("buyer.acme")  # no right needed: any portal user of the company
    preview = await _preview(client, token, csv_of([HEADER, *ROWS]), "parts.csv", zip_of(DRAWINGS))
    assert preview["errors"] == []
    draft = preview["partImport"]
    assert (draft["validCount"], draft["invalidCount"]) == (3, 7)
    assert [r["row"] for r in draft["rows"]] == [2, 3, 4]
    assert _problems(draft) == EXPECTED
    by_row = {r["row"]: r for r in draft["rows"]}
    assert by_row[3]["quantity"] == 1 and by_row[3]["material"]["code"] == "AW5754"
    assert by_row[4]["material"]["code"] == "1.4301" and by_row[4]["fileName"] == "cover.dxf"
    assert by_row[2]["dxfSha256"] == by_row[3]["dxfSha256"]
    assert all(r["price"]["valid"] for r in draft["rows"])
    assert draft["totalNet"]["amount"] == sum(r["price"]["net"]["amount"] for r in draft["rows"])
    problems = {r["row"]: r["problems"] for r in draft["invalidRows"]}
    hole = problems[5][0]
    assert (hole["x"], hole["y"]) == (100, 50) and hole["handle"] and hole["layer"] == "0"
    assert "8.0 mm" in hole["message"]
    assert problems[10][0]["x"] is not None and problems[10][0]["handle"]
    assert "missing.dxf" in problems[8][0]["message"]
    # Nothing is in the library before the confirmation.
    assert (await gql(client, COUNT, token=token))["data"]["parts"]["totalCount"] == 0

    other = await as_user("globex")
    stolen = await gql(client, CONFIRM, {"i": {"importId": draft["importId"]}}, token=other)
    assert stolen["data"]["partImportConfirm"]["errors"][0]["code"] == "NOT_FOUND"

    confirmed = await gql(client, CONFIRM, {"i": {"importId": draft["importId"]}}, token=token)
    result = confirmed["data"]["partImportConfirm"]
    assert result["errors"] == [] and result["skippedRows"] == []
    assert [(p["name"], p["quantity"], p["material"]["code"]) for p in result["parts"]] == [
        ("Bracket steel", 10, "S235"),
        ("Bracket alu", 1, "AW5754"),
        ("Cover", 4, "1.4301"),
    ]
    assert (await gql(client, COUNT, token=token))["data"]["parts"]["totalCount"] == 3
    again = await gql(client, CONFIRM, {"i": {"importId": draft["importId"]}}, token=token)
    assert again["data"]["partImportConfirm"]["errors"][0]["code"] == "NOT_FOUND"
    async with engine.connect() as conn:
        drafts = (await conn.execute(text("SELECT count(*) FROM part_import"))).scalar()
        events = (
            (await conn.execute(text("SELECT payload FROM event WHERE topic = 'part.changed'")))
            .scalars()
            .all()
        )
    assert drafts == 0
    assert [e["action"] for e in events] == ["imported"] and len(events[0]["partIds"]) == 3


async def test_xlsx_import_with_other_header_spellings(client, as_user) -> None:  # type: ignore[no-untyped-def]
    token = await as_user("acme")
    header = ["PART NAME", "material", "Thickness (mm)", "Qty", "DXF file name", "Comment"]
    rows = [
        [
            r[0],
            r[1],
            float(r[2]) if r[2].replace(".", "").isdigit() else r[2],
            int(r[3]) if r[3].isdigit() else (r[3] or None),
            r[4],
            "x",
        ]
        for r in ROWS
    ]
    sheet = xlsx_of([header, *rows])
    preview = await _preview(client, token, sheet, "parts.xlsx", zip_of(DRAWINGS))
    draft = preview["partImport"]
    assert preview["errors"] == [] and draft["validCount"] == 3
    assert _problems(draft) == EXPECTED
    confirmed = await gql(client, CONFIRM, {"i": {"importId": draft["importId"]}}, token=token)
    assert len(confirmed["data"]["partImportConfirm"]["parts"]) == 3


async def test_semicolon_csv_with_decimal_commas(client, as_user) -> None:  # type: ignore[no-untyped-def]
    token = await as_user("acme")
    sheet = csv_of([HEADER, ["Thin", "S235", "1,5", "3", "bracket.dxf"]], delimiter=";")
    draft = (await _preview(client, token, sheet, "p.csv", zip_of(DRAWINGS)))["partImport"]
    assert draft["validCount"] == 1 and draft["rows"][0]["thicknessMm"] == "1.50"


async def test_broken_sheets_and_archives_are_refused_as_a_whole(client, as_user) -> None:  # type: ignore[no-untyped-def]
    token = await as_user("acme")
    archive = zip_of(DRAWINGS)
    no_file_column = csv_of(
        [["name", "material", "thickness", "quantity"], ["a", "S235", "2", "1"]]
    )
    errors = (await _preview(client, token, no_file_column, "p.csv", archive))["errors"]
    assert [(e["code"], e["field"]) for e in errors] == [("MISSING_COLUMN", ["sheet"])]
    assert "file" in errors[0]["message"]
    header_only = csv_of([HEADER])
    errors = (await _preview(client, token, header_only, "p.csv", archive))["errors"]
    assert errors[0]["code"] == "INVALID_SHEET"
    errors = (await _preview(client, token, csv_of([HEADER, *ROWS]), "p.csv", b"not a zip"))[
        "errors"
    ]
    assert [(e["code"], e["field"]) for e in errors] == [("INVALID_ARCHIVE", ["archive"])]
    xls = b"\xd0\xcf\x11\xe0" + b"\x00" * 100
    errors = (await _preview(client, token, xls, "p.xls", archive))["errors"]
    assert errors[0]["code"] == "INVALID_SHEET" and ".xlsx" in errors[0]["message"]
    only_bad = csv_of([HEADER, ["Gold", "GOLD", "2", "1", "bracket.dxf"]])
    draft = (await _preview(client, token, only_bad, "p.csv", archive))["partImport"]
    assert draft["importId"] is None and draft["invalidCount"] == 1
