"""The parts library over HTTP: list, update (re-checked against the new sheet), copy and
delete; tenant isolation; quotes; staff price changes; constant SQL per page."""

from __future__ import annotations

from sqlalchemy import text

from tests.api.laser_support import create_dxf_part, plate_with_holes
from tests.factories import gql

LIST = """query($s: String, $first: Int, $after: String) { parts(search: $s, first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } edges { node { id name quantity } } } }"""
UPDATE = """mutation($i: PartUpdateInput!) { partUpdate(input: $i) {
  part { id name notes quantity thicknessMm material { code } weightKg updatedAt }
  errors { code field message x y handle } } }"""
COPY = """mutation($i: PartCopyInput!) { partCopy(input: $i) { part { id name quantity dxfSha256 }
  errors { code field message } } }"""
DELETE = """mutation($i: PartDeleteInput!) { partDelete(input: $i) { deletedId errors { code field message } } }"""
PRICE = """query($id: ID!) { node(id: $id) { ... on Part { price { price { valid net { amount }
  lines { code label } } priceToken } } } }"""
QUOTE = """query($i: PartQuoteInput!) { partQuote(input: $i) { part { id } thicknessMm
  material { code } drawing { widthMm holeCount weightKg svgPreview } templateParameters
  price { valid net { amount } messages { code field message } } table { quantity } priceToken } }"""


async def test_list_search_update_copy_delete(client, as_user, engine) -> None:  # type: ignore[no-untyped-def]
    token = await as_user("acme")
    ids = []
    for name in ("Base plate", "Side bracket", "Base cover"):
        ids.append(
            (await create_dxf_part(client, token, plate_with_holes(), name=name))["part"]["id"]
        )
    page = (await gql(client, LIST, {"first": 2}, token=token))["data"]["parts"]
    assert page["totalCount"] == 3 and page["pageInfo"]["hasNextPage"] is True
    assert [e["node"]["name"] for e in page["edges"]] == ["Base cover", "Side bracket"]
    rest = await gql(
        client, LIST, {"first": 2, "after": page["pageInfo"]["endCursor"]}, token=token
    )
    assert [e["node"]["name"] for e in rest["data"]["parts"]["edges"]] == ["Base plate"]
    found = (await gql(client, LIST, {"s": "base PLATE"}, token=token))["data"]["parts"]
    assert [e["node"]["name"] for e in found["edges"]] == ["Base plate"]

    # Update: name, notes, quantity; a new material and thickness are re-checked.
    changed = (
        await gql(
            client,
            UPDATE,
            {
                "i": {
                    "id": ids[0],
                    "name": "Base plate v2",
                    "notes": "deburr",
                    "quantity": 40,
                    "material": "1.4301",
                    "thicknessMm": "3",
                }
            },
            token=token,
        )
    )["data"]["partUpdate"]
    assert changed["errors"] == []
    part = changed["part"]
    assert (part["name"], part["notes"], part["quantity"]) == ("Base plate v2", "deburr", 40)
    assert part["material"]["code"] == "1.4301" and part["thicknessMm"] == "3.00"
    # A part with a 4 mm hole cannot move to 8 mm steel (smallest hole 8 mm): refused with
    # the hole's place, and the part stays as it was.
    small = (
        await create_dxf_part(client, token, plate_with_holes(120, 80, 4, 1), name="Tiny holes")
    )["part"]
    refused = (
        await gql(
            client, UPDATE, {"i": {"id": small["id"], "thicknessMm": "8", "name": "X"}}, token=token
        )
    )["data"]["partUpdate"]
    assert refused["part"] is None
    assert [e["code"] for e in refused["errors"]] == ["HOLE_TOO_SMALL"]
    assert refused["errors"][0]["x"] == 60 and refused["errors"][0]["handle"]
    unchanged = (await gql(client, LIST, {"s": "Tiny"}, token=token))["data"]["parts"]["edges"]
    assert unchanged[0]["node"]["name"] == "Tiny holes"
    bad = await gql(client, UPDATE, {"i": {"id": ids[1], "quantity": 0, "name": ""}}, token=token)
    assert {e["code"] for e in bad["data"]["partUpdate"]["errors"]} == {
        "INVALID_QUANTITY",
        "REQUIRED",
    }
    not_template = await gql(
        client, UPDATE, {"i": {"id": ids[1], "parameters": {"width": 3}}}, token=token
    )
    assert not_template["data"]["partUpdate"]["errors"][0]["code"] == "INVALID"

    copy = (await gql(client, COPY, {"i": {"id": ids[1]}}, token=token))["data"]["partCopy"]
    assert copy["errors"] == [] and copy["part"]["name"] == "Side bracket (copy)"
    assert copy["part"]["id"] not in ids
    named = (await gql(client, COPY, {"i": {"id": ids[1], "name": "Mirror"}}, token=token))["data"][
        "partCopy"
    ]
    assert named["part"]["name"] == "Mirror"

    gone = (await gql(client, DELETE, {"i": {"id": ids[2]}}, token=token))["data"]["partDelete"]
    assert gone == {"deletedId": ids[2], "errors": []}
    again = (await gql(client, DELETE, {"i": {"id": ids[2]}}, token=token))["data"]["partDelete"]
    assert again["errors"][0]["code"] == "NOT_FOUND"
    assert (await gql(client, LIST, {}, token=token))["data"]["parts"]["totalCount"] == 5
    # Every change is an event for the company; refused changes record nothing.
    async with engine.connect() as conn:
        sql = "SELECT payload->>'action' FROM event WHERE topic = 'part.changed' ORDER BY id"
        actions = (await conn.execute(text(sql))).scalars().all()
    assert actions == ["created"] * 3 + ["updated", "created", "copied", "copied", "deleted"]


