"""Routing over the real channels: an order split between own production and two suppliers
(one by HTTP API after a delay that outlives a worker restart, one by FTP), the suppliers
reporting status and tracking with their API keys, a failing endpoint retried then put on hold
with a staff alert, and who sees what."""

from __future__ import annotations

import asyncio
import json
from xml.etree import ElementTree as ET

import pytest
from sqlalchemy import text
from strawberry import relay

from adapters.supplier_channels import sign
from server.jobs import job_worker
from server.settings import Settings
from tests.api.routing_support import (
    REPORT,
    FtpServer,
    SupplierEndpoint,
    channel,
    enter_order,
    ids,
    iter_files,
    route,
    supplier_jobs,
    supplier_key,
    wait_until,
)
from tests.factories import gql

SENDER = {
    "name": "Pressroom Print Shop",
    "street": "Druckergasse 1",
    "postalCode": "10115",
    "city": "Berlin",
    "country": "DE",
}
ORDER = (
    """query($id: ID!) { node(id: $id) { ... on Order { status jobs { status tasks { id } } } } }"""
)
TASK = "mutation($id: ID!) { taskComplete(id: $id) { errors { code } } }"
RELEASE = """mutation($id: ID!) { supplierJobRelease(id: $id) { supplierJob { status }
  errors { code message } } }"""


@pytest.fixture
def settings(settings: Settings) -> Settings:
    settings.supplier_max_attempts = 3
    settings.supplier_backoff_s = 0
    settings.staff_alert_email = "ops@shop.example"
    settings.shop_sender = dict(SENDER)
    settings.job_poll_interval_s = 0.1
    return settings


def _pk(global_id: str) -> int:
    return int(relay.GlobalID.from_id(global_id).node_id)


async def report(client, key: str, **i):  # type: ignore[no-untyped-def]
    return (await gql(client, REPORT, {"i": i}, token=key))["data"]["supplierJobReport"]


