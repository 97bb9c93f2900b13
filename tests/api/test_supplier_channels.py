"""The SFTP and e-mail channels against local servers (asyncssh, aiosmtpd): the ticket and the
artwork dropped over SFTP, the artwork's signed link, the order mail with its table and the
supplier's confirm link; and a routing changed during the delay is never sent."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path

import pytest
from sqlalchemy import text

from adapters.files import LocalFileStorage
from server.settings import Settings
from tests.api.routing_support import (
    JOBS,
    SupplierEndpoint,
    channel,
    enter_order,
    ids,
    iter_files,
    route,
    sftp_server,
    supplier_jobs,
)
from tests.api.test_statement_counts import _count
from tests.factories import gql
from tests.integration.test_mail import SmtpServer, free_port

SMTP_PORT = free_port()
REROUTE = """mutation($id: ID!, $s: ID) { supplierJobReroute(id: $id, supplierId: $s) {
  supplierJob { status } errors { code message } } }"""
ORDER = """query($id: ID!) { node(id: $id) { ... on Order { status jobs { title } } } }"""


@pytest.fixture
def settings(settings: Settings) -> Settings:
    settings.smtp_host = "127.0.0.1"
    settings.smtp_port = SMTP_PORT
    settings.supplier_max_attempts = 2
    settings.supplier_backoff_s = 0
    return settings


async def attach_file(settings: Settings, engine, order_number: str, position: int) -> bytes:  # type: ignore[no-untyped-def]
    data = b"%PDF-1.4 artwork of line " + str(position).encode()
    key, digest = await LocalFileStorage(Path(settings.data_dir).resolve() / "files").put(data)
    async with engine.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO order_file (order_line_id, company_id, file_name, content_type, "
                "size_bytes, sha256, storage_key, status) SELECT l.id, o.company_id, "
                "'cards.pdf', 'application/pdf', :size, :sha, :key, 'OK' FROM order_line l "
                "JOIN customer_order o ON o.id = l.order_id "
                "WHERE o.number = :number AND l.position = :position"
            ),
            {
                "size": len(data),
                "sha": digest,
                "key": key,
                "number": order_number,
                "position": position,
            },
        )
    return data


async def test_sftp_drop_with_artwork_and_signed_link(  # type: ignore[no-untyped-def]
    client, as_user, app, settings, engine, tmp_path
) -> None:
    admin = await as_user("admin@shop.example")
    ref = await ids(client, admin)
    supplier = ref["Banner Factory"]
    server, port = await sftp_server(tmp_path / "sftp", "sftp-pass")
    try:
        (tmp_path / "sftp" / "inbox").mkdir()
        await channel(
            client,
            admin,
            supplier,
            kind="SFTP",
            settings={"host": "127.0.0.1", "port": port, "username": "banner", "folder": "inbox"},
            automation="MANUAL",
            secret="sftp-pass",
        )
        await route(client, admin, ref["business-cards"], supplier)
        order = await enter_order(client, admin, ref["globex"], [ref["business-cards"]])
        artwork = await attach_file(settings, engine, order["number"], 1)
        [job] = await supplier_jobs(client, admin, order["id"])
        assert job["status"] == "AWAITING_RELEASE"  # manual automation
        await app.state.jobs.run_until_idle()
        assert list(iter_files(tmp_path / "sftp")) == []
        release = "mutation($id: ID!) { supplierJobRelease(id: $id) { errors { code } } }"
        assert (await gql(client, release, {"id": job["id"]}, token=admin))["data"][
            "supplierJobRelease"
        ]["errors"] == []
        await app.state.jobs.run_until_idle()
    finally:
        server.close()
        await server.wait_closed()

    stem = job["number"].replace("/", "_")
    dropped = {p.name: p for p in iter_files(tmp_path / "sftp" / "inbox")}
    assert set(dropped) == {
        f"{stem}.json",
        f"{stem}.xjdf",
        *[n for n in dropped if n.endswith("cards.pdf")],
    }
    [pdf] = [p for n, p in dropped.items() if n.endswith("cards.pdf")]
    assert pdf.read_bytes() == artwork
    ticket = json.loads(dropped[f"{stem}.json"].read_text())
    [file] = ticket["lines"][0]["files"]
    assert file["sha256"] and file["url"].startswith(settings.public_base_url + "/supplier-files/")
    path = file["url"][len(settings.public_base_url) :]
    assert (await client.get(path)).content == artwork  # no login: the signature is the key
    assert (await client.get(path.replace("signature=", "signature=0"))).status_code == 404
    [job] = await supplier_jobs(client, admin, order["id"])
    assert job["status"] == "SENT"


async def test_email_channel_and_confirm_link(client, as_user, app) -> None:  # type: ignore[no-untyped-def]
    admin = await as_user("admin@shop.example")
    ref = await ids(client, admin)
    supplier = ref["Office Supplies Direct"]
    with SmtpServer(SMTP_PORT) as smtp:
        await channel(
            client, admin, supplier, kind="EMAIL", settings={"email": "jobs@partner.example"}
        )
        await route(client, admin, ref["folded-brochure"], supplier)
        order = await enter_order(
            client, admin, ref["globex"], [ref["leaflet"], ref["folded-brochure"]]
        )
        await app.state.jobs.run_until_idle()
        await smtp.inbox.wait_for(1, timeout_s=10)
    [message] = smtp.inbox.messages
    [job] = await supplier_jobs(client, admin, order["id"])
    assert message["To"] == "jobs@partner.example" and message["Subject"] == f"Job {job['number']}"
    body = message.get_content()
    assert re.search(r"^2\s+500\s+\S", body, re.M)  # position, quantity, title
    assert "Blind shipping" in body and "Industriestrasse 42" in body
    link = re.search(r"(http://\S+/supplier-jobs/confirm/\S+)", body)
    assert link is not None
    path = "/" + link.group(1).split("/", 3)[3]
    page = await client.get(path)
    assert page.status_code == 200 and "<form" in page.text
    [job] = await supplier_jobs(client, admin, order["id"])
    assert job["status"] == "SENT"  # opening the link accepts nothing
    confirmed = await client.post(path)
    assert confirmed.status_code == 200 and "accepted" in confirmed.text
    [job] = await supplier_jobs(client, admin, order["id"])
    assert job["status"] == "ACCEPTED"
    assert (await client.post(path[:-3] + "xyz")).status_code == 404


async def test_routing_changed_during_the_delay_is_never_sent(client, as_user, app) -> None:  # type: ignore[no-untyped-def]
    admin = await as_user("admin@shop.example")
    ref = await ids(client, admin)
    supplier = ref["Office Supplies Direct"]
    with SupplierEndpoint() as endpoint:
        await channel(
            client,
            admin,
            supplier,
            kind="HTTP",
            settings={"url": endpoint.url},
            automation="DELAYED",
            delaySeconds=1,
        )
        await route(client, admin, ref["business-cards"], supplier)
        order = await enter_order(client, admin, ref["globex"], [ref["business-cards"]])
        [job] = await supplier_jobs(client, admin, order["id"])
        # A customer may not touch supplier jobs at all.
        customer = await as_user("globex")
        denied = await gql(client, REROUTE, {"id": job["id"]}, token=customer, expect_errors=True)
        assert denied["errors"] and denied["data"] is None
        back = (await gql(client, REROUTE, {"id": job["id"]}, token=admin))["data"][
            "supplierJobReroute"
        ]
        assert back["errors"] == [] and back["supplierJob"]["status"] == "CANCELLED"
        node = (await gql(client, ORDER, {"id": order["id"]}, token=admin))["data"]["node"]
        assert len(node["jobs"]) == 1  # made in-house now
        await asyncio.sleep(1.2)
        await app.state.jobs.run_until_idle()
        assert endpoint.requests == []
        again = (await gql(client, REROUTE, {"id": job["id"]}, token=admin))["data"][
            "supplierJobReroute"
        ]
        assert [e["code"] for e in again["errors"]] == ["INVALID_TRANSITION"]


async def test_a_cancelled_order_cancels_its_supplier_jobs(client, as_user, app) -> None:  # type: ignore[no-untyped-def]
    admin = await as_user("admin@shop.example")
    ref = await ids(client, admin)
    supplier = ref["Office Supplies Direct"]
    await channel(
        client,
        admin,
        supplier,
        kind="EMAIL",
        settings={"email": "jobs@partner.example"},
        automation="MANUAL",
    )
    await route(client, admin, ref["leaflet"], supplier)
    order = await enter_order(client, admin, ref["globex"], [ref["leaflet"]])
    [job] = await supplier_jobs(client, admin, order["id"])
    assert job["status"] == "AWAITING_RELEASE"
    cancel = "mutation($id: ID!) { orderCancel(id: $id) { errors { code } } }"
    assert (await gql(client, cancel, {"id": order["id"]}, token=admin))["data"]["orderCancel"][
        "errors"
    ] == []
    [job] = await supplier_jobs(client, admin, order["id"])
    assert job["status"] == "CANCELLED"
    release = "mutation($id: ID!) { supplierJobRelease(id: $id) { errors { code } } }"
    refused = (await gql(client, release, {"id": job["id"]}, token=admin))["data"]
    assert [e["code"] for e in refused["supplierJobRelease"]["errors"]] == ["INVALID_TRANSITION"]


async def test_supplier_jobs_page_is_constant(client, as_user, app) -> None:  # type: ignore[no-untyped-def]
    admin = await as_user("admin@shop.example")
    ref = await ids(client, admin)
    for name in ("Office Supplies Direct", "Banner Factory"):
        await channel(
            client,
            admin,
            ref[name],
            kind="EMAIL",
            settings={"email": "jobs@partner.example"},
            automation="MANUAL",
        )
    await route(client, admin, ref["leaflet"], ref["Office Supplies Direct"])
    await route(client, admin, ref["business-cards"], ref["Banner Factory"])
    for _ in range(2):
        await enter_order(client, admin, ref["globex"], [ref["leaflet"], ref["business-cards"]])
    query = JOBS.replace(
        "supplierJobs(orderId: $o, status: $s)", "supplierJobs(orderId: $o, status: $s, first: $n)"
    ).replace(
        "query($o: ID, $s: SupplierJobStatus)", "query($o: ID, $s: SupplierJobStatus, $n: Int)"
    )
    small = await _count(client, app, query, {"n": 1}, admin)
    large = await _count(client, app, query, {"n": 4}, admin)
    assert small == large, (small, large)
