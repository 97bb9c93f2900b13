"""Checkout honours a saved part's price token, and refuses one the part has outgrown."""

from __future__ import annotations

import uuid

from tests.api.laser_support import create_dxf_part, plate_with_holes
from tests.factories import gql

ADD = """mutation($i: CartLineAddInput!) { cartLineAdd(input: $i) { cartLine { id } errors { code } } }"""
PRICE = """query($id: ID!, $q: Int!) { node(id: $id) { ... on Part { price(quantity: $q) { priceToken price { net { amount } } } } } }"""
PLACE = """mutation($i: OrderPlaceInput!) { orderPlace(input: $i) { order { net { amount } } errors { code field } } }"""
UPDATE = """mutation($i: PartUpdateInput!) { partUpdate(input: $i) { errors { code } } }"""


async def test_part_tokens_are_honoured_until_the_part_changes(client, as_user) -> None:  # type: ignore[no-untyped-def]
    boss = await as_user("boss.acme")
    part = (
        await create_dxf_part(
            client, boss, plate_with_holes(120, 80, 10, 2), name="Plate", thickness="3"
        )
    )["part"]
    line = (
        await gql(
            client,
            ADD,
            {"i": {"partId": part["id"], "quantity": 20, "channel": "main"}},
            token=boss,
        )
    )["data"]["cartLineAdd"]["cartLine"]
    quoted = (await gql(client, PRICE, {"id": part["id"], "q": 20}, token=boss))["data"]["node"][
        "price"
    ]
    token = quoted["priceToken"]
    assert token

    # The part moves to another thickness: the old token names an outdated part.
    await gql(client, UPDATE, {"i": {"id": part["id"], "thicknessMm": "2"}}, token=boss)
    body = (
        await gql(
            client,
            PLACE,
            {
                "i": {
                    "idempotencyKey": str(uuid.uuid4()),
                    "priceTokens": [{"cartLineId": line["id"], "priceToken": token}],
                    "acceptPriceChanges": True,
                }
            },
            token=boss,
        )
    )["data"]["orderPlace"]
    assert body["errors"] == [
        {"code": "OUTDATED_PRODUCT_VERSION", "field": ["lines", "0", "priceToken"]}
    ]

    # A fresh token for the part as it is now is honoured to the cent.
    fresh = (await gql(client, PRICE, {"id": part["id"], "q": 20}, token=boss))["data"]["node"][
        "price"
    ]
    body = (
        await gql(
            client,
            PLACE,
            {
                "i": {
                    "idempotencyKey": str(uuid.uuid4()),
                    "priceTokens": [{"cartLineId": line["id"], "priceToken": fresh["priceToken"]}],
                    "acceptPriceChanges": True,
                }
            },
            token=boss,
        )
    )["data"]["orderPlace"]
    assert body["errors"] == []
    assert body["order"]["net"] == fresh["price"]["net"]