async def test_order_split_between_own_production_and_two_suppliers(  # type: ignore[no-untyped-def]
    client, as_user, app, settings, tmp_path
) -> None:
    admin = await as_user("admin@shop.example")
    ref = await ids(client, admin)
    api_supplier, ftp_supplier = ref["Office Supplies Direct"], ref["Banner Factory"]
    with SupplierEndpoint() as endpoint, FtpServer(tmp_path / "ftp") as ftp:
        http = await channel(
            client,
            admin,
            api_supplier,
            kind="HTTP",
            settings={"url": endpoint.url},
            automation="DELAYED",
            delaySeconds=3,
            secret="sign-key-1",
        )
        assert http["hasSecret"] is True and "sign-key-1" not in json.dumps(http)
        await channel(
            client,
            admin,
            ftp_supplier,
            kind="FTP",
            settings={"host": "127.0.0.1", "port": ftp.port, "username": "acme", "folder": "/"},
            secret="ftp-secret",
        )
        await route(client, admin, ref["business-cards"], api_supplier)
        await route(client, admin, ref["folded-brochure"], ftp_supplier)

        order = await enter_order(
            client,
            admin,
            ref["globex"],
            [ref["leaflet"], ref["business-cards"], ref["folded-brochure"]],
        )
        # Only the leaflet is made in-house.
        assert len(order["jobs"]) == 1 and "eaflet" in order["jobs"][0]["title"]
        jobs = {j["supplierId"]: j for j in await supplier_jobs(client, admin, order["id"])}
        api_job, ftp_job = jobs[api_supplier], jobs[ftp_supplier]
        assert [(ln["position"], ln["quantity"]) for ln in api_job["lines"]] == [(2, 500)]
        assert [(ln["position"], ln["quantity"]) for ln in ftp_job["lines"]] == [(3, 750)]
        assert api_job["status"] == ftp_job["status"] == "SCHEDULED"
        assert api_job["sendAfter"] is not None

        # A worker starts, sends the FTP drop at once, and stops during the API's delay.
        first = job_worker(settings, app.state.engine, app.state.sessions, name="first")
        running = asyncio.create_task(first.run_forever())
        await wait_until(lambda: len(list(iter_files(ftp.root))) >= 2)
        assert endpoint.requests == []
        first.stop()
        await asyncio.wait_for(running, 20)
        await first.close()
        # Another worker takes over: the delayed hand-off is sent once.
        second = job_worker(settings, app.state.engine, app.state.sessions, name="second")
        running = asyncio.create_task(second.run_forever())
        try:
            await wait_until(lambda: len(endpoint.requests) >= 1)
            await asyncio.sleep(1.0)
        finally:
            second.stop()
            await asyncio.wait_for(running, 20)
            await second.close()
        assert len(endpoint.requests) == 1

    headers, body = endpoint.requests[0]
    assert headers["webhook-signature"] == sign(
        "sign-key-1", headers["webhook-id"], int(headers["webhook-timestamp"]), body
    )
    document = json.loads(body)
    assert document["jobNumber"] == api_job["number"] == f"{order['number']}/S1"
    assert document["blindShipping"] is True and document["shipFrom"] == SENDER
    assert (
        document["shipTo"]["city"] == "Munich" and document["desiredDeliveryDate"] == "2030-01-15"
    )
    assert [(ln["position"], ln["quantity"]) for ln in document["lines"]] == [(2, 500)]
    assert "Office Supplies" not in body.decode()  # the supplier's own details are never sent

    dropped = {p.name: p for p in iter_files(ftp.root)}
    stem = ftp_job["number"].replace("/", "_")
    assert set(dropped) == {f"{stem}.json", f"{stem}.xjdf"}
    xjdf = ET.parse(dropped[f"{stem}.xjdf"]).getroot()
    ns = {"x": "http://www.CIP4.org/JDFSchema_2_0"}
    assert xjdf.tag.endswith("XJDF") and xjdf.get("JobID") == ftp_job["number"]
    assert [p.get("Amount") for p in xjdf.findall(".//x:Product", ns)] == ["750"]
    sender = xjdf.find(".//x:Contact[@ContactTypes='Sender']/x:Address", ns)
    assert sender is not None and sender.get("City") == "Berlin"

    sent = {j["supplierId"]: j for j in await supplier_jobs(client, admin, order["id"])}
    assert (
        sent[api_supplier]["status"] == "SENT"
        and sent[api_supplier]["supplierReference"] == "SUP-1"
    )
    assert [(a["attempt"], a["ok"]) for a in sent[api_supplier]["handoffAttempts"]] == [(1, True)]

    # The suppliers report back with their keys; each sees and reports only its own jobs.
    api_key = await supplier_key(client, admin, api_supplier)
    ftp_key = await supplier_key(client, admin, ftp_supplier)
    assert [j["number"] for j in await supplier_jobs(client, ftp_key)] == [ftp_job["number"]]
    assert (await supplier_jobs(client, ftp_key))[0]["handoffAttempts"] == []
    foreign = await report(client, ftp_key, number=api_job["number"], status="ACCEPTED")
    assert [e["code"] for e in foreign["errors"]] == ["NOT_FOUND"]
    accepted = await report(client, api_key, number=api_job["number"], status="ACCEPTED")
    assert accepted["errors"] == [] and accepted["supplierJob"]["status"] == "ACCEPTED"
    started = await report(client, api_key, number=api_job["number"], status="IN_PRODUCTION")
    assert started["supplierJob"]["status"] == "IN_PRODUCTION"
    status = (await gql(client, ORDER, {"id": order["id"]}, token=admin))["data"]["node"]
    assert status["status"] == "IN_PRODUCTION"
    untracked = await report(client, api_key, number=api_job["number"], status="SHIPPED")
    assert [(e["code"], e["field"]) for e in untracked["errors"]] == [
        ("REQUIRED", ["trackingNumber"])
    ]
    shipped = await report(
        client,
        api_key,
        number=api_job["number"],
        status="SHIPPED",
        carrier="DHL",
        trackingNumber="00340434161094042557",
        trackingUrl="https://www.dhl.de/track?id=00340434161094042557",
    )
    assert shipped["errors"] == []
    assert (shipped["supplierJob"]["status"], shipped["supplierJob"]["trackingNumber"]) == (
        "SHIPPED",
        "00340434161094042557",
    )
    await report(client, ftp_key, number=ftp_job["number"], status="SHIPPED", trackingNumber="1Z99")

    # A customer never sees supplier jobs; the order completes when every part is done.
    customer = await as_user("globex")
    assert await supplier_jobs(client, customer) == []
    maker = await as_user("maker@shop.example")
    for task in status["jobs"][0]["tasks"]:
        assert (await gql(client, TASK, {"id": task["id"]}, token=maker))["data"]["taskComplete"][
            "errors"
        ] == []
    done = (await gql(client, ORDER, {"id": order["id"]}, token=admin))["data"]["node"]
    assert done["status"] == "COMPLETED"

    # Every move was an event for outside watchers, with no company (customers see none).
    async with app.state.engine.connect() as conn:
        events = (
            await conn.execute(
                text(
                    "SELECT company_id, payload->>'status' FROM event "
                    "WHERE topic = 'supplier_job.status_changed' "
                    "AND (payload->>'supplierJobId')::bigint = :id ORDER BY id"
                ),
                {"id": _pk(api_job["id"])},
            )
        ).all()
    assert events == [
        (None, "SCHEDULED"),
        (None, "SENT"),
        (None, "ACCEPTED"),
        (None, "IN_PRODUCTION"),
        (None, "SHIPPED"),
    ]


