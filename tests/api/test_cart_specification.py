"""A cart line says what it would order, labelled as on the order line, so a storefront can
describe it without knowing the product's parameters."""

from __future__ import annotations

from tests.factories import gql

PRODUCTS = '{ products(search: "leaflet") { edges { node { id } } } }'
CONFIG = """mutation($i: ConfigurationCreateInput!) { configurationCreate(input: $i) {
  configuration { id } } }"""
ADD = """mutation($i: CartLineAddInput!) { cartLineAdd(input: $i) {
  cartLine { id specification } errors { code } } }"""
PLACE = """mutation { orderPlace(input: {idempotencyKey: "spec-1"}) {
  order { lines { specification } } errors { code } } }"""


async def test_cart_line_specification_is_the_order_lines(client, as_user) -> None:  # type: ignore[no-untyped-def]
    boss = await as_user("boss.acme")
    pid = (await gql(client, PRODUCTS))["data"]["products"]["edges"][0]["node"]["id"]
    cfg = await gql(
        client,
        CONFIG,
        {"i": {"productId": pid, "values": {"size": "a4"}, "quantity": 250}},
        token=boss,
    )
    config_id = cfg["data"]["configurationCreate"]["configuration"]["id"]
    added = (
        await gql(client, ADD, {"i": {"configurationId": config_id, "quantity": 250}}, token=boss)
    )["data"]["cartLineAdd"]
    assert added["errors"] == []
    spec = added["cartLine"]["specification"]
    size = next(p for p in spec["parameters"] if p["key"] == "size")
    assert size["display"].startswith("A4")
    # Defaults are spelled out too, not only what the buyer chose.
    assert {p["key"] for p in spec["parameters"]} >= {"size", "paper", "colour"}
    cart = (await gql(client, "{ cart { specification } }", token=boss))["data"]["cart"]
    assert cart[0]["specification"] == spec
    placed = (await gql(client, PLACE, token=boss))["data"]["orderPlace"]
    assert placed["order"]["lines"][0]["specification"] == spec
