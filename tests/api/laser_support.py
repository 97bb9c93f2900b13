"""Helpers of the laser API tests: real DXF drawings made with ezdxf, and GraphQL multipart
uploads over HTTP (the preflight header included, as a browser client must send it)."""

from __future__ import annotations

import json
from typing import Any

import httpx

from tests.unit.laser.drawings import new_doc, plate, to_bytes
from tests.unit.laser.import_sheets import csv_of, xlsx_of, zip_of

__all__ = ["csv_of", "xlsx_of", "zip_of"]

PREFLIGHT = {"Apollo-Require-Preflight": "true"}

PART_FIELDS = """
  id name source fileName notes template templateParameters thicknessMm quantity dxfSha256
  widthMm heightMm cutLengthMm pierceCount netAreaMm2 holeCount weightKg svgPreview
  sourceUnits material { code name }
"""
ERRORS = "errors { code field message x y handle layer }"

CREATE_DXF = f"""mutation($i: PartCreateFromDxfInput!) {{ partCreateFromDxf(input: $i) {{
  part {{ {PART_FIELDS} }} {ERRORS} }} }}"""
CREATE_TEMPLATE = f"""mutation($i: PartCreateFromTemplateInput!) {{
  partCreateFromTemplate(input: $i) {{ part {{ {PART_FIELDS} }} {ERRORS} }} }}"""


def plate_with_holes(
    width: float = 120.0, height: float = 80.0, hole_d: float = 10.0, holes: int = 2
) -> bytes:
    """A plate with ``holes`` round holes along its middle, in millimetres."""
    doc, msp = new_doc()
    plate(msp, width, height)
    for i in range(holes):
        msp.add_circle(((i + 1) * width / (holes + 1), height / 2), hole_d / 2)
    return to_bytes(doc)


def open_contour() -> bytes:
    doc, msp = new_doc()
    msp.add_lwpolyline([(0, 0), (100, 0), (100, 50), (0, 50)], close=False)
    return to_bytes(doc)


def text_only() -> bytes:
    doc, msp = new_doc()
    msp.add_text("PART 4711")
    return to_bytes(doc)


def unitless_plate() -> bytes:
    doc, msp = new_doc(units=0)
    plate(msp, 100, 50)
    return to_bytes(doc)


async def upload(
    client: httpx.AsyncClient,
    query: str,
    variables: dict[str, Any],
    files: dict[str, tuple[str, bytes]],
    token: str | None = None,
    *,
    preflight: bool = True,
) -> httpx.Response:
    """A GraphQL multipart request: ``files`` maps a variable path (``input.file``) to
    (file name, bytes); the variables there are sent as null, as the spec wants."""
    variables = json.loads(json.dumps(variables))
    file_map: dict[str, list[str]] = {}
    parts: dict[str, tuple[str, bytes, str]] = {}
    for n, (path, (name, data)) in enumerate(files.items()):
        target = variables
        *parents, leaf = path.split(".")
        for key in parents:
            target = target[key]
        target[leaf] = None
        file_map[str(n)] = [f"variables.{path}"]
        parts[str(n)] = (name, data, "application/octet-stream")
    headers = dict(PREFLIGHT) if preflight else {}
    if token:
        headers["authorization"] = f"Bearer {token}"
    return await client.post(
        "/graphql",
        data={
            "operations": json.dumps({"query": query, "variables": variables}),
            "map": json.dumps(file_map),
        },
        files=parts,
        headers=headers,
    )


async def upload_ok(client: httpx.AsyncClient, *args: Any, **kwargs: Any) -> dict[str, Any]:
    resp = await upload(client, *args, **kwargs)
    body = resp.json()
    assert resp.status_code == 200, body
    assert not body.get("errors"), body["errors"]
    return dict(body["data"])


async def create_dxf_part(
    client: httpx.AsyncClient,
    token: str,
    data: bytes,
    *,
    name: str = "Mounting plate",
    material: str = "S235",
    thickness: str = "2",
    quantity: int = 10,
    file_name: str = "plate.dxf",
    **extra: Any,
) -> dict[str, Any]:
    variables = {
        "i": {
            "name": name,
            "material": material,
            "thicknessMm": thickness,
            "quantity": quantity,
            "file": None,
            **extra,
        }
    }
    body = await upload_ok(client, CREATE_DXF, variables, {"i.file": (file_name, data)}, token)
    return dict(body["partCreateFromDxf"])
