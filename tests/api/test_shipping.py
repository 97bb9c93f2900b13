"""Shipping at checkout (#14 items 5 and 6): methods managed by staff with rates by weight,
zone and free threshold, the options of a cart with cost and promised dates, the shipping line
with VAT on the order, and the promised dates stored on the order and on its jobs, across a
weekend and holidays."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from typing import Any

import pytest

from domain.fulfilment import promises
from server.settings import Settings
from tests.factories import gql

HOLIDAYS = "2026-12-24,2026-12-25,2026-12-31,2027-01-01"

METHOD_CREATE = """mutation($c: String!, $i: ShippingMethodInput!) {
  shippingMethodCreate(channel: $c, input: $i) {
    shippingMethod { id code kind transitDays freeAboveNet { amount } rates { zone countries upToWeightG net { amount } } }
    errors { code field message } } }"""
METHOD_UPDATE = """mutation($id: ID!, $i: ShippingMethodInput!) {
  shippingMethodUpdate(id: $id, input: $i) { shippingMethod { id } errors { code field } } }"""
OPTIONS = """query($country: String, $at: DateTime) { shippingOptions(country: $country, orderedAt: $at) {
  method { id code name } weightG net { amount } vat { amount } gross { amount } free dispatchDate deliveryDate } }"""
PRODUCTS = '{ products(search: "leaflet") { edges { node { id } } } }'
CONFIG = """mutation($i: ConfigurationCreateInput!) { configurationCreate(input: $i) {
  configuration { id } errors { code } } }"""
ADD = """mutation($i: CartLineAddInput!) { cartLineAdd(input: $i) { cartLine { id price { net { amount } } } errors { code } } }"""
PLACE = """mutation($i: OrderPlaceInput!) { orderPlace(input: $i) {
  order { id number status net { amount } vat { amount } promisedDispatchDate promisedDeliveryDate
    lines { position kind title quantity net { amount } vatRatePercent specification job { id dueDate } } }
  errors { code field message } } }"""
QUOTE = """query($id: ID!) { priceQuote(input: {productId: $id, channel: "main",
  quantity: 500, configuration: {size: "a5", paper: "135"}}) {
  shippingOptions(country: "DE") { method { code } weightG net { amount } deliveryDate } } }"""

DHL = {
    "code": "dhl",
    "name": "DHL Paket",
    "kind": "CARRIER",
    "transitDays": 2,
    "rates": [
        {"zone": "Germany", "countries": ["DE"], "upToWeightG": 1000, "net": 490},
        {"zone": "Germany", "countries": ["DE"], "upToWeightG": 5000, "net": 690},
        {"zone": "EU", "countries": ["AT", "FR"], "upToWeightG": 5000, "net": 1290},
    ],
}
PICKUP = {
    "code": "pickup",
    "name": "Pickup at the shop",
    "kind": "PICKUP",
    "position": 1,
    "rates": [{"zone": "anywhere", "net": 0}],
}


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings.from_env(
        {
            "DATABASE_URL": database_url,
            "PRESSROOM_DATA_DIR": str(tmp_path),
            "PRESSROOM_JWT_SECRET": "test-secret-" + "x" * 40,
            "PRESSROOM_EMBEDDED_WORKER": "false",
            "PRESSROOM_RATE_LIMITS": "off",
            "PRESSROOM_HOLIDAYS": HOLIDAYS,
        }
    )


async def add_methods(client: Any, admin: str) -> dict[str, str]:
    ids = {}
    for method in (DHL, PICKUP):
        body = await gql(client, METHOD_CREATE, {"c": "main", "i": method}, token=admin)
        payload = body["data"]["shippingMethodCreate"]
        assert payload["errors"] == [], payload
        ids[method["code"]] = payload["shippingMethod"]["id"]
    return ids


async def cart_with_leaflets(client: Any, token: str, quantity: int = 500) -> int:
    """A5 leaflets on 135 g/m²: 135 g/m² x 0.148 m x 0.210 m x 500 = 2,098 g."""
    pid = (await gql(client, PRODUCTS))["data"]["products"]["edges"][0]["node"]["id"]
    cfg = await gql(
        client,
        CONFIG,
        {"i": {"productId": pid, "values": {"size": "a5", "paper": "135"}, "quantity": quantity}},
        token=token,
    )
    config_id = cfg["data"]["configurationCreate"]["configuration"]["id"]
    added = await gql(
        client, ADD, {"i": {"configurationId": config_id, "quantity": quantity}}, token=token
    )
    assert added["data"]["cartLineAdd"]["errors"] == []
    return int(added["data"]["cartLineAdd"]["cartLine"]["price"]["net"]["amount"])


async def options(client: Any, token: str, country: str, at: str | None = None) -> dict[str, Any]:
    body = await gql(client, OPTIONS, {"country": country, "at": at}, token=token)
    return {o["method"]["code"]: o for o in body["data"]["shippingOptions"]}


async def test_staff_manage_methods_and_their_rates_are_checked(client, as_user) -> None:  # type: ignore[no-untyped-def]
    admin = await as_user("admin@shop.example")
    boss = await as_user("boss.acme")
    created = await gql(client, METHOD_CREATE, {"c": "main", "i": DHL}, token=admin)
    method = created["data"]["shippingMethodCreate"]["shippingMethod"]
    assert method["kind"] == "CARRIER" and method["transitDays"] == 2
    assert [r["net"]["amount"] for r in method["rates"]] == [490, 690, 1290]
    # The same code twice, a bad country, a negative price, an unknown carrier: typed errors.
    bad = {
        **DHL,
        "carrier": "pigeon",
        "rates": [{"zone": "X", "countries": ["Germany"], "net": -1}],
    }
    errors = (await gql(client, METHOD_CREATE, {"c": "main", "i": bad}, token=admin))["data"][
        "shippingMethodCreate"
    ]["errors"]
    assert {(e["code"], tuple(e["field"])) for e in errors} == {
        ("UNKNOWN_CARRIER", ("carrier",)),
        ("INVALID", ("rates", "0", "countries")),
        ("INVALID", ("rates", "0", "net")),
    }
    dup = await gql(client, METHOD_CREATE, {"c": "main", "i": DHL}, token=admin)
    assert dup["data"]["shippingMethodCreate"]["errors"][0]["code"] == "DUPLICATE"
    # Customers may not manage methods.
    denied = await gql(
        client, METHOD_CREATE, {"c": "main", "i": PICKUP}, token=boss, expect_errors=True
    )
    assert denied["data"] is None and denied["errors"]


async def test_shipping_rates_at_checkout_by_weight_zone_and_free_threshold(
    client, as_user
) -> None:  # type: ignore[no-untyped-def]
    admin = await as_user("admin@shop.example")
    boss = await as_user("boss.acme")
    ids = await add_methods(client, admin)
    goods_net = await cart_with_leaflets(client, boss)

    germany = await options(client, boss, "DE")
    assert set(germany) == {"dhl", "pickup"}
    # 2,098 g: over the 1 kg bracket, in the 5 kg one.
    assert (germany["dhl"]["weightG"], germany["dhl"]["net"]["amount"]) == (2098, 690)
    assert germany["dhl"]["vat"]["amount"] == 131  # 19 % of 6.90, half up
    assert germany["pickup"]["net"]["amount"] == 0
    assert (await options(client, boss, "AT"))["dhl"]["net"]["amount"] == 1290
    # DHL does not serve the US: only pickup is offered there.
    assert set(await options(client, boss, "US")) == {"pickup"}

    # A price quote of the same configuration shows the same options.
    pid = (await gql(client, PRODUCTS))["data"]["products"]["edges"][0]["node"]["id"]
    quoted = await gql(client, QUOTE, {"id": pid}, token=boss)
    by_code = {o["method"]["code"]: o for o in quoted["data"]["priceQuote"]["shippingOptions"]}
    assert (by_code["dhl"]["net"]["amount"], by_code["dhl"]["weightG"]) == (690, 2098)
    assert by_code["dhl"]["deliveryDate"] == germany["dhl"]["deliveryDate"]

    # Checkout with DHL: a shipping line with VAT joins the goods.
    placed = (
        await gql(
            client,
            PLACE,
            {"i": {"idempotencyKey": str(uuid.uuid4()), "shippingMethodId": ids["dhl"]}},
            token=boss,
        )
    )["data"]["orderPlace"]
    assert placed["errors"] == [], placed
    goods, shipping = placed["order"]["lines"]
    assert (shipping["kind"], shipping["title"]) == ("shipping", "Shipping: DHL Paket")
    assert shipping["net"]["amount"] == 690 and shipping["vatRatePercent"] == "19.00"
    assert shipping["job"] is None  # no work for production
    assert goods["job"] is not None
    assert placed["order"]["net"]["amount"] == goods_net + 690
    assert shipping["specification"]["shipping"]["weightG"] == 2098

    # Free above a threshold the goods reach: the same cart ships free.
    await gql(
        client,
        METHOD_UPDATE,
        {"id": ids["dhl"], "i": {**DHL, "freeAboveNet": goods_net}},
        token=admin,
    )
    await cart_with_leaflets(client, boss)
    free = (await options(client, boss, "DE"))["dhl"]
    assert (free["net"]["amount"], free["free"]) == (0, True)

    # A method that does not deliver there is refused at checkout, naming the field.
    refused = (
        await gql(
            client,
            PLACE,
            {
                "i": {
                    "idempotencyKey": str(uuid.uuid4()),
                    "shippingMethodId": ids["dhl"],
                    "deliveryAddress": {
                        "name": "Far away",
                        "street": "1 Main St",
                        "postalCode": "10001",
                        "city": "New York",
                        "country": "US",
                    },
                }
            },
            token=boss,
        )
    )["data"]["orderPlace"]
    assert [(e["code"], e["field"]) for e in refused["errors"]] == [
        ("SHIPPING_UNAVAILABLE", ["shippingMethodId"])
    ]
    # So is a method of another channel than the cart's.
    other = await gql(client, METHOD_CREATE, {"c": "trade", "i": PICKUP}, token=admin)
    elsewhere = other["data"]["shippingMethodCreate"]["shippingMethod"]["id"]
    wrong_channel = (
        await gql(
            client,
            PLACE,
            {"i": {"idempotencyKey": str(uuid.uuid4()), "shippingMethodId": elsewhere}},
            token=boss,
        )
    )["data"]["orderPlace"]
    assert [e["code"] for e in wrong_channel["errors"]] == ["SHIPPING_UNAVAILABLE"]


async def test_promised_dates_at_checkout_across_a_weekend_and_holidays(  # type: ignore[no-untyped-def]
    client, as_user, monkeypatch
) -> None:
    admin = await as_user("admin@shop.example")
    boss = await as_user("boss.acme")
    ids = await add_methods(client, admin)
    await cart_with_leaflets(client, boss)
    # Tuesday 22 December 2026, 10:00 in Berlin: before the 14:00 cut-off.
    now = dt.datetime(2026, 12, 22, 9, 0, tzinfo=dt.UTC)
    monkeypatch.setattr(promises, "utcnow", lambda: now)

    offered = await options(client, boss, "DE", now.isoformat())
    # Standard (5 working days): Wed 23, (24, 25 holidays, weekend) Mon 28, Tue 29, Wed 30,
    # (31 Dec, 1 Jan holidays, weekend) Mon 4 January; DHL's 2 transit days: Wed 6 January.
    assert (offered["dhl"]["dispatchDate"], offered["dhl"]["deliveryDate"]) == (
        "2027-01-04",
        "2027-01-06",
    )
    assert offered["pickup"]["deliveryDate"] == "2027-01-04"

    placed = (
        await gql(
            client,
            PLACE,
            {"i": {"idempotencyKey": str(uuid.uuid4()), "shippingMethodId": ids["dhl"]}},
            token=boss,
        )
    )["data"]["orderPlace"]
    assert placed["errors"] == [], placed
    order = placed["order"]
    assert (order["promisedDispatchDate"], order["promisedDeliveryDate"]) == (
        "2027-01-04",
        "2027-01-06",
    )
    # Production sees the promised dispatch day as the job's due date.
    assert order["lines"][0]["job"]["dueDate"] == "2027-01-04"

    # After the cut-off on Wednesday 30th the order counts from Monday 4 January.
    monkeypatch.setattr(
        promises, "utcnow", lambda: dt.datetime(2026, 12, 30, 14, 30, tzinfo=dt.UTC)
    )
    await cart_with_leaflets(client, boss)
    later = (
        await gql(
            client,
            PLACE,
            {"i": {"idempotencyKey": str(uuid.uuid4()), "shippingMethodId": ids["pickup"]}},
            token=boss,
        )
    )["data"]["orderPlace"]["order"]
    assert (later["promisedDispatchDate"], later["promisedDeliveryDate"]) == (
        "2027-01-11",
        "2027-01-11",
    )
