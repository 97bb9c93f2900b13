"""Files on order lines (GraphQL multipart request), a problem flagged by staff putting the job
on hold, the customer's re-upload sending it back to work; reorder; staff-entered orders."""

from __future__ import annotations

import hashlib
import json

from sqlalchemy import text

from tests.api.test_order_flow import ORDER, PLACE, _cart_with_leaflet
from tests.factories import gql

ATTACH = """mutation($i: OrderFileAttachInput!) { orderFileAttach(input: $i) {
  file { id fileName sizeBytes sha256 status downloadPath } errors { code field message } } }"""
FLAG = """mutation($i: OrderFileFlagProblemInput!) { orderFileFlagProblem(input: $i) {
  job { status holdReason } errors { code message } } }"""


async def upload(
    client, token: str, order_id: str, position: int, name: str, data: bytes, preflight: bool = True
):  # type: ignore[no-untyped-def]
    operations = {
        "query": ATTACH,
        "variables": {"i": {"orderId": order_id, "linePosition": position, "file": None}},
    }
    headers = {"authorization": f"Bearer {token}"}
    if preflight:
        headers["apollo-require-preflight"] = "true"
    return await client.post(
        "/graphql",
        data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.i.file"]})},
        files={"0": (name, data, "application/pdf")},
        headers=headers,
    )


CANCEL = """mutation($id: ID!) { orderCancel(id: $id, reason: "No new file") {
  order { status } errors { code } } }"""


async def test_file_problem_on_a_released_order_does_not_start_production(client, as_user) -> None:  # type: ignore[no-untyped-def]
    """A held job is no work begun: the order stays RELEASED (its history shows no
    IN_PRODUCTION), so the customer may still cancel it."""
    boss = await as_user("boss.acme")
    maker = await as_user("maker@shop.example")
    await _cart_with_leaflet(client, boss)
    order = (await gql(client, PLACE, {"i": {"idempotencyKey": "held"}}, token=boss))["data"][
        "orderPlace"
    ]["order"]
    assert order["status"] == "RELEASED"
    job_id = order["lines"][0]["job"]["id"]
    flag = """mutation($i: OrderFileFlagProblemInput!) { orderFileFlagProblem(input: $i) {
      job { status } errors { code } } }"""
    flagged = (
        await gql(client, flag, {"i": {"jobId": job_id, "problem": "No artwork yet"}}, token=maker)
    )["data"]["orderFileFlagProblem"]
    assert flagged == {"job": {"status": "ON_HOLD"}, "errors": []}
    state = (await gql(client, ORDER, {"id": order["id"]}, token=boss))["data"]["node"]
    assert state["status"] == "RELEASED"
    assert [h["toStatus"] for h in state["history"]] == ["RELEASED"]
    cancelled = (await gql(client, CANCEL, {"id": order["id"]}, token=boss))["data"]["orderCancel"]
    assert cancelled == {"order": {"status": "CANCELLED"}, "errors": []}


