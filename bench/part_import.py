"""Bulk import benchmark: a 1,000-row sheet naming ~20 distinct DXFs, over real HTTP.

    python bench/part_import.py [--rows 1000] [--drawings 20] [--xlsx]

Starts a throwaway embedded PostgreSQL, migrates it, seeds the demo, then sends the sheet and
the ZIP to `partImportPreview` as a GraphQL multipart request through the ASGI app (so multipart
parsing, analysis, pricing, the draft insert and the response are all in the figure) and
confirms it with `partImportConfirm`. Prints wall and CPU time of each step, and how long
loading the laser price list from the database takes (the per-request read ``load_shop``).
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx
from ezdxf.filemanagement import read as read_dxf
from openpyxl import Workbook

from adapters.db import SqlUnitOfWork, session_factory
from adapters.embedded_db import start_embedded
from adapters.migrations import upgrade
from bench.laser_geometry import busy_part
from domain.laser.shop import load_shop
from domain.laser.templates import generate
from server.demo import DEMO_PASSWORD, seed_demo
from server.settings import Settings

PREVIEW = """mutation($i: PartImportPreviewInput!) { partImportPreview(input: $i) {
  partImport { importId validCount invalidCount totalNet { amount }
    rows { row price { net { amount } } } invalidRows { row problems { column code } } }
  errors { code message } } }"""
CONFIRM = """mutation($id: String!) { partImportConfirm(input: {importId: $id}) {
  parts { id } errors { code message } } }"""
MATERIALS = [("S235", ["1", "1.5", "2", "3", "5", "8"]), ("1.4301", ["1", "2", "3", "4"]),
             ("AW5754", ["1.5", "2", "3", "5"])]  # fmt: skip


def busy_variant(i: int) -> bytes:
    """The 200-entity plate of bench/laser_geometry.py, labelled so each copy is distinct."""
    doc = read_dxf(io.StringIO(busy_part().decode()))
    doc.modelspace().add_text(f"variant {i}")
    stream = io.StringIO()
    doc.write(stream)
    return stream.getvalue().encode()


def drawings(count: int) -> dict[str, bytes]:
    """Flanges, plates and slotted plates of varying size, and a few busy 200-entity parts."""
    out: dict[str, bytes] = {}
    for i in range(count):
        kind = i % 4
        if kind == 0:
            data = generate("FLANGE", {"outer_diameter": 200 + 10 * i, "bolt_count": 4 + i % 8})
        elif kind == 1:
            data = generate(
                "RECTANGLE",
                {"width": 200 + 5 * i, "height": 120, "hole_diameter": 10,
                 "hole_rows": 2 + i % 3, "hole_columns": 3 + i % 5},
            )  # fmt: skip
        elif kind == 2:
            data = generate("SLOTTED_PLATE", {"width": 250 + i, "slot_count": 2 + i % 4})
        elif i % 8 == 3:
            data = busy_variant(i)
        else:
            data = generate("DISC", {"outer_diameter": 60 + i, "inner_diameter": 20})
        out[f"drawings/part-{i:02d}.dxf"] = data
    return out


def sheet_rows(rows: int, names: list[str]) -> list[list[object]]:
    table: list[list[object]] = [["Name", "Material", "Thickness", "Quantity", "DXF file"]]
    for n in range(rows):
        code, thicknesses = MATERIALS[n % len(MATERIALS)]
        thickness = thicknesses[(n // 3) % len(thicknesses)]
        file_name = names[n % len(names)].rsplit("/", 1)[-1]
        if n % 97 == 0:
            code = "GOLD"  # about 1 % unknown materials
        if n % 101 == 0:
            file_name = "lost.dxf"  # and missing files
        table.append([f"Part {n + 1}", code, thickness, 1 + n % 50, file_name])
    return table


def to_xlsx(table: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in table:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def to_zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buffer.getvalue()


class Timer:
    def __init__(self, label: str) -> None:
        self.label = label

    def __enter__(self) -> Timer:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        wall = time.perf_counter() - self.wall
        cpu = time.process_time() - self.cpu
        print(f"{self.label:<44} wall {wall:7.2f} s   cpu {cpu:7.2f} s")


async def run(url: str, tmp: Path, args: argparse.Namespace) -> None:
    from server.app import create_app

    settings = Settings.from_env({
        "DATABASE_URL": url, "PRESSROOM_DATA_DIR": str(tmp),
        "PRESSROOM_JWT_SECRET": "bench-secret-" + "x" * 40, "PRESSROOM_EMBEDDED_WORKER": "false",
    })  # fmt: skip
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        uow = SqlUnitOfWork(session_factory(app.state.engine))
        await seed_demo(uow)
        start = time.perf_counter()
        for _ in range(100):
            await load_shop(uow)
        print(f"{'load_shop (materials + rates), per call':<44} wall "
              f"{(time.perf_counter() - start) * 10:7.2f} ms")  # fmt: skip
        await uow.close()

        files = drawings(args.drawings)
        table = sheet_rows(args.rows, list(files))
        sheet = to_xlsx(table) if args.xlsx else "\n".join(
            ",".join(str(c) for c in row) for row in table).encode()  # fmt: skip
        archive = to_zip(files)
        print(f"{args.rows} rows, {len(files)} distinct DXFs ({len(archive) / 1024:.0f} KiB ZIP), "
              f"sheet {'XLSX' if args.xlsx else 'CSV'} {len(sheet) / 1024:.0f} KiB")  # fmt: skip
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://bench", timeout=300
        ) as client:
            await import_once(client, sheet, archive, args.xlsx)


async def import_once(client: httpx.AsyncClient, sheet: bytes, archive: bytes, xlsx: bool) -> None:
    login = f'{{login: "acme", password: "{DEMO_PASSWORD}"}}'
    answer = await client.post(
        "/graphql", json={"query": f"mutation {{ tokenCreate(input: {login}) {{ accessToken }} }}"}
    )
    token = answer.json()["data"]["tokenCreate"]["accessToken"]
    headers = {"authorization": f"Bearer {token}", "Apollo-Require-Preflight": "true"}
    operations = {"query": PREVIEW, "variables": {"i": {"sheet": None, "archive": None}}}
    file_map = {"0": ["variables.i.sheet"], "1": ["variables.i.archive"]}
    with Timer("partImportPreview (HTTP, analyse, price, draft)"):
        resp = await client.post(
            "/graphql",
            data={"operations": json.dumps(operations), "map": json.dumps(file_map)},
            files={
                "0": ("parts.xlsx" if xlsx else "parts.csv", sheet),
                "1": ("drawings.zip", archive),
            },
            headers=headers,
        )
    body = resp.json()["data"]["partImportPreview"]
    assert not body["errors"], body["errors"]
    draft = body["partImport"]
    net = draft["totalNet"]["amount"] / 100
    print(
        f"  valid rows {draft['validCount']}, invalid rows {draft['invalidCount']}, "
        f"total net {net:,.2f} EUR"
    )
    with Timer("partImportConfirm (insert parts)"):
        done = await client.post(
            "/graphql",
            json={"query": CONFIRM, "variables": {"id": draft["importId"]}},
            headers=headers,
        )
    confirmed = done.json()["data"]["partImportConfirm"]
    assert not confirmed["errors"], confirmed["errors"]
    print(f"  parts saved {len(confirmed['parts'])}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--drawings", type=int, default=20)
    parser.add_argument("--xlsx", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pressroom-bench-") as tmp:
        url = start_embedded(Path(tmp), database="bench", cleanup="delete")
        upgrade(url)
        asyncio.run(run(url, Path(tmp), args))


if __name__ == "__main__":
    main()
