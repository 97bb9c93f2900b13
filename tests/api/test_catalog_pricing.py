"""Catalog and price queries over HTTP: the same price whichever entry point asks."""

from __future__ import annotations

from tests.factories import gql

PRODUCTS = """
query($channel: String, $search: String, $first: Int) {
  products(channel: $channel, search: $search, first: $first) {
    totalCount
    edges { node {
      id code kind name
      currentVersion { version parameters { key label kind options { key label } unit default } }
      fromPrice(quantity: 500) { valid net { amount currency formatted } gross { amount } }
    } }
  }
}"""

QUOTE = """
query($input: PriceQuoteInput!) {
  priceQuote(input: $input) {
    product { code }
    productVersion { version }
    price { valid quantity net { amount } vat { amount } gross { amount } unitNet { amount }
            lines { code label amount { amount } detail } messages { code field message } }
    table { quantity net { amount } unitNet { amount } }
    priceToken expiresAt
  }
}"""


async def _product_id(client, code: str, token: str | None = None) -> str:  # type: ignore[no-untyped-def]
    body = await gql(client, PRODUCTS, {"search": code}, token=token)
    nodes = [e["node"] for e in body["data"]["products"]["edges"] if e["node"]["code"] == code]
    return str(nodes[0]["id"])


async def test_catalog_lists_products_with_parameters_and_prices(client, demo) -> None:  # type: ignore[no-untyped-def]
    body = await gql(client, PRODUCTS, {"channel": "main", "first": 20})
    page = body["data"]["products"]
    codes = [e["node"]["code"] for e in page["edges"]]
    assert {"leaflet", "business-cards", "folded-brochure", "laser-part"} <= set(codes)
    leaflet = next(e["node"] for e in page["edges"] if e["node"]["code"] == "leaflet")
    keys = [p["key"] for p in leaflet["currentVersion"]["parameters"]]
    assert "size" in keys and "paper" in keys
    assert leaflet["fromPrice"]["valid"] is True
    assert leaflet["fromPrice"]["net"]["currency"] == "EUR"
    assert leaflet["fromPrice"]["net"]["amount"] > 0
    assert leaflet["fromPrice"]["gross"]["amount"] > leaflet["fromPrice"]["net"]["amount"]
    # A channel that does not exist lists nothing rather than failing.
    empty = await gql(client, PRODUCTS, {"channel": "nope"})
    assert empty["data"]["products"]["totalCount"] == 0


async def test_price_quote_lines_totals_table_and_token(client, demo) -> None:  # type: ignore[no-untyped-def]
    pid = await _product_id(client, "leaflet")
    variables = {
        "input": {
            "productId": pid,
            "configuration": {"size": "a5", "paper": "135", "finish": "gloss"},
            "quantity": 500,
            "quantities": [100, 1000, 5000],
        }
    }
    q = (await gql(client, QUOTE, variables))["data"]["priceQuote"]
    price = q["price"]
    assert price["valid"] is True and price["messages"] == []
    assert sum(line["amount"]["amount"] for line in price["lines"]) == price["net"]["amount"]
    assert price["net"]["amount"] + price["vat"]["amount"] == price["gross"]["amount"]
    assert [row["quantity"] for row in q["table"]] == [100, 1000, 5000]
    units = [row["unitNet"]["amount"] for row in q["table"]]
    assert units == sorted(units, reverse=True)
    assert q["priceToken"].startswith("pt1.")
    assert q["productVersion"]["version"] == 1


async def test_invalid_configuration_gives_messages_not_a_price(client, demo) -> None:  # type: ignore[no-untyped-def]
    pid = await _product_id(client, "leaflet")
    variables = {
        "input": {"productId": pid, "configuration": {"size": "a0", "colour": 3}, "quantity": 0}
    }
    q = (await gql(client, QUOTE, variables))["data"]["priceQuote"]
    assert q["price"]["valid"] is False
    assert q["price"]["net"] is None and q["priceToken"] is None
    fields = {tuple(m["field"] or ()) for m in q["price"]["messages"]}
    assert ("configuration", "size") in fields
    assert ("quantity",) in fields


async def test_company_markup_applies_and_prices_agree_across_entry_points(client, as_user) -> None:  # type: ignore[no-untyped-def]
    pid = await _product_id(client, "leaflet")
    config = {"size": "a4", "paper": "170", "finish": "matt"}
    variables = {"input": {"productId": pid, "configuration": config, "quantity": 1000}}
    anonymous = (await gql(client, QUOTE, variables))["data"]["priceQuote"]["price"]
    globex_token = await as_user("globex")  # 10 % markup in the demo data
    globex = (await gql(client, QUOTE, variables, token=globex_token))["data"]["priceQuote"][
        "price"
    ]
    assert globex["net"]["amount"] > anonymous["net"]["amount"]
    assert any(
        line["code"] == "markup" or "markup" in line["label"].lower() for line in globex["lines"]
    )
    # The staff estimator pricing for globex gets globex's price.
    staff = await as_user("admin@shop.example")
    body = await gql(
        client,
        """query($c: String!) { companies(search: $c) { edges { node { id } } } }""",
        {"c": "globex"},
        token=staff,
    )
    globex_id = body["data"]["companies"]["edges"][0]["node"]["id"]
    variables["input"]["companyId"] = globex_id
    estimator = (await gql(client, QUOTE, variables, token=staff))["data"]["priceQuote"]["price"]
    assert estimator["net"] == globex["net"] and estimator["lines"] == globex["lines"]
    # Configuration drafts are priced by the same engine.
    create = await gql(
        client,
        """mutation($i: ConfigurationCreateInput!) { configurationCreate(input: $i) {
             configuration { id values quantity } price { net { amount } } errors { code message } } }""",
        {"i": {"productId": pid, "values": config, "quantity": 1000}},
        token=globex_token,
    )
    payload = create["data"]["configurationCreate"]
    assert payload["errors"] == []
    assert payload["price"]["net"] == globex["net"]


async def test_every_demo_product_is_priced_after_a_database_round_trip(client, demo) -> None:  # type: ignore[no-untyped-def]
    from domain.pricing.demo_products import DEMO_PRODUCTS

    for code, data in DEMO_PRODUCTS.items():
        pid = await _product_id(client, code)
        variables = {"input": {"productId": pid, "configuration": data["example"], "quantity": 500}}
        q = (await gql(client, QUOTE, variables))["data"]["priceQuote"]
        assert q is not None and q["price"]["valid"] is True, (code, q)
        assert q["price"]["messages"] == []


async def test_price_quote_on_a_laser_part_points_to_part_quote(client, demo) -> None:  # type: ignore[no-untyped-def]
    pid = await _product_id(client, "laser-part")
    body = await gql(
        client, QUOTE, {"input": {"productId": pid, "configuration": {}}}, expect_errors=True
    )
    assert body["data"] == {"priceQuote": None}
    [error] = body["errors"]
    assert error["extensions"] == {"code": "PRICED_BY_PART_QUOTE", "field": ["productId"]}
    assert "partQuote" in error["message"]
    # An unknown product is still simply null.
    unknown = await gql(
        client, QUOTE, {"input": {"productId": "UHJvZHVjdDo5OTk5", "configuration": {}}}
    )
    assert unknown["data"] == {"priceQuote": None}
