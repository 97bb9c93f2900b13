"""supplierJobStatusChanged over graphql-transport-ws on a real server process: staff see
every supplier job move, the supplier its own (with its API key), another supplier and the
customer nothing."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from gql import gql

from tests.api.test_live_price import SECRET, login, post
from tests.api.test_order_events import collect, wait_for, ws
from tests.api.test_order_events import seeded as seeded
from tests.live_server import live_server

CHANGES = gql(
    """subscription($after: Int) { supplierJobStatusChanged(after: $after) {
         eventId status previousStatus number supplierJobId } }"""
)


def ids(base: str, admin: str) -> dict[str, str]:
    out = {
        e["node"]["name"]: e["node"]["id"]
        for e in post(base, "{ suppliers { edges { node { id name } } } }", None, admin)[
            "suppliers"
        ]["edges"]
    }
    for e in post(base, "{ products { edges { node { id code } } } }")["products"]["edges"]:
        out[e["node"]["code"]] = e["node"]["id"]
    company = post(base, '{ companies(search: "globex") { nodes { id } } }', None, admin)
    out["globex"] = company["companies"]["nodes"][0]["id"]
    return out


def prepare(base: str, admin: str, ref: dict[str, str]) -> tuple[str, str, str]:
    """A manual e-mail channel for one supplier, leaflets routed to it; an order released."""
    supplier, other = ref["Office Supplies Direct"], ref["Banner Factory"]
    keys = [
        post(
            base,
            "mutation($id: ID!) { supplierApiKeyCreate(id: $id) { apiKey } }",
            {"id": s},
            admin,
        )["supplierApiKeyCreate"]["apiKey"]
        for s in (supplier, other)
    ]
    post(
        base,
        """mutation($s: ID!) { supplierChannelSet(input: {supplierId: $s, kind: EMAIL,
          settings: {email: "jobs@partner.example"}, automation: MANUAL}) { errors { code } } }""",
        {"s": supplier},
        admin,
    )
    post(
        base,
        "mutation($p: ID!, $s: ID!) { routingRuleSet(input: {productId: $p, supplierId: $s}) { errors { code } } }",
        {"p": ref["leaflet"], "s": supplier},
        admin,
    )
    return keys[0], keys[1], supplier


@pytest.mark.usefixtures("seeded")
async def test_staff_and_the_supplier_follow_supplier_jobs(database_url, tmp_path) -> None:  # type: ignore[no-untyped-def]
    worker = {"PRESSROOM_EMBEDDED_WORKER": "true", "PRESSROOM_JOB_POLL_INTERVAL_S": "0.2"}
    with live_server(database_url, tmp_path, secret=SECRET, extra_env=worker) as base:
        admin = await asyncio.to_thread(login, base, "admin@shop.example")
        customer = await asyncio.to_thread(login, base, "globex")
        ref = await asyncio.to_thread(ids, base, admin)
        key, other_key, _ = await asyncio.to_thread(prepare, base, admin, ref)
        boxes: dict[str, list[dict[str, Any]]] = {
            n: [] for n in ("staff", "own", "other", "customer")
        }
        tokens = {"staff": admin, "own": key, "other": other_key, "customer": customer}
        tasks = [
            asyncio.create_task(
                collect(ws(base, tokens[n]), CHANGES, boxes[n], "supplierJobStatusChanged")
            )
            for n in boxes
        ]
        try:
            await asyncio.sleep(2)
            order = await asyncio.to_thread(
                post,
                base,
                """mutation($c: ID!, $p: ID!) { orderEnterForCustomer(input: {companyId: $c,
                  lines: [{productId: $p, quantity: 100}]}) { order { id } errors { code } } }""",
                {"c": ref["globex"], "p": ref["leaflet"]},
                admin,
            )
            jobs = await asyncio.to_thread(
                post,
                base,
                "query($o: ID) { supplierJobs(orderId: $o) { nodes { id } } }",
                {"o": order["orderEnterForCustomer"]["order"]["id"]},
                admin,
            )
            [job] = jobs["supplierJobs"]["nodes"]
            await asyncio.to_thread(
                post,
                base,
                "mutation($id: ID!) { supplierJobRelease(id: $id) { errors { code } } }",
                {"id": job["id"]},
                admin,
            )
            # Released, then handed off by the server's embedded worker (mail to the catcher).
            try:
                await wait_for(
                    lambda: len(boxes["staff"]) >= 3 and len(boxes["own"]) >= 3, timeout=40
                )
            except AssertionError:
                raise AssertionError(boxes) from None
            await asyncio.sleep(1.0)
        finally:
            for t in tasks:
                t.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
    statuses = [(e["previousStatus"], e["status"]) for e in boxes["staff"]]
    assert statuses == [
        (None, "AWAITING_RELEASE"),
        ("AWAITING_RELEASE", "SCHEDULED"),
        ("SCHEDULED", "SENT"),
    ]
    assert [e["eventId"] for e in boxes["own"]] == [e["eventId"] for e in boxes["staff"]]
    assert {e["supplierJobId"] for e in boxes["own"]} == {job["id"]}
    assert boxes["other"] == [] and boxes["customer"] == []