async def test_file_problem_holds_the_job_and_reupload_releases_it(  # type: ignore[no-untyped-def]
    client, as_user, engine, app
) -> None:
    boss = await as_user("boss.acme")
    maker = await as_user("maker@shop.example")
    globex = await as_user("globex")
    await _cart_with_leaflet(client, boss)
    order = (await gql(client, PLACE, {"i": {"idempotencyKey": "f1"}}, token=boss))["data"][
        "orderPlace"
    ]["order"]
    pdf = b"%PDF-1.4 artwork v1"

    refused = await upload(client, boss, order["id"], 1, "art.pdf", pdf, preflight=False)
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["extensions"]["code"] == "CSRF_PREFLIGHT_REQUIRED"

    resp = await upload(client, boss, order["id"], 1, "art.pdf", pdf)
    attached = resp.json()["data"]["orderFileAttach"]
    assert attached["errors"] == []
    f = attached["file"]
    assert f["sha256"] == hashlib.sha256(pdf).hexdigest() and f["sizeBytes"] == len(pdf)
    # Staff download the stored bytes; another company cannot, nor see the order.
    dl = await client.get(f["downloadPath"], headers={"authorization": f"Bearer {maker}"})
    assert dl.status_code == 200 and dl.content == pdf
    assert (
        await client.get(f["downloadPath"], headers={"authorization": f"Bearer {globex}"})
    ).status_code == 404
    other = (await upload(client, globex, order["id"], 1, "x.pdf", b"%PDF x")).json()["data"][
        "orderFileAttach"
    ]
    assert other["errors"][0]["code"] == "NOT_FOUND"

    flagged = (
        await gql(
            client, FLAG, {"i": {"fileId": f["id"], "problem": "Images are 72 dpi"}}, token=maker
        )
    )["data"]["orderFileFlagProblem"]
    assert flagged["errors"] == [] and flagged["job"]["status"] == "ON_HOLD"
    state = (await gql(client, ORDER, {"id": order["id"]}, token=boss))["data"]["node"]
    assert state["status"] == "RELEASED" and state["jobs"][0]["status"] == "ON_HOLD"
    tasks = (
        await gql(
            client,
            "query($id: ID!) { node(id: $id) { ... on Order { jobs { tasks { id } } } } }",
            {"id": order["id"]},
            token=maker,
        )
    )["data"]["node"]["jobs"][0]["tasks"]
    blocked = (
        await gql(
            client,
            "mutation($id: ID!) { taskStart(id: $id) { errors { code } } }",
            {"id": tasks[0]["id"]},
            token=maker,
        )
    )["data"]["taskStart"]
    assert blocked["errors"][0]["code"] == "INVALID_TRANSITION"
    # The mail is written by the notification jobs that follow the event (after commit).
    await app.state.jobs.run_until_idle()
    async with engine.connect() as conn:
        mails = (await conn.execute(text("SELECT subject FROM mail_outbox"))).scalars().all()
    assert any("new file" in m for m in mails)

    again = (
        await upload(client, boss, order["id"], 1, "art-300dpi.pdf", b"%PDF-1.4 artwork v2")
    ).json()["data"]["orderFileAttach"]
    assert again["errors"] == []
    after = (await gql(client, ORDER, {"id": order["id"]}, token=boss))["data"]["node"]
    assert after["jobs"][0]["status"] != "ON_HOLD"
    files = (
        await gql(
            client,
            "query($id: ID!) { node(id: $id) { ... on Order { onHoldReason lines { files { fileName status problem } } } } }",
            {"id": order["id"]},
            token=boss,
        )
    )["data"]["node"]
    assert files["onHoldReason"] is None
    assert [(x["fileName"], x["status"]) for x in files["lines"][0]["files"]] == [
        ("art.pdf", "REPLACED"),
        ("art-300dpi.pdf", "OK"),
    ]


async def test_reorder_fills_the_cart_and_staff_enter_an_order(client, as_user) -> None:  # type: ignore[no-untyped-def]
    boss = await as_user("boss.acme")
    admin = await as_user("admin@shop.example")
    await _cart_with_leaflet(client, boss, quantity=1000)
    order = (await gql(client, PLACE, {"i": {"idempotencyKey": "r1"}}, token=boss))["data"][
        "orderPlace"
    ]["order"]
    reorder = (
        await gql(
            client,
            "mutation($id: ID!) { orderReorder(id: $id) { cart { quantity values price { valid } } errors { code } } }",
            {"id": order["id"]},
            token=boss,
        )
    )["data"]["orderReorder"]
    assert reorder["errors"] == []
    assert [(c["quantity"], c["values"]["size"], c["price"]["valid"]) for c in reorder["cart"]] == [
        (1000, "a5", True)
    ]
    again = (await gql(client, PLACE, {"i": {"idempotencyKey": "r2"}}, token=boss))["data"][
        "orderPlace"
    ]
    assert again["errors"] == [] and again["order"]["net"] == order["net"]

    companies = await gql(
        client, '{ companies(search: "globex") { edges { node { id } } } }', token=admin
    )
    globex_id = companies["data"]["companies"]["edges"][0]["node"]["id"]
    pid = (await gql(client, '{ products(search: "business") { edges { node { id } } } }'))["data"][
        "products"
    ]["edges"][0]["node"]["id"]
    entered = (
        await gql(
            client,
            "mutation($i: OrderEnterForCustomerInput!) { orderEnterForCustomer(input: $i) { order { number status kind net { amount } jobs { title } } errors { code field } } }",
            {
                "i": {
                    "companyId": globex_id,
                    "lines": [{"productId": pid, "quantity": 500}],
                    "customerReference": "phone",
                }
            },
            token=admin,
        )
    )["data"]["orderEnterForCustomer"]
    assert entered["errors"] == []
    assert entered["order"]["number"].startswith("o-") and entered["order"]["status"] == "RELEASED"
    assert entered["order"]["kind"] == "STAFF" and entered["order"]["jobs"]
    bad = (
        await gql(
            client,
            "mutation($i: OrderEnterForCustomerInput!) { orderEnterForCustomer(input: $i) { errors { code field } } }",
            {"i": {"companyId": globex_id, "lines": [{"productId": pid, "quantity": 0}]}},
            token=admin,
        )
    )["data"]["orderEnterForCustomer"]
    assert bad["errors"][0]["code"] == "INVALID_QUANTITY" and bad["errors"][0]["field"] == [
        "lines",
        "0",
        "quantity",
    ]


