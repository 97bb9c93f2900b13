"""The GraphQL documents the benchmarks send (shaped like storefront-example/src/graphql) and
the few API flows they share (a cart line, an order)."""

from __future__ import annotations

import json
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


PART_QUOTE = (
    """query PartQuote($input: PartQuoteInput!) {
  partQuote(input: $input) {
    drawing { widthMm heightMm cutLengthMm pierceCount holeCount weightKg }
    material { code name } thicknessMm
    price { ...PriceFields }
    priceToken expiresAt
  }
}
"""
    + PRICE
    + "\n"
    + MONEY
)

PART_CREATE_FROM_DXF = """mutation($i: PartCreateFromDxfInput!) { partCreateFromDxf(input: $i) {
  part { id } errors { code message } } }"""

# Material and thickness a buyer may switch a saved part to (the demo shop stocks them all).
PART_MATERIALS = (("S235", "2"), ("S235", "3"), ("1.4301", "2"), ("AW5754", "3"))
PART_QUANTITIES = (1, 5, 10, 25, 50, 100, 250)


def create_dxf_part(base: str, token: str, dxf: bytes, name: str = "Bench plate") -> str:
    """Upload a DXF drawing (GraphQL multipart request, with the preflight header a browser
    must send) into the customer's part library; returns the part id."""
    variables = {"i": {"name": name, "material": "S235", "thicknessMm": "2", "quantity": 10,
                       "file": None}}  # fmt: skip
    r = httpx.post(
        f"{base}/graphql",
        data={
            "operations": json.dumps({"query": PART_CREATE_FROM_DXF, "variables": variables}),
            "map": json.dumps({"0": ["variables.i.file"]}),
        },
        files={"0": ("plate.dxf", dxf, "application/octet-stream")},
        headers={"authorization": f"Bearer {token}", "Apollo-Require-Preflight": "true"},
        timeout=60,
    )
    body = r.json()
    payload = (body.get("data") or {}).get("partCreateFromDxf") or {}
    if r.status_code != 200 or body.get("errors") or payload.get("errors"):
        raise RuntimeError(f"partCreateFromDxf failed ({r.status_code}): {body}")
    return str(payload["part"]["id"])


def part_quote_bodies(part_id: str, count: int = 200, seed: int = 5) -> list[dict[str, Any]]:
    """Quotes of a saved DXF part at varying quantities, now and then in another material."""
    rng = random.Random(seed)
    bodies = []
    for _ in range(count):
        request: dict[str, Any] = {"partId": part_id, "quantity": rng.choice(PART_QUANTITIES),
                                   "channel": "main"}  # fmt: skip
        if rng.random() < 0.3:
            material, thickness = rng.choice(PART_MATERIALS)
            request |= {"material": material, "thicknessMm": thickness}
        bodies.append(body(PART_QUOTE, {"input": request}))
    return bodies
