"""Shipping through Sendcloud end to end: a method on carrier `sendcloud`, checkout, a
shipment registered with (a local stand-in of) Sendcloud's parcels API, and its signed
tracking webhooks moving the shipment and the order until delivered."""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from pathlib import Path
from typing import Any

import pytest

from server.settings import Settings
from tests.api.test_shipping import PLACE, cart_with_leaflets
from tests.factories import gql
from tests.integration.test_sendcloud_carrier import FakeSendcloud, sendcloud

__all__ = ["sendcloud"]
SECRET = "sendcloud-secret"

CREATE = """mutation($i: ShippingMethodInput!) { shippingMethodCreate(channel: "main", input: $i) {
  shippingMethod { id } errors { code field message } } }"""
SHIP = """mutation($o: ID!) { shipmentCreate(input: {orderId: $o, parcelWeightsG: [1200, 800]}) {
  shipment { id number carrier status parcels { trackingNumber trackingUrl } } errors { code message } } }"""
STATE = """query($id: ID!) { node(id: $id) { ... on Order { status shipments { status } } } }"""


@pytest.fixture
def settings(database_url: str, tmp_path: Path, sendcloud: str) -> Settings:
    return Settings.from_env(
        {
            "DATABASE_URL": database_url,
            "PRESSROOM_DATA_DIR": str(tmp_path),
            "PRESSROOM_JWT_SECRET": "test-secret-" + "x" * 40,
            "PRESSROOM_EMBEDDED_WORKER": "false",
            "PRESSROOM_RATE_LIMITS": "off",
            "SENDCLOUD_PUBLIC_KEY": "pub",
            "SENDCLOUD_SECRET_KEY": SECRET,
            "SENDCLOUD_BASE_URL": sendcloud,
        }
    )


async def webhook(client: Any, tracking: str, status_id: int, secret: str = SECRET) -> int:
    body = json.dumps(
        {
            "action": "parcel_status_changed",
            "timestamp": 1,
            "parcel": {"id": 901, "tracking_number": tracking, "status": {"id": status_id}},
        }
    ).encode()
    signature = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    response = await client.post(
        "/webhooks/sendcloud",
        content=body,
        headers={"sendcloud-signature": signature, "content-type": "application/json"},
    )
    return int(response.status_code)


async def test_sendcloud_ships_and_its_webhooks_deliver(client, as_user) -> None:  # type: ignore[no-untyped-def]
    admin = await as_user("admin@shop.example")
    boss = await as_user("boss.acme")
    method = {
        "code": "dhl-sc",
        "name": "DHL via Sendcloud",
        "kind": "CARRIER",
        "carrier": "sendcloud",
        "carrierService": "8",
        "transitDays": 1,
        "rates": [{"zone": "DE", "countries": ["DE"], "net": 590}],
    }
    made = (await gql(client, CREATE, {"i": method}, token=admin))["data"]["shippingMethodCreate"]
    assert made["errors"] == [], made
    await cart_with_leaflets(client, boss)
    order = (
        await gql(
            client,
            PLACE,
            {
                "i": {
                    "idempotencyKey": str(uuid.uuid4()),
                    "shippingMethodId": made["shippingMethod"]["id"],
                }
            },
            token=boss,
        )
    )["data"]["orderPlace"]["order"]

    shipped = (await gql(client, SHIP, {"o": order["id"]}, token=admin))["data"]["shipmentCreate"]
    assert shipped["errors"] == [], shipped
    shipment = shipped["shipment"]
    assert shipment["carrier"] == "sendcloud"
    assert [p["trackingNumber"] for p in shipment["parcels"]] == ["JJD0001", "JJD0002"]
    assert shipment["parcels"][0]["trackingUrl"] == "https://tracking.example/JJD0001"
    announced = FakeSendcloud.requests[0]["body"]["parcels"]
    assert [(p["weight"], p["shipment"]) for p in announced] == [
        ("1.200", {"id": 8}),
        ("0.800", {"id": 8}),
    ]

    async def state() -> tuple[str, str]:
        node = (await gql(client, STATE, {"id": order["id"]}, token=boss))["data"]["node"]
        return node["status"], node["shipments"][0]["status"]

    assert await state() == ("SHIPPED", "CREATED")
    # Unsigned or wrongly signed: refused, nothing moves.
    assert await webhook(client, "JJD0001", 91, secret="guess") == 401
    # One parcel on its way: the shipment waits for the other.
    assert await webhook(client, "JJD0001", 91) == 200
    assert await state() == ("SHIPPED", "CREATED")
    assert await webhook(client, "JJD0002", 91) == 200
    assert await state() == ("SHIPPED", "IN_TRANSIT")
    # A parcel nobody here knows is ignored.
    assert await webhook(client, "ELSEWHERE1", 11) == 200
    assert await webhook(client, "JJD0001", 11) == 200
    assert await state() == ("SHIPPED", "IN_TRANSIT")
    assert await webhook(client, "JJD0002", 11) == 200
    assert await state() == ("DELIVERED", "DELIVERED")
