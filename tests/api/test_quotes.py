"""Quotes end to end through the API: a portal user asks for a quote, staff price it (engine
line, free line, one line sent as an RFQ to three partners: two answer, one declines, staff
pick one), send it (mail with a PDF captured by a local SMTP server; the PDF is parsed back
and its totals checked), revise it, the buyer accepts it into an order with its job; a second
accept is refused, an expired quote cannot be accepted, and another company sees none of it."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import httpx
import pypdf
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry import relay

from adapters.db import SqlUnitOfWork, session_factory
from domain.quotes.expiry import expire_due_quotes
from domain.shared.models import utcnow
from server.settings import Settings
from tests.factories import company_id, gql
from tests.integration.test_mail import SmtpServer

PRODUCTS = '{ products(channel: "main", first: 1) { edges { node { id } } } }'
QUOTE_FIELDS = """id number status revision sentRevision validUntil pdfUrl
  net { amount formatted } vat { amount } gross { amount formatted }
  lines { id position kind title quantity net { amount } engineNet { amount }
          priceLines { code amount { amount } } cost { amount } markupPercent
          override { net { amount } reason by { email } } supplier { name } }
  revisions { revision gross { amount } pdfUrl }
  history { action actor fromStatus toStatus }
  order { id number status }"""
CREATE = f"""mutation($i: QuoteCreateInput!) {{ quoteCreate(input: $i) {{
  quote {{ {QUOTE_FIELDS} }} errors {{ code field message }} }} }}"""
ADD = f"""mutation($i: QuoteLineAddInput!) {{ quoteLineAdd(input: $i) {{
  quote {{ {QUOTE_FIELDS} }} errors {{ code field message }} }} }}"""
UPDATE_LINE = f"""mutation($i: QuoteLineUpdateInput!) {{ quoteLineUpdate(input: $i) {{
  quote {{ {QUOTE_FIELDS} }} errors {{ code field message }} }} }}"""
OVERRIDE = f"""mutation($i: QuoteLineOverrideInput!) {{ quoteLineOverride(input: $i) {{
  quote {{ {QUOTE_FIELDS} }} errors {{ code field message }} }} }}"""
SEND = f"""mutation($id: ID!) {{ quoteSend(input: {{id: $id}}) {{
  quote {{ {QUOTE_FIELDS} }} errors {{ code field message }} }} }}"""
ACCEPT = f"""mutation($id: ID!, $r: Int) {{ quoteAccept(input: {{id: $id, revision: $r}}) {{
  quote {{ {QUOTE_FIELDS} }} order {{ id number status kind
    lines {{ position title quantity net {{ amount }} }} jobs {{ title tasks {{ name }} }} }}
  errors {{ code field message }} }} }}"""
QUOTE = f"query($id: ID!) {{ node(id: $id) {{ ... on Quote {{ {QUOTE_FIELDS} }} }} }}"
SUPPLIER = """mutation($n: String!, $e: String!) { supplierCreate(input: {name: $n, email: $e})
  { supplier { id } errors { code } } }"""
KEY = "mutation($id: ID!) { supplierApiKeyCreate(id: $id) { apiKey errors { code } } }"
RFQ = """mutation($i: RfqCreateInput!) { rfqCreate(input: $i) { rfq { id number status }
  errors { code field message } } }"""
RFQS = """{ rfqs { nodes { id number lines invitations { id status totalNet
  prices { quoteLineId net { amount } } deliveryDate supplier { name } } } } }"""
ANSWER = """mutation($i: RfqAnswerInput!) { rfqAnswer(input: $i) { invitation { id status }
  errors { code field message } } }"""
DECLINE_RFQ = """mutation($i: RfqDeclineInput!) { rfqDecline(input: $i) { invitation { status }
  errors { code } } }"""
CHOOSE = """mutation($i: ID!) { rfqChoose(input: {invitationId: $i}) { rfq { status
  invitations { status supplier { name } } } errors { code message } } }"""


@pytest.fixture
def settings(settings: Settings, smtp: SmtpServer) -> Settings:
    settings.smtp_host = smtp.host
    settings.smtp_port = smtp.port
    settings.mail_from = "Print Shop <shop@print.example>"
    return settings


def ok(body: dict[str, Any], name: str) -> dict[str, Any]:
    payload = body["data"][name]
    assert payload["errors"] == [], payload["errors"]
    return payload  # type: ignore[no-any-return]


def codes(body: dict[str, Any], name: str) -> list[str]:
    return [e["code"] for e in body["data"][name]["errors"]]


async def partners(
    client: httpx.AsyncClient, admin: str, prefix: str = ""
) -> list[tuple[str, str, str]]:
    """Three partner suppliers with API keys: (id, name, key)."""
    out = []
    for name in (f"{prefix}Foil Masters", f"{prefix}Shine & Co", f"{prefix}Goldleaf Ltd"):
        email = f"rfq@{name.replace(' ', '').replace('&', '').lower()}.example"
        created = await gql(client, SUPPLIER, {"n": name, "e": email}, admin)
        sid = ok(created, "supplierCreate")["supplier"]["id"]
        key = ok(await gql(client, KEY, {"id": sid}, admin), "supplierApiKeyCreate")["apiKey"]
        out.append((sid, name, key))
    return out


def pdf_text(data: bytes) -> str:
    return "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)


async def test_quote_request_rfq_send_revise_accept(  # type: ignore[no-untyped-def]
    client, as_user, app, smtp, engine
) -> None:
    buyer, boss = await as_user("buyer.acme"), await as_user("boss.acme")
    admin, globex = await as_user("admin@shop.example"), await as_user("globex")
    pid = (await gql(client, PRODUCTS))["data"]["products"]["edges"][0]["node"]["id"]

    # The buyer asks for an offer for a configured leaflet.
    requested = ok(
        await gql(
            client,
            CREATE,
            {
                "i": {
                    "title": "Leaflets with foil",
                    "requestText": "500 leaflets, gold foil",
                    "lines": [
                        {
                            "productId": pid,
                            "quantity": 500,
                            "configuration": {"size": "a5", "paper": "135"},
                        }
                    ],
                }
            },
            buyer,
        ),
        "quoteCreate",
    )["quote"]
    qid = requested["id"]
    assert requested["number"].startswith("q-") and requested["status"] == "REQUESTED"
    [engine_line] = requested["lines"]
    assert engine_line["engineNet"]["amount"] > 0 and engine_line["priceLines"]

    # Staff add a free line with a hand-set price and a line to source from partners.
    free = ok(
        await gql(
            client,
            ADD,
            {"i": {"quoteId": qid, "line": {"title": "Design work", "quantity": 1, "net": 15000}}},
            admin,
        ),
        "quoteLineAdd",
    )["quote"]
    assert free["status"] == "DRAFT"
    sourced = ok(
        await gql(
            client,
            ADD,
            {"i": {"quoteId": qid, "line": {"title": "Gold foil finishing", "quantity": 500}}},
            admin,
        ),
        "quoteLineAdd",
    )["quote"]
    foil = sourced["lines"][2]
    assert foil["net"] is None
    assert codes(await gql(client, SEND, {"id": qid}, admin), "quoteSend") == ["UNPRICED_LINES"]

    # One line as an RFQ to three partners: two answer, one declines.
    (p1, _, k1), (p2, _, k2), (p3, _, k3) = await partners(client, admin)
    deadline = (dt.datetime.now(dt.UTC) + dt.timedelta(days=2)).isoformat()
    rfq = ok(
        await gql(
            client,
            RFQ,
            {
                "i": {
                    "quoteId": qid,
                    "quoteLineIds": [foil["id"]],
                    "supplierIds": [p1, p2, p3],
                    "deadline": deadline,
                }
            },
            admin,
        ),
        "rfqCreate",
    )["rfq"]
    assert rfq["number"].startswith("r-") and rfq["status"] == "OPEN"
    seen = (await gql(client, RFQS, token=k1))["data"]["rfqs"]["nodes"]
    assert [r["number"] for r in seen] == [rfq["number"]]
    assert [i["supplier"] for i in seen[0]["invitations"]] == [None]  # only its own answer
    ok(
        await gql(
            client,
            ANSWER,
            {"i": {"rfqId": rfq["id"], "prices": [{"quoteLineId": foil["id"], "net": 40000}]}},
            k1,
        ),
        "rfqAnswer",
    )
    ok(
        await gql(
            client,
            ANSWER,
            {
                "i": {
                    "rfqId": rfq["id"],
                    "deliveryDate": "2031-01-10",
                    "remarks": "Hot foil",
                    "prices": [{"quoteLineId": foil["id"], "net": 32000}],
                }
            },
            k2,
        ),
        "rfqAnswer",
    )
    ok(
        await gql(client, DECLINE_RFQ, {"i": {"rfqId": rfq["id"], "reason": "Full"}}, k3),
        "rfqDecline",
    )
    # Partners and customers cannot act as staff; the buyer sees no RFQ.
    assert (await gql(client, RFQS, token=buyer))["data"]["rfqs"]["nodes"] == []
    [compared] = (await gql(client, RFQS, token=admin))["data"]["rfqs"]["nodes"]
    answers = {i["supplier"]["name"]: i for i in compared["invitations"]}
    assert {n: (a["status"], a["totalNet"]) for n, a in answers.items()} == {
        "Foil Masters": ("ANSWERED", 40000),
        "Shine & Co": ("ANSWERED", 32000),
        "Goldleaf Ltd": ("DECLINED", None),
    }
    chosen = ok(await gql(client, CHOOSE, {"i": answers["Shine & Co"]["id"]}, admin), "rfqChoose")
    assert chosen["rfq"]["status"] == "DECIDED"
    assert {i["supplier"]["name"]: i["status"] for i in chosen["rfq"]["invitations"]} == {
        "Foil Masters": "NOT_CHOSEN",
        "Shine & Co": "CHOSEN",
        "Goldleaf Ltd": "DECLINED",
    }
    # A late change of an answer is refused once decided.
    assert codes(
        await gql(
            client,
            ANSWER,
            {"i": {"rfqId": rfq["id"], "prices": [{"quoteLineId": foil["id"], "net": 1}]}},
            k1,
        ),
        "rfqAnswer",
    ) == ["RFQ_CLOSED"]

    # A manual override of the engine line, with who and why.
    over = ok(
        await gql(
            client,
            OVERRIDE,
            {"i": {"lineId": engine_line["id"], "net": 9900, "reason": "Regular customer"}},
            admin,
        ),
        "quoteLineOverride",
    )["quote"]
    lines = over["lines"]
    assert lines[0]["net"]["amount"] == 9900 and lines[0]["engineNet"]["amount"] > 0
    assert lines[0]["override"] == {
        "net": {"amount": 9900},
        "reason": "Regular customer",
        "by": {"email": "admin@shop.example"},
    }
    assert lines[2]["cost"]["amount"] == 32000 and lines[2]["markupPercent"] == "25.00"
    assert lines[2]["net"]["amount"] == 40000 and lines[2]["supplier"]["name"] == "Shine & Co"
    net = 9900 + 15000 + 40000
    assert over["net"]["amount"] == net and over["gross"]["amount"] == net + net * 19 // 100

    # Send: a mail with the PDF; the PDF's totals are the quote's.
    sent = ok(await gql(client, SEND, {"id": qid}, admin), "quoteSend")["quote"]
    assert sent["status"] == "SENT" and sent["sentRevision"] == 1 and sent["validUntil"]
    await app.state.jobs.run_until_idle()
    quote_mails = [m for m in smtp.inbox.messages if "Quote" in m["Subject"]]
    [mail] = quote_mails
    assert mail["To"] == "buyer@acme.example" or "@" in mail["To"]
    [attachment] = list(mail.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    document = pdf_text(attachment.get_content())
    assert sent["number"] in document
    assert sent["gross"]["formatted"] in document and sent["net"]["formatted"] in document
    not_chosen = [m for m in smtp.inbox.messages if "not chosen" in m["Subject"]]
    assert [m["To"] for m in not_chosen] == ["rfq@foilmasters.example"]
    # The signed link serves the same PDF to anyone holding it; a forged one answers 404.
    link = httpx.URL(sent["pdfUrl"])
    served = await client.get(link.raw_path.decode())
    assert served.status_code == 200 and sent["gross"]["formatted"] in pdf_text(served.content)
    forged = link.raw_path.decode().replace("signature=", "signature=0")
    assert (await client.get(forged)).status_code == 404

    # Revise: a change of the sent quote makes revision 2, sent again.
    revised = ok(
        await gql(client, UPDATE_LINE, {"i": {"lineId": lines[1]["id"], "net": 20000}}, admin),
        "quoteLineUpdate",
    )["quote"]
    assert (revised["status"], revised["revision"], revised["sentRevision"]) == ("DRAFT", 2, 1)
    resent = ok(await gql(client, SEND, {"id": qid}, admin), "quoteSend")["quote"]
    assert [r["revision"] for r in resent["revisions"]] == [1, 2]
    assert resent["gross"]["amount"] == resent["revisions"][1]["gross"]["amount"]

    # Another company sees none of it.
    assert (await gql(client, QUOTE, {"id": qid}, globex))["data"]["node"] is None
    listed = await gql(client, "{ quotes { totalCount } }", token=globex)
    assert listed["data"]["quotes"]["totalCount"] == 0
    assert codes(await gql(client, ACCEPT, {"id": qid}, globex), "quoteAccept") == ["NOT_FOUND"]

    # The buyer's colleague accepts the current revision: a binding order with its jobs.
    stale = await gql(client, ACCEPT, {"id": qid, "r": 1}, boss)
    assert codes(stale, "quoteAccept") == ["OUTDATED_REVISION"]
    accepted = ok(await gql(client, ACCEPT, {"id": qid, "r": 2}, boss), "quoteAccept")
    order = accepted["order"]
    assert (order["kind"], order["status"]) == ("QUOTE", "RELEASED")
    assert [x["net"]["amount"] for x in order["lines"]] == [
        x["net"]["amount"] for x in resent["lines"]
    ]
    # The engine line and the free line are made in-house; the sourced line goes to the
    # partner chosen in the RFQ (a supplier job, no job of our own).
    assert len(order["jobs"]) == 2 and all(j["tasks"] for j in order["jobs"])
    supplier_jobs = await gql(
        client,
        "query($o: ID!) { supplierJobs(orderId: $o) { nodes { supplierId lines { title } } } }",
        {"o": order["id"]},
        admin,
    )
    [routed_job] = supplier_jobs["data"]["supplierJobs"]["nodes"]
    assert routed_job["supplierId"] == p2
    assert [x["title"] for x in routed_job["lines"]] == ["Gold foil finishing"]
    assert accepted["quote"]["status"] == "ACCEPTED"
    assert accepted["quote"]["order"]["number"] == order["number"]
    again = await gql(client, ACCEPT, {"id": qid, "r": 2}, boss)
    assert codes(again, "quoteAccept") == ["ALREADY_ACCEPTED"]
    # The conversion both ways, and the routing kept on the sourced order line.
    back = await gql(
        client,
        "query($id: ID!) { node(id: $id) { ... on Order { quote { number } "
        "lines { specification } } } }",
        {"id": order["id"]},
        admin,
    )
    assert back["data"]["node"]["quote"]["number"] == sent["number"]
    ordered = back["data"]["node"]["lines"][2]["specification"]
    assert ordered["quote"]["lineId"] == int(relay.GlobalID.from_id(foil["id"]).node_id)
    assert "sourcing" not in ordered and "32000" not in json.dumps(ordered)  # the shop's cost
    async with engine.connect() as conn:
        routed = (
            await conn.execute(
                text(
                    "SELECT s.name, l.cost_net, l.supplier_delivery_date FROM quote_line l "
                    "JOIN supplier s ON s.id = l.supplier_id WHERE l.id = :l"
                ),
                {"l": ordered["quote"]["lineId"]},
            )
        ).one()
    assert tuple(routed) == ("Shine & Co", 32000, dt.date(2031, 1, 10))
    # Customers see the status changes; staff every change, each with its actor.
    seen_by_customer = [(h["action"], h["actor"]) for h in accepted["quote"]["history"]]
    assert seen_by_customer == [
        ("requested", "CUSTOMER"),
        ("sent", "STAFF"),
        ("revised", "STAFF"),
        ("sent", "STAFF"),
        ("accepted", "CUSTOMER"),
    ]
    staff_view = (await gql(client, QUOTE, {"id": qid}, admin))["data"]["node"]["history"]
    history = [(h["action"], h["actor"]) for h in staff_view]
    assert ("price overridden", "STAFF") in history and ("rfq answer", "SUPPLIER") in history
    assert ("rfq decided", "STAFF") in history and ("line added", "STAFF") in history


async def draft_quote(
    client: httpx.AsyncClient, admin: str, company: str, title: str, quantity: int
) -> dict[str, Any]:
    """A draft quote of one unpriced line, made by staff for `company`."""
    return ok(
        await gql(
            client,
            CREATE,
            {"i": {"companyId": company, "lines": [{"title": title, "quantity": quantity}]}},
            admin,
        ),
        "quoteCreate",
    )["quote"]


async def _sent_quote(client: httpx.AsyncClient, admin: str, company: str) -> dict[str, Any]:
    created = ok(
        await gql(
            client,
            CREATE,
            {
                "i": {
                    "companyId": company,
                    "title": "Banner",
                    "lines": [{"title": "Banner 3x1 m", "quantity": 2, "net": 12000}],
                }
            },
            admin,
        ),
        "quoteCreate",
    )["quote"]
    return ok(await gql(client, SEND, {"id": created["id"]}, admin), "quoteSend")["quote"]


async def test_proposal_expiry_and_late_answers(  # type: ignore[no-untyped-def]
    client, as_user, engine: AsyncEngine
) -> None:
    buyer, admin = await as_user("buyer.acme"), await as_user("admin@shop.example")
    acme = await company_id(client, buyer)
    # REQUEST_ORDERS only: accepting makes a proposal for approval, without jobs yet.
    first = await _sent_quote(client, admin, acme)
    proposal = ok(await gql(client, ACCEPT, {"id": first["id"]}, buyer), "quoteAccept")["order"]
    assert proposal["status"] == "PENDING_APPROVAL" and proposal["jobs"] == []

    # Past its validity date a quote expires by itself and cannot be accepted.
    second = await _sent_quote(client, admin, acme)
    async with engine.begin() as conn:
        await conn.execute(
            text("UPDATE quote SET valid_until = current_date - 1 WHERE number = :n"),
            {"n": second["number"]},
        )
    refused = await gql(client, ACCEPT, {"id": second["id"]}, buyer)
    assert codes(refused, "quoteAccept") == ["EXPIRED"]
    # The periodic check expires the rest, once (idempotent), with a SYSTEM history entry.
    third = await _sent_quote(client, admin, acme)
    async with engine.begin() as conn:
        await conn.execute(
            text("UPDATE quote SET valid_until = current_date - 1 WHERE number = :n"),
            {"n": third["number"]},
        )
    uow = SqlUnitOfWork(session_factory(engine))
    try:
        assert await expire_due_quotes(uow, utcnow()) == 1
        assert await expire_due_quotes(uow, utcnow()) == 0
    finally:
        await uow.close()
    expired = (await gql(client, QUOTE, {"id": third["id"]}, admin))["data"]["node"]
    assert expired["status"] == "EXPIRED"
    assert ("expired", "SYSTEM") in [(h["action"], h["actor"]) for h in expired["history"]]
    after = (await gql(client, QUOTE, {"id": second["id"]}, buyer))["data"]["node"]
    assert after["status"] == "EXPIRED" and after["order"] is None

    # An answer after the RFQ's deadline is refused.
    [(p1, _, k1), *_] = await partners(client, admin)
    draft = await draft_quote(client, admin, acme, "Special die", 1)
    deadline = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)).isoformat()
    rfq = ok(
        await gql(
            client,
            RFQ,
            {
                "i": {
                    "quoteId": draft["id"],
                    "supplierIds": [p1],
                    "quoteLineIds": [draft["lines"][0]["id"]],
                    "deadline": deadline,
                }
            },
            admin,
        ),
        "rfqCreate",
    )["rfq"]
    async with engine.begin() as conn:
        await conn.execute(text("UPDATE rfq SET deadline = now() - interval '1 minute'"))
    late = await gql(
        client,
        ANSWER,
        {
            "i": {
                "rfqId": rfq["id"],
                "prices": [{"quoteLineId": draft["lines"][0]["id"], "net": 5000}],
            }
        },
        k1,
    )
    assert codes(late, "rfqAnswer") == ["DEADLINE_PASSED"]


TEMPLATE = """mutation($i: QuoteTemplateUpdateInput!) { quoteTemplateUpdate(input: $i) {
  templates { mailSubject } errors { code field message } } }"""


async def test_brand_template_makes_the_document_and_mail(  # type: ignore[no-untyped-def]
    client, as_user, app, smtp
) -> None:
    admin, buyer = await as_user("admin@shop.example"), await as_user("buyer.acme")
    channels = (await gql(client, "{ channels { id code } }", token=admin))["data"]["channels"]
    trade = next(c["id"] for c in channels if c["code"] == "trade")
    broken = await gql(
        client,
        TEMPLATE,
        {
            "i": {
                "channelId": trade,
                "mailSubject": "x",
                "mailBody": "x",
                "documentHtml": "{% for %}",
            }
        },
        admin,
    )
    assert codes(broken, "quoteTemplateUpdate") == ["INVALID_TEMPLATE"]
    ok(
        await gql(
            client,
            TEMPLATE,
            {
                "i": {
                    "channelId": trade,
                    "mailSubject": "Ironleaf offer {{ quote.number }}",
                    "mailBody": "Dear {{ company.name }}, total {{ totals.gross }}.",
                    "documentHtml": "<h1>Ironleaf Trade</h1><p>{{ quote.number }}</p>"
                    "{% for l in lines %}<p>{{ l.title }}: {{ l.net }}</p>{% endfor %}"
                    "<p>Total {{ totals.gross }}</p>",
                    "documentCss": "h1 { color: #b45309; }",
                }
            },
            admin,
        ),
        "quoteTemplateUpdate",
    )
    acme = await company_id(client, buyer)
    created = ok(
        await gql(
            client,
            CREATE,
            {
                "i": {
                    "companyId": acme,
                    "channel": "trade",
                    "lines": [{"title": "Trade banner", "quantity": 1, "net": 25000}],
                }
            },
            admin,
        ),
        "quoteCreate",
    )["quote"]
    sent = ok(await gql(client, SEND, {"id": created["id"]}, admin), "quoteSend")["quote"]
    await app.state.jobs.run_until_idle()
    [mail] = [m for m in smtp.inbox.messages if "Ironleaf offer" in m["Subject"]]
    assert sent["gross"]["formatted"] in mail.get_body(("plain",)).get_content()
    [attachment] = list(mail.iter_attachments())
    document = pdf_text(attachment.get_content())
    assert "Ironleaf Trade" in document and f"Total {sent['gross']['formatted']}" in document
    # Portal users cannot change templates.
    refused = await gql(
        client,
        TEMPLATE,
        {"i": {"mailSubject": "x", "mailBody": "x", "documentHtml": "x"}},
        buyer,
        expect_errors=True,
    )
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_accepting_over_the_credit_limit_makes_a_proposal_for_the_shop(  # type: ignore[no-untyped-def]
    client, as_user
) -> None:
    from tests.api.test_payments_account import CREDIT

    boss, admin = await as_user("boss.acme"), await as_user("admin@shop.example")
    acme = await company_id(client, boss)
    limited = await gql(client, CREDIT, {"c": acme, "l": 100}, token=admin)
    assert limited["data"]["companyCreditLimitSet"]["errors"] == []
    quote = await _sent_quote(client, admin, acme)
    order = ok(await gql(client, ACCEPT, {"id": quote["id"]}, boss), "quoteAccept")["order"]
    # A binding acceptance, but on account beyond the limit: the shop decides, no jobs yet.
    assert order["status"] == "PENDING_APPROVAL" and order["jobs"] == []
