"""Laser parts over HTTP: real DXF uploads (GraphQL multipart), the checks with their places in
the drawing, template parts, prices, previews and the DXF download."""

from __future__ import annotations

import base64
import xml.etree.ElementTree as ET

import pytest

from domain.laser.geometry import analyse_dxf
from domain.laser.templates import TEMPLATES
from tests.api.laser_support import (
    CREATE_DXF,
    CREATE_TEMPLATE,
    create_dxf_part,
    open_contour,
    plate_with_holes,
    text_only,
    unitless_plate,
    upload,
)
from tests.factories import gql

PRICE = """query($id: ID!, $q: Int, $qs: [Int!]) { node(id: $id) { ... on Part {
  name dxf dxfUrl holes { diameterMm centreXMm centreYMm }
  price(quantity: $q, quantities: $qs) { price { valid quantity net { amount } gross { amount }
    vat { amount } lines { code label amount { amount } } messages { code message } }
    table { quantity unitNet { amount } } priceToken expiresAt drawing { widthMm } } } } }"""


async def test_dxf_part_is_created_priced_previewed_and_downloaded(client, as_user) -> None:  # type: ignore[no-untyped-def]
    token = await as_user("boss.acme")
    data = plate_with_holes(120, 80, 10, holes=2)
    payload = await create_dxf_part(client, token, data, name="Bracket A", quantity=25)
    assert payload["errors"] == []
    part = payload["part"]
    assert part["name"] == "Bracket A" and part["source"] == "DXF"
    assert part["fileName"] == "plate.dxf"
    assert part["material"] == {"code": "S235", "name": "Steel S235"}
    assert part["widthMm"] == 120 and part["heightMm"] == 80
    assert part["pierceCount"] == 3 and part["holeCount"] == 2
    assert part["cutLengthMm"] == pytest.approx(400 + 2 * 3.14159265 * 10, abs=1e-3)
    net_area = 120 * 80 - 2 * 3.14159265 * 25
    assert part["netAreaMm2"] == pytest.approx(net_area, abs=1e-3)
    assert part["weightKg"] == pytest.approx(net_area * 2 / 1000 * 7.85 / 1000, abs=1e-4)
    assert part["sourceUnits"] == "MILLIMETRE"

    svg = ET.fromstring(part["svgPreview"])
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    assert svg.attrib["viewBox"].split()[2:] == ["122.4", "82.4"]

    body = await gql(client, PRICE, {"id": part["id"], "qs": [1, 100]}, token=token)
    node = body["data"]["node"]
    price = node["price"]["price"]
    assert price["valid"] is True and price["quantity"] == 25
    codes = [line["code"] for line in price["lines"]]
    assert codes[:5] == ["setup", "material", "cutting", "piercing", "handling"]
    assert sum(line["amount"]["amount"] for line in price["lines"]) == price["net"]["amount"]
    assert price["net"]["amount"] + price["vat"]["amount"] == price["gross"]["amount"]
    assert [row["quantity"] for row in node["price"]["table"]] == [1, 100]
    assert (
        node["price"]["table"][0]["unitNet"]["amount"]
        > node["price"]["table"][1]["unitNet"]["amount"]
    )
    assert node["price"]["priceToken"].startswith("pt1.")
    assert sorted(h["diameterMm"] for h in node["holes"]) == [10, 10]

    # The base64 field and the download route give back the uploaded bytes exactly.
    assert base64.b64decode(node["dxf"]) == data
    assert node["dxfUrl"].endswith(f"/files/parts/{part['id']}.dxf")
    path = node["dxfUrl"][node["dxfUrl"].index("/files/") :]
    resp = await client.get(path, headers={"authorization": f"Bearer {token}"})
    assert resp.status_code == 200
    assert resp.headers["content-type"].startswith("application/dxf")
    assert "plate.dxf" in resp.headers["content-disposition"]
    assert resp.content == data
    again = analyse_dxf(resp.content)
    assert again.width_mm == part["widthMm"] and again.pierce_count == part["pierceCount"]
    # No token: 401; a token of another company: 404 like a missing part.
    assert (await client.get(path)).status_code == 401
    globex = await as_user("globex")
    other = await client.get(path, headers={"authorization": f"Bearer {globex}"})
    assert other.status_code == 404
    missing = await client.get(
        "/files/parts/UGFydDo5OTk5OQ==.dxf", headers={"authorization": f"Bearer {token}"}
    )
    assert missing.status_code == 404


async def test_upload_without_preflight_header_is_refused(client, as_user) -> None:  # type: ignore[no-untyped-def]
    token = await as_user("boss.acme")
    variables = {"i": {"name": "x", "material": "S235", "thicknessMm": "2", "file": None}}
    resp = await upload(
        client,
        CREATE_DXF,
        variables,
        {"i.file": ("p.dxf", plate_with_holes())},
        token,
        preflight=False,
    )
    assert resp.status_code == 400
    assert resp.json()["errors"][0]["extensions"]["code"] == "CSRF_PREFLIGHT_REQUIRED"
    parts = await gql(client, "{ parts { totalCount } }", token=token)
    assert parts["data"]["parts"]["totalCount"] == 0


def _refused(payload: dict) -> dict[str, dict]:  # type: ignore[type-arg]
    assert payload["part"] is None
    return {e["code"]: e for e in payload["errors"]}


