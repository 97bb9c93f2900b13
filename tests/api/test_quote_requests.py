"""A portal user asks for an offer from their cart (chosen lines or all of it) or from a saved
configuration; the lines are priced by the engine and leave the cart. When staff send the
offer to another contact, the requester is told by the `quote_sent` notification."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from server.settings import Settings
from tests.api.notification_support import subjects_to
from tests.factories import gql
from tests.integration.test_mail import SmtpServer

PRODUCTS = '{ products(channel: "main", first: 1) { edges { node { id } } } }'
CONFIG = """mutation($i: ConfigurationCreateInput!) { configurationCreate(input: $i) {
  configuration { id } } }"""
ADD = """mutation($i: CartLineAddInput!) { cartLineAdd(input: $i) {
  cartLine { id quantity } errors { code } } }"""
CART = "{ cart { id quantity } }"
FIELDS = """quote { id number status requestText lines { kind title description quantity
  engineNet { amount } priceLines { code } specification } }
  errors { code field message }"""
FROM_CART = f"""mutation($i: QuoteRequestFromCartInput!) {{ quoteRequestFromCart(input: $i) {{
  {FIELDS} }} }}"""
CREATE = f"""mutation($i: QuoteCreateInput!) {{ quoteCreate(input: $i) {{ {FIELDS} }} }}"""
UPDATE = """mutation($i: QuoteUpdateInput!) { quoteUpdate(input: $i) { errors { code } } }"""
SEND = """mutation($id: ID!) { quoteSend(input: {id: $id}) { quote { number status }
  errors { code message } } }"""
BUYER, BOSS, PURCHASING = "betty@acme.example", "bob@acme.example", "purchasing@acme.example"


@pytest.fixture
def settings(settings: Settings, smtp: SmtpServer) -> Settings:
    settings.smtp_host = smtp.host
    settings.smtp_port = smtp.port
    settings.mail_from = "Print Shop <shop@print.example>"
    return settings


async def _cart_line(
    client: httpx.AsyncClient, token: str, product: str, values: dict[str, Any], quantity: int
) -> str:
    config = await gql(
        client, CONFIG, {"i": {"productId": product, "values": values, "quantity": quantity}}, token
    )
    cid = config["data"]["configurationCreate"]["configuration"]["id"]
    added = await gql(
        client,
        ADD,
        {"i": {"configurationId": cid, "quantity": quantity, "remarks": f"{quantity} please"}},
        token,
    )
    assert added["data"]["cartLineAdd"]["errors"] == []
    return str(added["data"]["cartLineAdd"]["cartLine"]["id"])


def _codes(body: dict[str, Any], name: str) -> list[tuple[str, list[str] | None]]:
    return [(e["code"], e["field"]) for e in body["data"][name]["errors"]]


async def test_quote_request_from_the_cart(client, as_user, app, smtp) -> None:  # type: ignore[no-untyped-def]
    buyer, globex = await as_user("buyer.acme"), await as_user("globex")
    admin = await as_user("admin@shop.example")
    pid = (await gql(client, PRODUCTS))["data"]["products"]["edges"][0]["node"]["id"]
    first = await _cart_line(client, buyer, pid, {"size": "a5"}, 500)
    second = await _cart_line(client, buyer, pid, {"size": "a4"}, 250)
    kept = await _cart_line(client, buyer, pid, {"size": "a6"}, 1000)

    # Another company's viewer cannot take the buyer's cart lines; an empty cart asks nothing.
    foreign = await gql(client, FROM_CART, {"i": {"cartLineIds": [first]}}, globex)
    assert _codes(foreign, "quoteRequestFromCart") == [("NOT_FOUND", ["cartLineIds", "0"])]
    empty = await gql(client, FROM_CART, {"i": {}}, globex)
    assert _codes(empty, "quoteRequestFromCart") == [("NO_LINES", ["cartLineIds"])]
    # Staff have no cart: the portal mutation is refused to them outright.
    refused = await gql(client, FROM_CART, {"i": {}}, admin, expect_errors=True)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"

    # Two chosen lines become a quote request, priced by the engine with the breakdown kept.
    asked = await gql(
        client,
        FROM_CART,
        {"i": {"cartLineIds": [first, second], "requestText": "Gold foil on both?"}},
        buyer,
    )
    payload = asked["data"]["quoteRequestFromCart"]
    assert payload["errors"] == []
    quote = payload["quote"]
    assert quote["status"] == "REQUESTED" and quote["requestText"] == "Gold foil on both?"
    assert [(x["kind"], x["quantity"], x["description"]) for x in quote["lines"]] == [
        ("CONFIGURATION", 500, "500 please"),
        ("CONFIGURATION", 250, "250 please"),
    ]
    assert all(x["engineNet"]["amount"] > 0 and x["priceLines"] for x in quote["lines"])
    sizes = [
        next(p["value"] for p in x["specification"]["parameters"] if p["key"] == "size")
        for x in quote["lines"]
    ]
    assert sizes == ["a5", "a4"]
    # The lines taken left the cart; the rest stays.
    cart = (await gql(client, CART, token=buyer))["data"]["cart"]
    assert [x["id"] for x in cart] == [kept]
    # Asking again for a line already taken: not in the cart any more.
    again = await gql(client, FROM_CART, {"i": {"cartLineIds": [first]}}, buyer)
    assert _codes(again, "quoteRequestFromCart") == [("NOT_FOUND", ["cartLineIds", "0"])]

    # Staff send the offer to the company's purchasing address: the PDF goes there, and the
    # buyer who asked is told by the quote_sent notification.
    updated = await gql(
        client, UPDATE, {"i": {"id": quote["id"], "contactEmail": PURCHASING}}, admin
    )
    assert updated["data"]["quoteUpdate"]["errors"] == []
    sent = (await gql(client, SEND, {"id": quote["id"]}, admin))["data"]["quoteSend"]
    assert sent["errors"] == [] and sent["quote"]["status"] == "SENT"
    await app.state.jobs.run_until_idle()
    assert subjects_to(smtp.inbox.messages, BUYER) == [f"Your quote {quote['number']}"]
    [pdf_mail] = [m for m in smtp.inbox.messages if m["To"] == PURCHASING]
    assert [a.get_content_type() for a in pdf_mail.iter_attachments()] == ["application/pdf"]


async def test_quote_request_from_a_saved_configuration(  # type: ignore[no-untyped-def]
    client, as_user, app, smtp
) -> None:
    boss, globex = await as_user("boss.acme"), await as_user("globex")
    admin = await as_user("admin@shop.example")
    pid = (await gql(client, PRODUCTS))["data"]["products"]["edges"][0]["node"]["id"]
    config = await gql(
        client, CONFIG, {"i": {"productId": pid, "values": {"size": "a4"}, "quantity": 300}}, boss
    )
    cid = config["data"]["configurationCreate"]["configuration"]["id"]
    line = {"configurationId": cid, "quantity": 300}
    # Another company cannot ask about acme's draft: it answers like a missing one.
    foreign = await gql(client, CREATE, {"i": {"lines": [line]}}, globex)
    assert _codes(foreign, "quoteCreate") == [("NOT_FOUND", ["lines", "0", "configurationId"])]
    both = await gql(client, CREATE, {"i": {"lines": [{**line, "productId": pid}]}}, boss)
    assert _codes(both, "quoteCreate")[0][0] == "INVALID"
    created = (await gql(client, CREATE, {"i": {"lines": [line]}}, boss))["data"]["quoteCreate"]
    assert created["errors"] == []
    [quoted] = created["quote"]["lines"]
    assert quoted["kind"] == "CONFIGURATION" and quoted["engineNet"]["amount"] > 0
    size = next(p for p in quoted["specification"]["parameters"] if p["key"] == "size")
    assert size["value"] == "a4"

    # Sent to the requester themselves: the PDF mail is all they get, no second notice.
    sent = await gql(client, SEND, {"id": created["quote"]["id"]}, admin)
    assert sent["data"]["quoteSend"]["errors"] == []
    await app.state.jobs.run_until_idle()
    assert [m["To"] for m in smtp.inbox.messages] == [BOSS]
    assert "Your quote" not in smtp.inbox.messages[0]["Subject"]