async def test_orders_filter_by_kind(client, as_user) -> None:  # type: ignore[no-untyped-def]
    boss = await as_user("boss.acme")
    admin = await as_user("admin@shop.example")
    await _cart_with_leaflet(client, boss)
    web = (await gql(client, PLACE, {"i": {"idempotencyKey": "k-web"}}, token=boss))["data"][
        "orderPlace"
    ]["order"]
    companies = await gql(
        client, '{ companies(search: "acme") { edges { node { id } } } }', token=admin
    )
    acme_id = companies["data"]["companies"]["edges"][0]["node"]["id"]
    pid = (await gql(client, '{ products(search: "leaflet") { edges { node { id } } } }'))["data"][
        "products"
    ]["edges"][0]["node"]["id"]
    staff = (
        await gql(
            client,
            "mutation($i: OrderEnterForCustomerInput!) { orderEnterForCustomer(input: $i) { order { number } errors { code } } }",
            {"i": {"companyId": acme_id, "lines": [{"productId": pid, "quantity": 100}]}},
            token=admin,
        )
    )["data"]["orderEnterForCustomer"]["order"]
    query = (
        "query($k: [OrderKind!]) { orders(filter: {kinds: $k}) { edges { node { number kind } } } }"
    )
    only_staff = (await gql(client, query, {"k": ["STAFF"]}, token=boss))["data"]["orders"]["edges"]
    assert [e["node"] for e in only_staff] == [{"number": staff["number"], "kind": "STAFF"}]
    only_web = (await gql(client, query, {"k": ["WEB"]}, token=boss))["data"]["orders"]["edges"]
    assert [e["node"]["number"] for e in only_web] == [web["number"]]


async def test_hostile_file_names_and_types_are_stored_or_refused_cleanly(client, as_user) -> None:  # type: ignore[no-untyped-def]
    boss = await as_user("boss.acme")
    await _cart_with_leaflet(client, boss)
    order = (await gql(client, PLACE, {"i": {"idempotencyKey": "f9"}}, token=boss))["data"][
        "orderPlace"
    ]["order"]
    operations = {
        "query": ATTACH,
        "variables": {"i": {"orderId": order["id"], "linePosition": 1, "file": None}},
    }
    headers = {"authorization": f"Bearer {boss}", "apollo-require-preflight": "true"}

    async def attach(name: str, content_type: str) -> dict:  # type: ignore[type-arg]
        resp = await client.post(
            "/graphql",
            data={
                "operations": json.dumps(operations),
                "map": json.dumps({"0": ["variables.i.file"]}),
            },
            files={"0": (name, b"%PDF-1.4 x", content_type)},
            headers=headers,
        )
        assert resp.status_code == 200, resp.text[:300]
        return resp.json()["data"]["orderFileAttach"]  # type: ignore[no-any-return]

    # A name longer than the column is cut, not a failed insert.
    long_name = await attach("a" * 400 + ".pdf", "application/pdf")
    assert long_name["errors"] == [] and len(long_name["file"]["fileName"]) == 255
    # A type with parameters is stored as its media type; a longer one is refused, briefly.
    with_params = await attach("art.pdf", "application/pdf; name=art.pdf")
    assert with_params["errors"] == []
    refused = await attach("art.pdf", "application/pdf" + "x" * 300)
    [error] = refused["errors"]
    assert error["code"] == "INVALID" and len(error["message"]) < 200