async def test_each_drawing_problem_reaches_the_payload_with_its_place(client, as_user) -> None:  # type: ignore[no-untyped-def]
    token = await as_user("acme")
    # Open contour: the gap's end named, with the entity handle and layer.
    errors = _refused(await create_dxf_part(client, token, open_contour()))
    problem = errors["OPEN_CONTOUR"]
    assert problem["field"][0] == "file" and problem["handle"] and problem["layer"] == "0"
    assert problem["field"] == ["file", f"entity:{problem['handle']}", "layer:0"]
    assert (problem["x"], problem["y"]) in {(0.0, 0.0), (0.0, 50.0)}

    errors = _refused(await create_dxf_part(client, token, text_only()))
    assert errors["TEXT_ONLY"]["field"] == ["file"] and errors["TEXT_ONLY"]["x"] is None

    # Too large for the largest sheet of 3 mm steel (3000 x 1500, turned or not).
    big = plate_with_holes(3200, 1600, 20, holes=1)
    problem = _refused(await create_dxf_part(client, token, big, thickness="3"))[
        "TOO_LARGE_FOR_SHEET"
    ]
    assert "3200" in problem["message"] and (problem["x"], problem["y"]) == (0.0, 0.0)

    # A 4 mm hole is fine in 2 mm steel but too small in 8 mm steel (minimum = thickness).
    small_holes = plate_with_holes(120, 80, 4, holes=1)
    assert (await create_dxf_part(client, token, small_holes, thickness="2"))["errors"] == []
    problem = _refused(await create_dxf_part(client, token, small_holes, thickness="8"))[
        "HOLE_TOO_SMALL"
    ]
    assert (problem["x"], problem["y"]) == pytest.approx((60.0, 40.0))
    assert problem["handle"] and problem["field"][1] == f"entity:{problem['handle']}"

    # No declared units: refused, unless the customer says which units it is in.
    errors = _refused(await create_dxf_part(client, token, unitless_plate()))
    assert set(errors) == {"UNKNOWN_UNITS"}
    inches = await create_dxf_part(client, token, unitless_plate(), units="INCH")
    assert inches["errors"] == [] and inches["part"]["widthMm"] == 2540
    assert inches["part"]["sourceUnits"] == "INCH"

    # Not a drawing; too large a file (5 MB); unknown material and thickness.
    errors = _refused(await create_dxf_part(client, token, b"%PDF-1.7 nope"))
    assert errors["INVALID_DXF"]["field"] == ["file"]
    errors = _refused(await create_dxf_part(client, token, b"0" * (5 * 1024 * 1024 + 1)))
    assert errors["FILE_TOO_LARGE"]["field"] == ["file"]
    errors = _refused(await create_dxf_part(client, token, plate_with_holes(), material="GOLD"))
    assert errors["UNKNOWN_MATERIAL"]["field"] == ["material"]
    errors = _refused(await create_dxf_part(client, token, plate_with_holes(), thickness="7"))
    assert errors["UNKNOWN_THICKNESS"]["field"] == ["thicknessMm"]
    errors = _refused(
        await create_dxf_part(client, token, plate_with_holes(), name=" ", quantity=0)
    )
    assert set(errors) == {"REQUIRED", "INVALID_QUANTITY"}
    parts = await gql(client, "{ parts { totalCount } }", token=token)
    assert parts["data"]["parts"]["totalCount"] == 2  # the 2 mm plate and the inch plate


@pytest.mark.parametrize("key", sorted(TEMPLATES))
async def test_template_part_for_every_template(client, as_user, key: str) -> None:  # type: ignore[no-untyped-def]
    token = await as_user("acme")
    variables = {
        "i": {
            "name": f"{key} part",
            "template": key,
            "material": "AW5754",
            "thicknessMm": "3",
            "quantity": 5,
        }
    }
    payload = (await gql(client, CREATE_TEMPLATE, variables, token=token))["data"][
        "partCreateFromTemplate"
    ]
    assert payload["errors"] == [], payload["errors"]
    part = payload["part"]
    assert part["source"] == "TEMPLATE" and part["template"] == key
    defaults = {p.key: p.default for p in TEMPLATES[key].parameters}
    params = part["templateParameters"]
    assert set(params) == set(defaults)
    if key == "L_BRACKET":
        assert params["thickness"] == 3  # the bracket follows the sheet chosen
    ET.fromstring(part["svgPreview"])
    priced = await gql(client, PRICE, {"id": part["id"]}, token=token)
    assert priced["data"]["node"]["price"]["price"]["valid"] is True


async def test_template_problems_point_at_parameters(client, as_user) -> None:  # type: ignore[no-untyped-def]
    token = await as_user("acme")

    async def create(params: dict, thickness: str = "2", template: str = "FLANGE") -> dict:  # type: ignore[type-arg]
        variables = {
            "i": {
                "name": "F",
                "template": template,
                "parameters": params,
                "material": "S235",
                "thicknessMm": thickness,
            }
        }
        body = await gql(client, CREATE_TEMPLATE, variables, token=token)
        return dict(body["data"]["partCreateFromTemplate"])

    bad = await create({"bolt_count": 2.5, "colour": 1})
    assert {tuple(e["field"]) for e in bad["errors"]} == {
        ("parameters", "bolt_count"),
        ("parameters", "colour"),
    }
    assert {e["code"] for e in bad["errors"]} == {"INVALID_TEMPLATE_PARAMETER"}
    # 6 mm bolt holes are too small for 8 mm steel: the drawing check, at the hole centres.
    small = await create({"bolt_hole_diameter": 6}, thickness="8")
    assert {e["code"] for e in small["errors"]} == {"HOLE_TOO_SMALL"}
    assert all(e["field"] == ["parameters"] and e["x"] is not None for e in small["errors"])
    assert len(small["errors"]) == 8
    unknown = await create({}, template="GEAR")
    assert unknown["errors"][0]["code"] == "UNKNOWN_TEMPLATE"
