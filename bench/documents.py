"""The GraphQL documents the benchmarks send (shaped like storefront-example/src/graphql) and
the few API flows they share (a cart line, an order)."""

from __future__ import annotations

import random
import uuid
from typing import Any

import httpx

from bench.stack import gql

MONEY = "fragment MoneyFields on Money { amount currency }"
PRICE = """fragment PriceFields on Price {
  quantity currency valid
  net { ...MoneyFields } vat { ...MoneyFields } gross { ...MoneyFields }
  unitNet { ...MoneyFields } vatRatePercent
  lines { code label detail amount { ...MoneyFields } }
  messages { code field message }
}"""

CATALOG_PAGE = (
    """query CatalogPage($channel: String!, $after: String) {
  products(channel: $channel, first: 20, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      id code kind name
      currentVersion { id parameters { key label kind options { key label } } }
      fromPrice(quantity: 100) { quantity net { ...MoneyFields } unitNet { ...MoneyFields } }
    }
  }
}
"""
    + MONEY
)

PRICE_QUOTE = (
    """query PriceQuote($input: PriceQuoteInput!) {
  priceQuote(input: $input) {
    price { ...PriceFields }
    priceToken expiresAt
  }
}
"""
    + PRICE
    + "\n"
    + MONEY
)

ORDER_DETAIL = (
    """query OrderDetail($id: ID!) {
  node(id: $id) {
    ... on Order {
      id number kind status customerReference createdAt currency
      net { ...MoneyFields } gross { ...MoneyFields }
      orderer { id fullName login }
      lines { position title quantity specification remarks net { ...MoneyFields } }
    }
  }
}
"""
    + MONEY
)

ME = """query Me { me { __typename ... on PortalUser { id login fullName rights } } }"""

PRODUCT_ID = """query($code: String!) { product(code: $code, channel: "main") { id } }"""

CONFIGURATION_CREATE = """mutation($i: ConfigurationCreateInput!) { configurationCreate(input: $i) {
  configuration { id } errors { code message } } }"""

CART_LINE_ADD = """mutation($i: CartLineAddInput!) { cartLineAdd(input: $i) {
  cartLine { id } errors { code message } } }"""

ORDER_PLACE = """mutation OrderPlace($input: OrderPlaceInput!) {
  orderPlace(input: $input) {
    order { id number status }
    errors { code field message }
  }
}"""

LEAFLET_QUANTITIES = (50, 100, 250, 480, 500, 750, 1000, 2500, 5000, 10000)


def body(query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"query": query, "variables": variables or {}}


def leaflet_configuration(rng: random.Random) -> dict[str, Any]:
    """A configuration a storefront's configurator sends (valid: no laminated 90 g/m²)."""
    paper = rng.choice(["90", "135", "170"])
    return {
        "size": rng.choice(["a6", "dl", "a5", "a4"]),
        "pages": rng.choice([1, 2]),
        "paper": paper,
        "colour": rng.choice(["cmyk", "black"]),
        "finish": "none" if paper == "90" else rng.choice(["none", "gloss", "matt"]),
        "rounded_corners": rng.random() < 0.3,
        "proof": rng.random() < 0.1,
    }


def price_quote_bodies(product_id: str, count: int = 500, seed: int = 7) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    return [
        body(
            PRICE_QUOTE,
            {
                "input": {
                    "productId": product_id,
                    "configuration": leaflet_configuration(rng),
                    "quantity": rng.choice(LEAFLET_QUANTITIES),
                    "channel": "main",
                }
            },
        )
        for _ in range(count)
    ]


def product_id(base: str, code: str) -> str:
    return str(gql(base, PRODUCT_ID, {"code": code})["product"]["id"])


def add_cart_line(
    base: str,
    token: str,
    product: str,
    values: dict[str, Any],
    quantity: int,
    *,
    client: httpx.Client | None = None,
) -> str:
    """A draft configuration and a cart line from it; returns the cart line id."""
    cfg = gql(
        base,
        CONFIGURATION_CREATE,
        {"i": {"productId": product, "values": values, "quantity": quantity, "channel": "main"}},
        token,
        client=client,
    )["configurationCreate"]
    if cfg["errors"]:
        raise RuntimeError(f"configurationCreate: {cfg['errors']}")
    added = gql(
        base,
        CART_LINE_ADD,
        {"i": {"configurationId": cfg["configuration"]["id"], "quantity": quantity}},
        token,
        client=client,
    )["cartLineAdd"]
    if added["errors"]:
        raise RuntimeError(f"cartLineAdd: {added['errors']}")
    return str(added["cartLine"]["id"])


def place_order(
    base: str,
    token: str,
    cart_line_ids: list[str] | None = None,
    *,
    client: httpx.Client | None = None,
) -> dict[str, Any]:
    placed = gql(
        base,
        ORDER_PLACE,
        {"input": {"idempotencyKey": f"bench-{uuid.uuid4()}", "cartLineIds": cart_line_ids}},
        token,
        client=client,
    )["orderPlace"]
    if placed["errors"]:
        raise RuntimeError(f"orderPlace: {placed['errors']}")
    return dict(placed["order"])