async def test_template_part_update_redraws(client, as_user) -> None:  # type: ignore[no-untyped-def]
    token = await as_user("acme")
    created = await gql(
        client,
        """mutation { partCreateFromTemplate(input: {name: "Bracket",
      template: "L_BRACKET", material: "S235", thicknessMm: 2}) { part { id widthMm templateParameters }
      errors { code } } }""",
        token=token,
    )
    part = created["data"]["partCreateFromTemplate"]["part"]
    assert part["templateParameters"]["thickness"] == 2
    updated = (
        await gql(
            client,
            UPDATE.replace("weightKg", "weightKg templateParameters"),
            {"i": {"id": part["id"], "thicknessMm": 3}},
            token=token,
        )
    )["data"]["partUpdate"]
    assert updated["errors"] == []
    assert updated["part"]["templateParameters"]["thickness"] == 3
    wider = (
        await gql(
            client,
            UPDATE.replace("weightKg", "heightMm"),
            {"i": {"id": part["id"], "parameters": {"width": 60}}},
            token=token,
        )
    )["data"]["partUpdate"]
    assert wider["errors"] == [] and wider["part"]["heightMm"] == 60  # the strip width


async def test_another_company_cannot_see_or_touch_a_part(client, as_user) -> None:  # type: ignore[no-untyped-def]
    acme = await as_user("acme")
    globex = await as_user("globex")
    part_id = (await create_dxf_part(client, acme, plate_with_holes()))["part"]["id"]
    missing_id = "UGFydDo5OTk5OTk="  # Part:999999

    assert (await gql(client, PRICE, {"id": part_id}, token=globex))["data"]["node"] is None
    assert (await gql(client, LIST, {}, token=globex))["data"]["parts"]["totalCount"] == 0
    for pid in (part_id, missing_id):
        upd = (await gql(client, UPDATE, {"i": {"id": pid, "name": "mine"}}, token=globex))["data"][
            "partUpdate"
        ]
        cpy = (await gql(client, COPY, {"i": {"id": pid}}, token=globex))["data"]["partCopy"]
        dlt = (await gql(client, DELETE, {"i": {"id": pid}}, token=globex))["data"]["partDelete"]
        for payload in (upd, cpy, dlt):
            assert [(e["code"], e["field"], e["message"]) for e in payload["errors"]] == [
                ("NOT_FOUND", ["id"], "Part not found.")
            ]
        quote = await gql(client, QUOTE, {"i": {"partId": pid}}, token=globex)
        assert quote["data"]["partQuote"] is None
        add = await gql(
            client,
            """mutation($i: CartLineAddInput!) { cartLineAdd(input: $i) {
            cartLine { id } errors { code } } }""",
            {"i": {"partId": pid, "quantity": 1}},
            token=globex,
        )
        assert add["data"]["cartLineAdd"]["errors"][0]["code"] == "NOT_FOUND"
    # Staff see every library; acme's part is still there and unchanged.
    staff = await as_user("admin@shop.example")
    listed = (await gql(client, LIST, {}, token=staff))["data"]["parts"]
    assert [e["node"]["name"] for e in listed["edges"]] == ["Mounting plate"]
    # A staff member without ADMIN/SALES may look but not change.
    maker = await as_user("maker@shop.example")
    denied = (await gql(client, UPDATE, {"i": {"id": part_id, "name": "x"}}, token=maker))["data"][
        "partUpdate"
    ]
    assert denied["errors"][0]["code"] == "PERMISSION_DENIED"
    # Anonymous callers get no library at all.
    anon = await gql(client, LIST, {}, expect_errors=True)
    assert anon["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_quote_without_saving_templates_and_other_materials(client, as_user) -> None:  # type: ignore[no-untyped-def]
    anonymous = await gql(
        client,
        QUOTE,
        {
            "i": {
                "template": "DISC",
                "parameters": {"outer_diameter": 80},
                "material": "S235",
                "thicknessMm": 2,
                "quantity": 10,
                "quantities": [1, 50],
            }
        },
    )
    quote = anonymous["data"]["partQuote"]
    assert quote["part"] is None and quote["price"]["valid"] is True
    assert quote["drawing"]["widthMm"] == 80 and quote["templateParameters"]["outer_diameter"] == 80
    assert [r["quantity"] for r in quote["table"]] == [1, 50] and quote["priceToken"]
    invalid = (
        await gql(
            client,
            QUOTE,
            {
                "i": {
                    "template": "DISC",
                    "parameters": {"outer_diameter": 0},
                    "material": "S235",
                    "thicknessMm": 7,
                }
            },
        )
    )["data"]["partQuote"]
    assert invalid["price"]["valid"] is False and invalid["priceToken"] is None
    assert invalid["price"]["messages"][0]["code"] == "UNKNOWN_THICKNESS"

    token = await as_user("acme")
    part_id = (await create_dxf_part(client, token, plate_with_holes(120, 80, 4, 1)))["part"]["id"]
    own = (await gql(client, QUOTE, {"i": {"partId": part_id}}, token=token))["data"]["partQuote"]
    assert own["part"]["id"] == part_id and own["price"]["valid"] is True
    other = (
        await gql(
            client,
            QUOTE,
            {"i": {"partId": part_id, "material": "AW5754", "thicknessMm": 3}},
            token=token,
        )
    )["data"]["partQuote"]
    assert other["material"]["code"] == "AW5754" and other["price"]["valid"] is True
    assert other["drawing"]["weightKg"] < own["drawing"]["weightKg"] * 1.5
    thick = (await gql(client, QUOTE, {"i": {"partId": part_id, "thicknessMm": 8}}, token=token))[
        "data"
    ]["partQuote"]
    assert thick["price"]["valid"] is False
    assert thick["price"]["messages"][0]["code"] == "HOLE_TOO_SMALL"


async def test_staff_material_price_change_reprices_and_emits_event(
    client, as_user, engine
) -> None:  # type: ignore[no-untyped-def]
    token = await as_user("acme")
    part_id = (await create_dxf_part(client, token, plate_with_holes(400, 300, 20, 4)))["part"][
        "id"
    ]
    before = (await gql(client, PRICE, {"id": part_id}, token=token))["data"]["node"]["price"]
    quoted = (await gql(client, QUOTE, {"i": {"partId": part_id}}, token=token))["data"]
    staff = await as_user("admin@shop.example")
    mats = await gql(
        client, "{ laserMaterials { id code pricePerKg thicknesses { thicknessMm } } }", token=staff
    )
    steel = next(m for m in mats["data"]["laserMaterials"] if m["code"] == "S235")
    assert steel["pricePerKg"] == "1.2500"
    customer_view = await gql(client, "{ laserMaterials { code pricePerKg } }", token=token)
    assert all(m["pricePerKg"] is None for m in customer_view["data"]["laserMaterials"])

    change = """mutation($i: LaserMaterialUpdateInput!) { laserMaterialUpdate(input: $i) {
      laserMaterial { code pricePerKg isActive } errors { code field message } } }"""
    denied = await gql(
        client,
        change,
        {"i": {"id": steel["id"], "pricePerKg": "2.5"}},
        token=token,
        expect_errors=True,
    )
    assert denied["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    maker = await as_user("maker@shop.example")
    role = await gql(client, change, {"i": {"id": steel["id"], "pricePerKg": "2.5"}}, token=maker)
    assert role["data"]["laserMaterialUpdate"]["errors"][0]["code"] == "PERMISSION_DENIED"
    bad = await gql(client, change, {"i": {"id": steel["id"], "pricePerKg": "-1"}}, token=staff)
    assert bad["data"]["laserMaterialUpdate"]["errors"][0]["field"] == ["pricePerKg"]
    done = await gql(client, change, {"i": {"id": steel["id"], "pricePerKg": "2.5"}}, token=staff)
    assert done["data"]["laserMaterialUpdate"] == {
        "laserMaterial": {"code": "S235", "pricePerKg": "2.5000", "isActive": True},
        "errors": [],
    }

    after = (await gql(client, PRICE, {"id": part_id}, token=token))["data"]["node"]["price"]
    assert after["price"]["net"]["amount"] > before["price"]["net"]["amount"]
    # partQuote reads the shop's prices through the process's read cache: the change is there.
    requoted = (await gql(client, QUOTE, {"i": {"partId": part_id}}, token=token))["data"]
    assert requoted["partQuote"]["price"]["net"]["amount"] == after["price"]["net"]["amount"]
    assert (
        requoted["partQuote"]["price"]["net"]["amount"]
        > quoted["partQuote"]["price"]["net"]["amount"]
    )
    assert after["priceToken"] != before["priceToken"]
    async with engine.connect() as conn:
        rows = (
            await conn.execute(
                text(
                    "SELECT topic, company_id, payload FROM event WHERE topic = 'laser.material_changed'"
                )
            )
        ).all()
    assert len(rows) == 1 and rows[0][1] is None
    assert rows[0][2]["code"] == "S235" and rows[0][2]["pricePerKg"] == "2.5000"

    machine = """mutation($i: LaserMachineUpdateInput!) { laserMachineUpdate(input: $i) {
      laserMachine { hourlyRate minimumNet } errors { code field } } }"""
    cheap = await gql(
        client, machine, {"i": {"hourlyRate": "60", "minimumNet": "500"}}, token=staff
    )
    assert cheap["data"]["laserMachineUpdate"]["errors"] == []
    minimum = (await gql(client, PRICE, {"id": part_id}, token=token))["data"]["node"]["price"][
        "price"
    ]
    assert minimum["net"]["amount"] == 47500  # 500.00 minimum less acme's 5 % trade discount
    assert "minimum" in [line["code"] for line in minimum["lines"]]
    wrong = await gql(
        client, machine, {"i": {"scrapFactor": "0.5", "vatRatePercent": "120"}}, token=staff
    )
    assert {tuple(e["field"]) for e in wrong["data"]["laserMachineUpdate"]["errors"]} == {
        ("scrapFactor",),
        ("vatRatePercent",),
    }

    # A withdrawn material is no longer offered: the part's price names the problem.
    await gql(client, change, {"i": {"id": steel["id"], "isActive": False}}, token=staff)
    withdrawn = (await gql(client, PRICE, {"id": part_id}, token=token))["data"]["node"]["price"]
    assert withdrawn["price"]["valid"] is False and withdrawn["priceToken"] is None


async def test_parts_page_costs_the_same_statements_whatever_its_size(client, app, as_user) -> None:  # type: ignore[no-untyped-def]
    from tests.api.test_statement_counts import counting

    acme = await as_user("acme")
    for n in range(4):
        await create_dxf_part(client, acme, plate_with_holes(100 + n, 50, 8, 1), name=f"P{n}")
    query = """query($n: Int) { parts(first: $n) { totalCount edges { node { name weightKg
      material { code } company { code } dxf svgPreview holes { diameterMm }
      price(quantities: [1, 10]) { price { net { amount } } table { quantity } } } } } }"""
    counts = []
    for size in (1, 4):
        with counting(app) as statements:
            body = await gql(client, query, {"n": size}, token=acme)
        assert len(body["data"]["parts"]["edges"]) == size
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
