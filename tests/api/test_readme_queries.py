"""The README's example queries work as written."""

from __future__ import annotations

import re
from pathlib import Path

from tests.factories import gql

README = Path(__file__).resolve().parents[2] / "README.md"


def _blocks() -> list[str]:
    return re.findall(r"```graphql\n(.*?)```", README.read_text(), flags=re.S)


async def test_readme_examples_run(client, demo, as_user) -> None:  # type: ignore[no-untyped-def]
    login, me, companies = _blocks()[:3]
    body = await gql(client, login)
    payload = body["data"]["tokenCreate"]
    assert payload["errors"] == []
    assert payload["me"]["login"] == "boss.acme"
    token = payload["accessToken"]

    me_data = (await gql(client, me, token=token))["data"]["me"]
    assert me_data["company"]["code"] == "acme"
    assert {u["login"] for u in me_data["company"]["users"]} == {"acme", "boss.acme", "buyer.acme"}

    staff = await as_user("admin@shop.example")
    page = (await gql(client, companies, token=staff))["data"]["companies"]
    assert page["totalCount"] == 3
    assert [e["node"]["code"] for e in page["edges"]] == ["acme", "globex", "jdoe"]
    portal = (await gql(client, companies, token=token))["data"]["companies"]
    assert [e["node"]["code"] for e in portal["edges"]] == ["acme"]


async def test_readme_pricing_examples_run(client, demo) -> None:  # type: ignore[no-untyped-def]
    blocks = _blocks()
    products = next(b for b in blocks if "fromPrice" in b)
    quote = next(b for b in blocks if "query Quote" in b)
    edges = (await gql(client, products))["data"]["products"]["edges"]
    leaflet = next(e["node"] for e in edges if e["node"]["code"] == "leaflet")
    assert leaflet["fromPrice"]["gross"]["formatted"].startswith("EUR ")
    answer = (await gql(client, quote, {"productId": leaflet["id"]}))["data"]["priceQuote"]
    assert answer["price"]["valid"] is True and answer["price"]["messages"] == []
    assert [row["quantity"] for row in answer["table"]] == [250, 1000, 2500]
    assert answer["priceToken"]


async def test_readme_quote_walkthrough_runs(client, demo, as_user) -> None:  # type: ignore[no-untyped-def]
    blocks = _blocks()
    request = next(b for b in blocks if "mutation QuoteRequest" in b)
    send = next(b for b in blocks if "mutation QuoteSend" in b)
    accept = next(b for b in blocks if "mutation QuoteAccept" in b)
    products = await gql(client, '{ products(channel: "main") { nodes { id code } } }')
    leaflet = next(p for p in products["data"]["products"]["nodes"] if p["code"] == "leaflet")
    buyer = await as_user("buyer.acme")
    asked = (await gql(client, request, {"productId": leaflet["id"]}, buyer))["data"]
    assert asked["quoteCreate"]["errors"] == []
    quote = asked["quoteCreate"]["quote"]
    assert quote["status"] == "REQUESTED" and quote["lines"][0]["priceLines"]
    admin = await as_user("admin@shop.example")
    sent = (await gql(client, send, {"id": quote["id"]}, admin))["data"]["quoteSend"]
    assert sent["errors"] == [] and sent["quote"]["pdfUrl"]
    boss = await as_user("boss.acme")
    done = (await gql(client, accept, {"id": quote["id"]}, boss))["data"]["quoteAccept"]
    assert done["errors"] == [] and done["order"]["status"] == "RELEASED"
    assert done["quote"]["order"]["number"] == done["order"]["number"]