async def test_a_failing_endpoint_is_retried_then_held_and_staff_alerted(  # type: ignore[no-untyped-def]
    client, as_user, app, engine, caplog
) -> None:
    caplog.set_level("INFO")
    admin = await as_user("admin@shop.example")
    ref = await ids(client, admin)
    supplier = ref["Office Supplies Direct"]
    with SupplierEndpoint() as endpoint:
        endpoint.status = 503
        await channel(
            client, admin, supplier, kind="HTTP", settings={"url": endpoint.url}, secret="k-secret"
        )
        await route(client, admin, ref["business-cards"], supplier)
        order = await enter_order(client, admin, ref["globex"], [ref["business-cards"]])
        assert order["jobs"] == []  # nothing in-house
        await app.state.jobs.run_until_idle()
        assert len(endpoint.requests) == 3
        [job] = await supplier_jobs(client, admin, order["id"])
        assert job["status"] == "ON_HOLD" and "HTTP 503" in job["holdReason"]
        assert [(a["attempt"], a["ok"]) for a in job["handoffAttempts"]] == [
            (1, False),
            (2, False),
            (3, False),
        ]
        assert all("k-secret" not in (a["error"] or "") for a in job["handoffAttempts"])
        assert "hand-off failed" in caplog.text and "k-secret" not in caplog.text
        async with engine.connect() as conn:
            alerts = (
                await conn.execute(
                    text("SELECT subject, body_text FROM mail_outbox WHERE to_address = :a"),
                    {"a": "ops@shop.example"},
                )
            ).all()
            # The same address also gets the new-order alert (notifications).
            assert [s for s, _ in alerts if "on hold" in s] == [
                f"Supplier job {job['number']} on hold"
            ]
        assert "HTTP 503" in next(b for s, b in alerts if "on hold" in s)

        # Fixed: staff release it again and it goes out.
        endpoint.status = 200
        released = (await gql(client, RELEASE, {"id": job["id"]}, token=admin))["data"][
            "supplierJobRelease"
        ]
        assert released["errors"] == [] and released["supplierJob"]["status"] == "SCHEDULED"
        await app.state.jobs.run_until_idle()
        assert len(endpoint.requests) == 4
        [job] = await supplier_jobs(client, admin, order["id"])
        assert job["status"] == "SENT" and job["handoffAttempts"][-1]["ok"] is True
