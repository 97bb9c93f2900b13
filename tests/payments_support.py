"""Payment tests' helpers: localstripe (a Stripe emulator from PyPI) as a subprocess on
127.0.0.1, Stripe-signed webhook deliveries, and an order placed with a payment method."""

from __future__ import annotations

import hashlib
import hmac
import json
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx

from tests.factories import gql
from tests.live_server import free_port

WEBHOOK_SECRET = "whsec_test_" + "k" * 24
SECRET_KEY = "sk_test_pressroom"


# localstripe's own entry point binds every interface ("::") and saves its state to the one
# file /tmp/localstripe.pickle after each change (loading it at start): run its app on loopback
# only, from scratch and in memory, so that parallel runs cannot see each other's objects.
_LOCALSTRIPE = """
import sys
from aiohttp import web
from localstripe import resources
from localstripe.server import app

resources.Store.dump_to_disk = lambda self: None
web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), print=None)
"""


@contextmanager
def localstripe() -> Iterator[str]:
    """localstripe on a free loopback port; yields its base address."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-c", _LOCALSTRIPE, str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                httpx.get(f"{base}/v1/customers", auth=(SECRET_KEY, ""), timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("localstripe did not start") from None
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def signed(event: dict[str, Any], secret: str = WEBHOOK_SECRET) -> tuple[bytes, str]:
    """The body and `Stripe-Signature` header Stripe would send (scheme v1)."""
    body = json.dumps(event).encode()
    ts = int(time.time())
    mac = hmac.new(secret.encode(), f"{ts}.".encode() + body, hashlib.sha256).hexdigest()
    return body, f"t={ts},v1={mac}"


def intent_event(event_type: str, intent: dict[str, Any], created: int) -> dict[str, Any]:
    return {
        "id": f"evt_{uuid.uuid4().hex[:16]}",
        "object": "event",
        "type": event_type,
        "created": created,
        "api_version": "2024-06-20",
        "livemode": False,
        "data": {"object": intent},
    }


PRODUCTS = '{ products(search: "leaflet") { edges { node { id } } } }'
CONFIG = """mutation($i: ConfigurationCreateInput!) { configurationCreate(input: $i) {
  configuration { id } errors { code } } }"""
ADD = """mutation($i: CartLineAddInput!) { cartLineAdd(input: $i) {
  cartLine { id } errors { code field message } } }"""
PLACE = """mutation($i: OrderPlaceInput!) { orderPlace(input: $i) {
  order { id number status gross { amount currency } history { toStatus reason } }
  payment { provider method clientSecret status amount { amount currency } }
  errors { code field message } } }"""


async def add_leaflets(client: httpx.AsyncClient, token: str, quantity: int = 500) -> str:
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
    return str(added["data"]["cartLineAdd"]["cartLine"]["id"])


async def place(
    client: httpx.AsyncClient, token: str, method: str, quantity: int = 500
) -> dict[str, Any]:
    await add_leaflets(client, token, quantity)
    body = await gql(
        client,
        PLACE,
        {"i": {"idempotencyKey": uuid.uuid4().hex, "paymentMethod": method}},
        token=token,
    )
    return dict(body["data"]["orderPlace"])
