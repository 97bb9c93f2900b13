"""The Sendcloud adapter against a local HTTP server that the test runs: it checks each
request (path, Basic auth, the parcels announced with their weights, address and method) and
answers as Sendcloud's parcels API does."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from adapters.carriers.sendcloud import SendcloudCarrier, SendcloudConfig, split_street
from domain.fulfilment.carriers import (
    CarrierError,
    LineToShip,
    ParcelToShip,
    ShipmentToRegister,
)

LABEL_PDF = b"%PDF-1.4\n% two labels\n"


class FakeSendcloud(BaseHTTPRequestHandler):
    requests: list[dict[str, Any]] = []
    refuse: bool = False

    def log_message(self, *args: object) -> None:  # quiet
        pass

    def _answer(self, status: int, body: bytes, kind: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("content-type", kind)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _record(self) -> dict[str, Any]:
        length = int(self.headers.get("content-length") or 0)
        raw = self.rfile.read(length) if length else b""
        entry = {
            "method": self.command,
            "path": self.path,
            "auth": self.headers.get("authorization"),
            "body": json.loads(raw) if raw else None,
        }
        self.requests.append(entry)
        return entry

    def do_POST(self) -> None:
        entry = self._record()
        if self.refuse:
            error = {"error": {"code": 412, "message": "Invalid shipment id", "request": "x"}}
            return self._answer(412, json.dumps(error).encode())
        if self.path == "/api/v2/parcels":
            parcels = [
                {
                    "id": 900 + n,
                    "tracking_number": f"JJD000{n}",
                    "tracking_url": f"https://tracking.example/JJD000{n}",
                    "weight": p["weight"],
                }
                for n, p in enumerate(entry["body"]["parcels"], start=1)
            ]
            return self._answer(200, json.dumps({"parcels": parcels}).encode())
        if self.path == "/api/v2/labels":
            host = f"http://127.0.0.1:{self.server.server_address[1]}"
            ids = ",".join(str(i) for i in entry["body"]["label"]["parcels"])
            label = {"label": {"label_printer": f"{host}/api/v2/label/label_printer?ids={ids}"}}
            return self._answer(200, json.dumps(label).encode())
        return self._answer(404, b"{}")

    def do_GET(self) -> None:
        self._record()
        if self.path.startswith("/api/v2/label/label_printer"):
            return self._answer(200, LABEL_PDF, "application/pdf")
        return self._answer(404, b"{}")


@pytest.fixture
def sendcloud() -> Iterator[str]:
    FakeSendcloud.requests = []
    FakeSendcloud.refuse = False
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeSendcloud)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/api/v2"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def shipment() -> ShipmentToRegister:
    return ShipmentToRegister(
        shipment_number="i-100001-S1",
        order_number="i-100001",
        sender={"name": "Pressroom Print Shop", "country": "DE"},
        recipient={
            "name": "ACME Corp.",
            "street": "Hauptstraße 12a",
            "postalCode": "10115",
            "city": "Berlin",
            "country": "DE",
        },
        parcels=[ParcelToShip(1, 1250), ParcelToShip(2, 400)],
        lines=[LineToShip("Leaflet A5", 500, 500)],
        service="8",
        recipient_email="boss@acme.example",
    )


async def test_parcels_are_announced_and_labels_fetched(sendcloud: str) -> None:
    carrier = SendcloudCarrier(SendcloudConfig("pub", "secret", sendcloud))
    registration = await carrier.register(shipment())

    assert [p.tracking_number for p in registration.parcels] == ["JJD0001", "JJD0002"]
    assert registration.parcels[0].tracking_url == "https://tracking.example/JJD0001"
    assert registration.reference == "901,902"
    assert registration.labels_pdf == LABEL_PDF

    create, labels, download = FakeSendcloud.requests
    expected_auth = "Basic " + base64.b64encode(b"pub:secret").decode()
    assert {r["auth"] for r in (create, labels, download)} == {expected_auth}
    assert (create["method"], create["path"]) == ("POST", "/api/v2/parcels")
    first, second = create["body"]["parcels"]
    assert first == {
        "name": "ACME Corp.",
        "address": "Hauptstraße",
        "house_number": "12a",
        "city": "Berlin",
        "postal_code": "10115",
        "country": "DE",
        "email": "boss@acme.example",
        "request_label": True,
        "weight": "1.250",
        "order_number": "i-100001",
        "external_reference": "i-100001-S1-1",
        "shipment": {"id": 8},
    }
    assert (second["weight"], second["external_reference"]) == ("0.400", "i-100001-S1-2")
    assert labels["body"] == {"label": {"parcels": [901, 902]}}
    assert download["path"] == "/api/v2/label/label_printer?ids=901,902"


async def test_a_refusal_is_a_carrier_error_with_sendclouds_message(sendcloud: str) -> None:
    FakeSendcloud.refuse = True
    carrier = SendcloudCarrier(SendcloudConfig("pub", "secret", sendcloud))
    with pytest.raises(CarrierError, match="412: Invalid shipment id"):
        await carrier.register(shipment())


async def test_an_unreachable_service_is_a_carrier_error() -> None:
    carrier = SendcloudCarrier(SendcloudConfig("pub", "secret", "http://127.0.0.1:9/api/v2"))
    with pytest.raises(CarrierError, match="not reachable"):
        await carrier.register(shipment())


def test_house_numbers_are_split_off() -> None:
    assert split_street("Druckerweg 1") == ("Druckerweg", "1")
    assert split_street("Stadhuisplein 10-2") == ("Stadhuisplein", "10-2")
    assert split_street("Postfach") == ("Postfach", "")


def test_webhooks_are_verified_and_read() -> None:
    from adapters.carriers.sendcloud import parcel_event, signature_valid
    from domain.fulfilment.models import ShipmentStatus
    from domain.fulfilment.tracking import shipment_status_of

    # The example of Sendcloud's documentation: the body {"key": "value"} with "secretkey".
    body = b'{"key": "value"}'
    assert signature_valid(
        body, "1eed4b3d41f4653ac64fd56f1bf1cbfd349e4482cbc11dff7134bd93e5da4b0a", "secretkey"
    )
    assert not signature_valid(body, "0" * 64, "secretkey")
    event = b'{"action": "parcel_status_changed", "parcel": {"tracking_number": "T1", "status": {"id": 11}}}'
    ev = parcel_event(event)
    assert ev is not None
    assert (ev.tracking_number, ev.status) == ("T1", ShipmentStatus.DELIVERED)
    assert parcel_event(event.replace(b'"id": 11', b'"id": 1')) is None  # ready to send
    assert parcel_event(b'{"action": "integration_updated"}') is None
    assert parcel_event(b"not json") is None
    s = ShipmentStatus
    assert shipment_status_of([s.DELIVERED, s.IN_TRANSIT]) is s.IN_TRANSIT
    assert shipment_status_of([s.DELIVERED, s.DELIVERED]) is s.DELIVERED
    assert shipment_status_of([s.DELIVERED, s.FAILED]) is s.FAILED
