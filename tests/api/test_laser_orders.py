"""A library part through cart, checkout and production: the order line keeps the part as it
was ordered, and the job gets the laser routing and a sheet-metal requisition."""

from __future__ import annotations

import uuid

import pytest

from tests.api.laser_support import create_dxf_part, plate_with_holes
from tests.api.test_laser_library import DELETE
from tests.factories import gql


async def test_part_in_cart_and_checkout_makes_a_laser_job(client, as_user) -> None:  # type: ignore[no-untyped-def]
    boss = await as_user("boss.acme")
    part = (
        await create_dxf_part(
            client, boss, plate_with_holes(120, 80, 10, 2), name="Flange plate", thickness="3"
        )
    )["part"]
    add = await gql(
        client,
        """mutation($i: CartLineAddInput!) { cartLineAdd(input: $i) {
        cartLine { id title quantity price { valid net { amount } } quotedNet { amount } }
        errors { code field message } } }""",
        {"i": {"partId": part["id"], "quantity": 50, "channel": "main"}},
        token=boss,
    )
    line = add["data"]["cartLineAdd"]
    assert line["errors"] == [] and line["cartLine"]["title"] == "Flange plate"
    assert line["cartLine"]["price"]["valid"] is True
    assert line["cartLine"]["quotedNet"] == line["cartLine"]["price"]["net"]

    placed = await gql(
        client,
        """mutation($i: OrderPlaceInput!) { orderPlace(input: $i) {
        order { id status lines { title quantity specification job { id } }
                jobs { title tasks { name } requisitions { material quantity unit } } }
        errors { code field message } } }""",
        {"i": {"idempotencyKey": str(uuid.uuid4())}},
        token=boss,
    )
    payload = placed["data"]["orderPlace"]
    assert payload["errors"] == [], payload["errors"]
    order = payload["order"]
    assert order["status"] == "RELEASED"
    (order_line,) = order["lines"]
    spec = order_line["specification"]["part"]
    expected_keys = {
        "partId",
        "name",
        "materialCode",
        "materialName",
        "thicknessMm",
        "widthMm",
        "heightMm",
        "cutLengthMm",
        "pierceCount",
        "weightKgEach",
        "weightKgTotal",
        "dxfSha256",
        "source",
        "template",
        "templateParams",
    }
    assert expected_keys <= set(spec)
    assert spec["name"] == "Flange plate" and spec["materialCode"] == "S235"
    assert spec["thicknessMm"] == 3 and spec["widthMm"] == 120 and spec["pierceCount"] == 3
    assert spec["dxfSha256"] == part["dxfSha256"] and spec["source"] == "DXF"
    assert spec["weightKgTotal"] == pytest.approx(spec["weightKgEach"] * 50, abs=0.01)
    (job,) = order["jobs"]
    assert [t["name"] for t in job["tasks"]] == ["Programming", "Cutting", "Deburring", "Packing"]
    (req,) = job["requisitions"]
    assert req["material"] == "Steel S235 3 mm" and req["unit"] == "kg"
    assert float(req["quantity"]) == spec["weightKgTotal"]

    # Deleting the part afterwards leaves the order's snapshot intact.
    await gql(client, DELETE, {"i": {"id": part["id"]}}, token=boss)
    kept = await gql(
        client,
        """query($id: ID!) { node(id: $id) { ... on Order { lines { specification } } } }""",
        {"id": order["id"]},
        token=boss,
    )
    assert kept["data"]["node"]["lines"][0]["specification"]["part"]["name"] == "Flange plate"
