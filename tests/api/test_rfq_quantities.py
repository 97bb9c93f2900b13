"""An RFQ line asks several quantities; partners answer a price per quantity (or offer an
alternative, or decline); staff compare the answers per quantity side by side and choose one
for a quantity: the quote line takes that quantity, the partner's cost and the marked-up
sale price."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from sqlalchemy import text

from server.settings import Settings
from tests.api.test_quotes import ANSWER, DECLINE_RFQ, RFQ, codes, draft_quote, ok, partners
from tests.factories import company_id, gql
from tests.integration.test_mail import SmtpServer

COMPARE = """query($q: ID!) { rfqs(quoteId: $q) { nodes { id lines comparison { title quantity
  offers { net { amount } deliveryDate invitation { id alternative supplier { name } } } } } } }"""
MINE = """{ rfqs { nodes { comparison { quantity offers { net { amount }
  invitation { supplier { name } } } } } } }"""
CHOOSE = """mutation($i: RfqChooseInput!) { rfqChoose(input: $i) { rfq { status }
  errors { code field message } } }"""
LINES = """query($id: ID!) { node(id: $id) { ... on Quote { net { amount } lines { quantity
  cost { amount } net { amount } supplier { name } } } } }"""


def _price(line: str, quantity: int | None, net: int) -> dict[str, Any]:
    return {"quoteLineId": line, "net": net, **({"quantity": quantity} if quantity else {})}


async def test_prices_per_quantity_compared_and_chosen(client, as_user) -> None:  # type: ignore[no-untyped-def]
    admin, buyer = await as_user("admin@shop.example"), await as_user("buyer.acme")
    acme = await company_id(client, buyer)
    quote = await draft_quote(client, admin, acme, "Foil stamping", 500)
    line = quote["lines"][0]["id"]
    (p1, n1, k1), (p2, n2, k2), (p3, _, k3) = await partners(client, admin, "Q ")
    deadline = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).isoformat()
    rfq_input = {
        "quoteId": quote["id"],
        "quoteLineIds": [line],
        "supplierIds": [p1, p2, p3],
        "deadline": deadline,
        "quantities": [{"quoteLineId": line, "quantities": [1000, 500, 2500]}],
    }
    rfq = ok(await gql(client, RFQ, {"i": rfq_input}, admin), "rfqCreate")["rfq"]

    # A quantity not asked is refused; each answer prices the quantities it offers.
    wrong = await gql(
        client, ANSWER, {"i": {"rfqId": rfq["id"], "prices": [_price(line, 750, 1)]}}, k1
    )
    assert codes(wrong, "rfqAnswer") == ["INVALID_QUANTITY"]
    answer1 = {
        "rfqId": rfq["id"],
        "deliveryDate": "2031-02-01",
        "prices": [_price(line, 500, 40000), _price(line, 1000, 70000)],
    }
    ok(await gql(client, ANSWER, {"i": answer1}, k1), "rfqAnswer")
    answer2 = {
        "rfqId": rfq["id"],
        "deliveryDate": "2031-01-15",
        "alternative": "Cold foil instead: 10 % less",
        "prices": [_price(line, None, 32000), _price(line, 2500, 150000)],
    }
    ok(await gql(client, ANSWER, {"i": answer2}, k2), "rfqAnswer")
    ok(
        await gql(client, DECLINE_RFQ, {"i": {"rfqId": rfq["id"], "reason": "Full"}}, k3),
        "rfqDecline",
    )

    # Staff compare per quantity, cheapest first; a partner sees its own prices only.
    [found] = (await gql(client, COMPARE, {"q": quote["id"]}, admin))["data"]["rfqs"]["nodes"]
    assert found["lines"][0]["quantities"] == [500, 1000, 2500]
    table = {
        row["quantity"]: [
            (o["invitation"]["supplier"]["name"], o["net"]["amount"]) for o in row["offers"]
        ]
        for row in found["comparison"]
    }
    assert table == {
        500: [(n2, 32000), (n1, 40000)],
        1000: [(n1, 70000)],
        2500: [(n2, 150000)],
    }
    assert found["comparison"][0]["offers"][0]["invitation"]["alternative"].startswith("Cold")
    [own] = (await gql(client, MINE, token=k1))["data"]["rfqs"]["nodes"]
    assert [
        (r["quantity"], [o["net"]["amount"] for o in r["offers"]]) for r in own["comparison"]
    ] == [
        (500, [40000]),
        (1000, [70000]),
        (2500, []),
    ]
    assert own["comparison"][0]["offers"][0]["invitation"]["supplier"] is None

    ids = {
        o["invitation"]["supplier"]["name"]: o["invitation"]["id"]
        for o in found["comparison"][0]["offers"]
    }
    # A quantity the answer has no price for cannot be chosen.
    missing = await gql(
        client,
        CHOOSE,
        {"i": {"invitationId": ids[n2], "quantities": [{"quoteLineId": line, "quantity": 1000}]}},
        admin,
    )
    assert codes(missing, "rfqChoose") == ["NOT_ANSWERED"]
    # Two quantities priced, neither picked, the line's own among them: the line's own.
    # Here staff take 1,000 pieces from the first partner instead.
    ok(
        await gql(
            client,
            CHOOSE,
            {
                "i": {
                    "invitationId": ids[n1],
                    "quantities": [{"quoteLineId": line, "quantity": 1000}],
                }
            },
            admin,
        ),
        "rfqChoose",
    )
    after = (await gql(client, LINES, {"id": quote["id"]}, admin))["data"]["node"]
    assert after["lines"] == [
        {
            "quantity": 1000,
            "cost": {"amount": 70000},
            "net": {"amount": 87500},  # the shop's markup of 25 %
            "supplier": {"name": n1},
        }
    ]
    assert after["net"]["amount"] == 87500


BY_TOKEN = """query($t: String!) { rfqByToken(token: $t) { rfq { id number lines deadline
  invitations { id } } invitation { status prices { quantity net { amount } } } } }"""


@pytest.fixture
def settings(settings: Settings, smtp: SmtpServer) -> Settings:
    settings.smtp_host = smtp.host
    settings.smtp_port = smtp.port
    settings.mail_from = "Print Shop <shop@print.example>"
    return settings


async def test_partners_answer_through_the_mailed_link(  # type: ignore[no-untyped-def]
    client, as_user, app, smtp, engine
) -> None:
    admin, buyer = await as_user("admin@shop.example"), await as_user("buyer.acme")
    acme = await company_id(client, buyer)
    quote = await draft_quote(client, admin, acme, "Embossing die", 1)
    line = quote["lines"][0]["id"]
    (p1, _, _), (p2, _, _), _ = await partners(client, admin, "T ")
    deadline = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).isoformat()
    rfqs = []
    for supplier in (p1, p2):
        created = await gql(
            client,
            RFQ,
            {
                "i": {
                    "quoteId": quote["id"],
                    "quoteLineIds": [line],
                    "supplierIds": [supplier],
                    "deadline": deadline,
                }
            },
            admin,
        )
        rfqs.append(ok(created, "rfqCreate")["rfq"])
    await app.state.jobs.run_until_idle()
    # Each partner got its own link, to the API's GraphQL endpoint with its token.
    tokens = {}
    for m in smtp.inbox.messages:
        if m["Subject"].startswith("Request for quotation"):
            body = m.get_body(("plain",)).get_content()
            [link] = re.findall(r"(http\S+/graphql)\?token=(rfq_[\w-]+)", body)
            tokens[m["To"]] = link[1]
    first, second = tokens["rfq@tfoilmasters.example"], tokens["rfq@tshineco.example"]
    assert first != second

    # Without a login, the token opens that one RFQ and the partner's own answer only.
    opened = (await gql(client, BY_TOKEN, {"t": first}))["data"]["rfqByToken"]
    assert opened["rfq"]["number"] == rfqs[0]["number"]
    assert opened["rfq"]["invitations"] == [] and opened["invitation"]["status"] == "INVITED"
    assert (await gql(client, BY_TOKEN, {"t": first + "x"}))["data"]["rfqByToken"] is None
    # Answering needs the partner's login, key or token; a token opens its own RFQ only.
    price = [{"quoteLineId": line, "net": 9000}]
    anonymous = await gql(client, ANSWER, {"i": {"rfqId": rfqs[0]["id"], "prices": price}})
    assert codes(anonymous, "rfqAnswer") == ["PERMISSION_DENIED"]
    crossed = await gql(
        client, ANSWER, {"i": {"rfqId": rfqs[0]["id"], "prices": price, "token": second}}
    )
    assert codes(crossed, "rfqAnswer") == ["NOT_FOUND"]
    answered = await gql(
        client, ANSWER, {"i": {"rfqId": rfqs[0]["id"], "prices": price, "token": first}}
    )
    assert ok(answered, "rfqAnswer")["invitation"]["status"] == "ANSWERED"
    history = (
        await gql(
            client,
            "query($id: ID!) { node(id: $id) { ... on Quote { history { action actor } } } }",
            {"id": quote["id"]},
            admin,
        )
    )["data"]["node"]["history"]
    assert {"action": "rfq answer", "actor": "SUPPLIER"} in history
    # After the deadline the link answers with a typed refusal.
    async with engine.begin() as conn:
        await conn.execute(text("UPDATE rfq SET deadline = now() - interval '1 minute'"))
    late = await gql(
        client, DECLINE_RFQ, {"i": {"rfqId": rfqs[1]["id"], "reason": "x", "token": second}}
    )
    assert codes(late, "rfqDecline") == ["DEADLINE_PASSED"]
