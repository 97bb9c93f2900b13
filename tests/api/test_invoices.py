"""Invoices over the API: issued on delivery, seen with VIEW_FINANCES only and by no other
company, downloaded as PDF (parsed back) and UBL (valid against the UBL 2.1 XSD), mailed with
the PDF, credited, run collectively, exported; every refusal typed."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

import httpx
from facturx import get_xml_from_pdf
from lxml import etree
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.orm import selectinload
from strawberry import relay

from adapters.db import SqlUnitOfWork, session_factory
from domain.mail.models import OutgoingMail
from tests.billing_support import company_id, make_order
from tests.factories import gql
from tests.unit.billing.test_einvoice_schemas import cii_schema, ubl_schema

INVOICES = """query($f: InvoiceFilter) { invoices(filter: $f) { totalCount nodes {
  id number invoiceKind paymentStatus issueDate paymentDueDate vatTreatment vatNote orderNumbers
  netTotal { amount currency } vatTotal { amount } grossTotal { amount } openAmount { amount }
  buyer { name vatId country } documentLines { position quantity vatCategory vatRatePercent
  net { amount } vat { amount } } vatBreakdown { vatCategory vatRatePercent taxable { amount }
  vat { amount } } downloadPaths { pdf ubl facturx } creditNotes { number } } } }"""
DELIVER = "mutation($id: ID!) { orderDeliver(id: $id) { order { status } errors { code } } }"
CREDIT = """mutation($i: CreditNoteIssueInput!) { creditNoteIssue(input: $i) {
  creditNote { number grossTotal { amount } downloadPaths { ubl } invoice { number openAmount { amount } } }
  errors { code field message } } }"""
ORDER = """query($id: ID!) { node(id: $id) { ... on Order { invoicedExternally
  invoicing { state invoice { number } } } } }"""


def gid(type_name: str, pk: int) -> str:
    return str(relay.GlobalID(type_name, str(pk)))


async def completed_order(engine: AsyncEngine, code: str) -> int:
    uow = SqlUnitOfWork(session_factory(engine))
    try:
        async with uow:
            order = await make_order(uow, await company_id(uow, code))
            await uow.commit()
        return order.id
    finally:
        await uow.close()


async def get(client: httpx.AsyncClient, path: str, token: str) -> httpx.Response:
    return await client.get(path, headers={"authorization": f"Bearer {token}"})


async def test_invoice_per_delivered_order_seen_downloaded_mailed_and_credited(
    client,
    as_user,
    app,
    engine,  # type: ignore[no-untyped-def]
) -> None:
    admin, boss = await as_user("admin@shop.example"), await as_user("boss.acme")
    buyer, globex = await as_user("buyer.acme"), await as_user("globex")
    order_id = await completed_order(engine, "acme")
    order = gid("Order", order_id)
    pending = (await gql(client, ORDER, {"id": order}, admin))["data"]["node"]
    assert pending["invoicing"] == {"state": "PENDING", "invoice": None}
    delivered = (await gql(client, DELIVER, {"id": order}, admin))["data"]["orderDeliver"]
    assert delivered == {"order": {"status": "DELIVERED"}, "errors": []}

    [invoice] = (await gql(client, INVOICES, token=boss))["data"]["invoices"]["nodes"]
    assert invoice["invoiceKind"] == "SINGLE" and invoice["paymentStatus"] == "OPEN"
    assert invoice["netTotal"] == {"amount": 15000, "currency": "EUR"}
    assert (invoice["vatTotal"]["amount"], invoice["grossTotal"]["amount"]) == (2250, 17250)
    assert invoice["openAmount"]["amount"] == 17250
    assert [
        (r["vatRatePercent"], r["taxable"]["amount"], r["vat"]["amount"])
        for r in invoice["vatBreakdown"]
    ] == [
        ("19.00", 10000, 1900),
        ("7.00", 5000, 350),
    ]
    assert invoice["vatTreatment"] == "DOMESTIC" and invoice["buyer"]["vatId"] == "DE123456789"
    staff_view = (await gql(client, INVOICES, token=admin))["data"]["invoices"]
    assert staff_view["totalCount"] == 1
    seen = (await gql(client, ORDER, {"id": order}, boss))["data"]["node"]["invoicing"]
    assert seen == {"state": "INVOICED", "invoice": {"number": invoice["number"]}}

    # Hidden from a user without VIEW_FINANCES and from another company, like a missing one.
    for token in (buyer, globex):
        assert (await gql(client, INVOICES, token=token))["data"]["invoices"]["totalCount"] == 0
        node = await gql(
            client, "query($id: ID!) { node(id: $id) { id } }", {"id": invoice["id"]}, token
        )
        assert node["data"]["node"] is None
        assert (await get(client, invoice["downloadPaths"]["pdf"], token)).status_code == 404

    # The PDF, parsed back: its number and totals; the UBL valid against the OASIS XSD.
    pdf = await get(client, invoice["downloadPaths"]["pdf"], boss)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert invoice["number"] in text and "150.00" in text and "172.50" in text
    ubl = await get(client, invoice["downloadPaths"]["ubl"], boss)
    assert ubl_schema(False).validate(etree.fromstring(ubl.content))
    # The PDF is a Factur-X PDF/A-3: the CII XML inside, valid against the Factur-X XSD.
    _, embedded = get_xml_from_pdf(pdf.content, check_xsd=False)
    assert cii_schema().validate(etree.fromstring(embedded))
    assert b"<ram:GrandTotalAmount>172.50</ram:GrandTotalAmount>" in embedded

    # Mailed with the Factur-X PDF by the job the issue deferred.
    await app.state.jobs.run_until_idle()
    uow = SqlUnitOfWork(session_factory(engine))
    try:
        async with uow:
            mail = await uow.scalar(
                select(OutgoingMail)
                .options(selectinload(OutgoingMail.attachments))
                .where(OutgoingMail.subject.like(f"Invoice {invoice['number']}%"))
            )
            assert mail.to_address == "purchasing@acme.example" and mail.sent_at is not None
            [attachment] = mail.attachments
            assert attachment.filename == f"{invoice['number']}.pdf"
            assert attachment.data.startswith(b"%PDF")
    finally:
        await uow.close()

    # Credit notes: per line, then a typed refusal, and nothing for a portal user.
    part = {
        "invoiceId": invoice["id"],
        "reason": "Damaged",
        "lines": [{"invoiceLinePosition": 1, "netAmount": 1000}],
    }
    body = (await gql(client, CREDIT, {"i": part}, admin))["data"]["creditNoteIssue"]
    assert body["errors"] == [] and body["creditNote"]["grossTotal"]["amount"] == 1190
    note_ubl = await get(client, body["creditNote"]["downloadPaths"]["ubl"], boss)
    assert ubl_schema(True).validate(etree.fromstring(note_ubl.content))
    assert (
        await get(client, body["creditNote"]["downloadPaths"]["ubl"], globex)
    ).status_code == 404
    assert body["creditNote"]["invoice"]["openAmount"]["amount"] == 17250 - 1190
    too_much = part | {"lines": [{"invoiceLinePosition": 1, "netAmount": 9001}]}
    body = (await gql(client, CREDIT, {"i": too_much}, admin))["data"]["creditNoteIssue"]
    assert body["errors"][0]["code"] == "EXCEEDS_INVOICE" and body["creditNote"] is None
    refused = await gql(client, CREDIT, {"i": part}, boss, expect_errors=True)
    assert refused["data"] is None or refused["data"]["creditNoteIssue"] is None
    again = (await gql(client, DELIVER, {"id": order}, admin))["data"]["orderDeliver"]
    assert again["errors"][0]["code"] == "INVALID_TRANSITION"
    issue = """mutation($id: ID!) { invoiceIssueForOrder(orderId: $id) { errors { code } } }"""
    body = (await gql(client, issue, {"id": order}, admin))["data"]["invoiceIssueForOrder"]
    assert body["errors"] == [{"code": "ALREADY_INVOICED"}]


async def test_collective_monthly_invoice_external_orders_and_the_export(
    client,
    as_user,
    engine,  # type: ignore[no-untyped-def]
) -> None:
    admin, boss = await as_user("admin@shop.example"), await as_user("boss.acme")
    acme = gid("Company", await completed_order_company(engine))
    setting = """mutation($i: CompanyInvoicingSetInput!) { companyInvoicingSet(input: $i) {
      company { id } errors { code field } } }"""
    bad = {"companyId": acme, "schedule": "MONTHLY", "vatId": "DE12"}
    body = (await gql(client, setting, {"i": bad}, admin))["data"]["companyInvoicingSet"]
    assert body["errors"] == [{"code": "INVALID_VAT_ID", "field": ["vatId"]}]
    group = """mutation($id: ID!) { customerGroupInvoicingSet(customerGroupId: $id,
      schedule: EXTERNAL) { customerGroup { invoiceSchedule } errors { code } } }"""
    body = (await gql(client, group, {"id": gid("CustomerGroup", 999999)}, admin))["data"]
    assert body["customerGroupInvoicingSet"]["errors"] == [{"code": "NOT_FOUND"}]
    monthly = {"companyId": acme, "schedule": "MONTHLY", "invoiceEmail": "ap@acme.example"}
    body = (await gql(client, setting, {"i": monthly}, admin))["data"]["companyInvoicingSet"]
    assert body["errors"] == []
    company = (
        "query($id: ID!) { node(id: $id) { ... on Company { ownInvoiceSchedule invoiceEmail } } }"
    )
    assert (await gql(client, company, {"id": acme}, boss))["data"]["node"] == {
        "ownInvoiceSchedule": "MONTHLY",
        "invoiceEmail": "ap@acme.example",
    }

    orders = [gid("Order", await completed_order(engine, "acme")) for _ in range(3)]
    external = """mutation($id: ID!) { orderInvoicedExternallySet(orderId: $id, value: true) {
      order { invoicedExternally invoicing { state } } errors { code } } }"""
    body = (await gql(client, external, {"id": orders[2]}, admin))["data"][
        "orderInvoicedExternallySet"
    ]
    assert body == {
        "order": {"invoicedExternally": True, "invoicing": {"state": "EXTERNAL"}},
        "errors": [],
    }
    for order in orders:
        await gql(client, DELIVER, {"id": order}, admin)
    assert (await gql(client, INVOICES, token=admin))["data"]["invoices"]["totalCount"] == 0

    run = """mutation($i: InvoiceRunCollectiveInput!) { invoiceRunCollective(input: $i) {
      invoices { number invoiceKind orderNumbers grossTotal { amount } } errors { code } } }"""
    # Next month's run invoices this month's deliveries, all on one invoice.
    today = dt.date.today()
    next_month = (today.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    body = (
        await gql(
            client, run, {"i": {"schedule": "MONTHLY", "date": next_month.isoformat()}}, admin
        )
    )["data"]["invoiceRunCollective"]
    assert body["errors"] == []
    [collective] = body["invoices"]
    assert collective["invoiceKind"] == "COLLECTIVE" and len(collective["orderNumbers"]) == 2
    assert collective["grossTotal"]["amount"] == 2 * 17250
    body = (await gql(client, run, {"i": {"schedule": "PER_ORDER"}}, admin))["data"][
        "invoiceRunCollective"
    ]
    assert body["errors"][0]["code"] == "INVALID_PERIOD"

    # The accounting export: staff only, one row per line.
    period = f"from={today.replace(day=1).isoformat()}&to={next_month.isoformat()}"
    assert (await get(client, f"/billing/export?{period}&format=csv", boss)).status_code == 403
    response = await get(client, f"/billing/export?{period}&format=csv", admin)
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 4 and {r["number"] for r in rows} == {collective["number"]}
    assert sum(int(r["gross_amount"]) for r in rows) == collective["grossTotal"]["amount"]
    assert {r["revenue_account"] for r in rows} == {"8400"}
    # The order invoiced externally: in its own export, with what the other system needs.
    response = await get(
        client, f"/billing/export?{period}&format=csv&source=external_orders", admin
    )
    external_rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    number = (
        await gql(
            client,
            "query($id: ID!) { node(id: $id) { ... on Order { number } } }",
            {"id": orders[2]},
            admin,
        )
    )["data"]["node"]["number"]
    assert {r["order_number"] for r in external_rows} == {number} and len(external_rows) == 2
    assert external_rows[0]["customer_vat_id"] == "DE123456789"
    assert sum(int(r["gross_amount"]) for r in external_rows) == 17250
    xlsx = await get(client, f"/billing/export?{period}&format=xlsx", admin)
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["documents", "external_orders"]
    sheet = book["documents"]
    assert sheet.max_row == 5 and sheet["B2"].value == collective["number"]
    archive = await get(client, f"/billing/export?{period}&format=zip", admin)
    names = zipfile.ZipFile(io.BytesIO(archive.content)).namelist()
    assert sorted(names) == sorted(
        [f"ubl/{collective['number']}.xml", f"factur-x/{collective['number']}.xml"]
    )


async def completed_order_company(engine: AsyncEngine) -> int:
    uow = SqlUnitOfWork(session_factory(engine))
    try:
        async with uow:
            return await company_id(uow, "acme")
    finally:
        await uow.close()
