"""Sendcloud (a multi-carrier shipping service) through its parcels API (v2): one announced
parcel per parcel of the shipment, then their labels as one PDF for a label printer.

POST {base}/parcels {"parcels": [...]} with ``request_label: true`` announces the parcels
with the carrier of the shipping method (``shipment.id``: the method's carrier service);
POST {base}/labels {"label": {"parcels": [ids]}} answers the URL of the labels PDF, fetched
with the same credentials. Authentication is HTTP Basic with the API's public and secret key.

Tracking comes back as ``parcel_status_changed`` webhooks (POST /webhooks/sendcloud), signed
with the secret key (`signature_valid`, `parcel_event`).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from domain.fulfilment.carriers import (
    CarrierError,
    RegisteredParcel,
    Registration,
    ShipmentToRegister,
)
from domain.fulfilment.models import ShipmentStatus

PRODUCTION_URL = "https://panel.sendcloud.sc/api/v2"
_HOUSE_NUMBER = re.compile(r"^(.*?)[\s,]+(\d+\s*[a-zA-Z]?(?:[-/]\d+[a-zA-Z]?)?)$")


@dataclass(frozen=True, slots=True)
class SendcloudConfig:
    public_key: str
    secret_key: str
    base_url: str = PRODUCTION_URL
    timeout_s: float = 20.0


def split_street(street: str) -> tuple[str, str]:
    """ "Druckerweg 12a" -> ("Druckerweg", "12a"); Sendcloud wants the number apart."""
    found = _HOUSE_NUMBER.match(street.strip())
    return (found.group(1), found.group(2)) if found else (street.strip(), "")


def parcel_payload(shipment: ShipmentToRegister, position: int, weight_g: int) -> dict[str, Any]:
    recipient: Mapping[str, Any] = shipment.recipient
    street, number = split_street(str(recipient.get("street", "")))
    payload: dict[str, Any] = {
        "name": str(recipient.get("name", "")),
        "address": street,
        "house_number": number,
        "city": str(recipient.get("city", "")),
        "postal_code": str(recipient.get("postalCode", "")),
        "country": str(recipient.get("country", "")),
        "email": shipment.recipient_email,
        "request_label": True,
        "weight": f"{max(weight_g, 1) / 1000:.3f}",
        "order_number": shipment.order_number,
        "external_reference": f"{shipment.shipment_number}-{position}",
    }
    if shipment.service:
        payload["shipment"] = {"id": int(shipment.service)}
    return payload


class SendcloudCarrier:
    code = "sendcloud"

    def __init__(self, config: SendcloudConfig, transport: httpx.AsyncBaseTransport | None = None):
        self._config = config
        self._transport = transport

    def _client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            base_url=self._config.base_url.rstrip("/"),
            auth=(self._config.public_key, self._config.secret_key),
            timeout=self._config.timeout_s,
            transport=self._transport,
            headers={"Accept": "application/json"},
        )

    async def register(self, shipment: ShipmentToRegister) -> Registration:
        """Announce the parcels and fetch their labels; CarrierError on any refusal."""
        if shipment.service and not shipment.service.isdigit():
            raise CarrierError("The Sendcloud shipping method id must be a number.")
        body = {
            "parcels": [parcel_payload(shipment, p.position, p.weight_g) for p in shipment.parcels]
        }
        async with self._client() as client:
            created = await self._json(client, "POST", "/parcels", body)
            failed = created.get("failed_parcels") or []
            parcels = created.get("parcels") or []
            if failed or len(parcels) != len(shipment.parcels):
                raise CarrierError(f"Sendcloud refused parcels: {str(failed)[:200]}")
            ids = [int(p["id"]) for p in parcels]
            label = await self._json(client, "POST", "/labels", {"label": {"parcels": ids}})
            url = (label.get("label") or {}).get("label_printer")
            labels_pdf = await self._pdf(client, str(url)) if url else None
        return Registration(
            parcels=[
                RegisteredParcel(
                    str(p.get("tracking_number") or ""), str(p.get("tracking_url") or "")
                )
                for p in parcels
            ],
            reference=",".join(str(i) for i in ids),
            labels_pdf=labels_pdf,
        )

    async def _json(
        self, client: httpx.AsyncClient, method: str, path: str, body: object
    ) -> dict[str, Any]:
        try:
            response = await client.request(method, path, json=body)
        except httpx.HTTPError as exc:
            raise CarrierError(f"Sendcloud is not reachable: {type(exc).__name__}") from None
        if response.status_code >= 400:
            raise CarrierError(_error_message(response))
        data = response.json()
        if not isinstance(data, dict):
            raise CarrierError("Sendcloud answered something unexpected.")
        return data

    async def _pdf(self, client: httpx.AsyncClient, url: str) -> bytes:
        # The label URL is absolute and must stay on the configured Sendcloud host (the
        # credentials go with it).
        base = httpx.URL(self._config.base_url)
        target = httpx.URL(url)
        if (target.scheme, target.host, target.port) != (base.scheme, base.host, base.port):
            raise CarrierError("Sendcloud answered a label on another host.")
        try:
            response = await client.get(target)
        except httpx.HTTPError as exc:
            raise CarrierError(f"Sendcloud is not reachable: {type(exc).__name__}") from None
        if response.status_code >= 400 or not response.content.startswith(b"%PDF"):
            raise CarrierError("Sendcloud gave no label PDF.")
        return response.content


def _error_message(response: httpx.Response) -> str:
    try:
        error = response.json().get("error", {})
        message = error.get("message") if isinstance(error, dict) else str(error)
    except ValueError:
        message = None
    return f"Sendcloud answered {response.status_code}: {message or response.reason_phrase}"[:300]


# Sendcloud's parcel status ids (its status list) as shipment statuses; others are ignored.
_STATUS_IDS: dict[int, ShipmentStatus] = {
    **dict.fromkeys((3, 5, 7, 22, 91, 92), ShipmentStatus.IN_TRANSIT),
    **dict.fromkeys((11, 93), ShipmentStatus.DELIVERED),
    **dict.fromkeys((62, 80, 2000), ShipmentStatus.FAILED),
}


@dataclass(frozen=True, slots=True)
class ParcelEvent:
    tracking_number: str
    status: ShipmentStatus


def signature_valid(body: bytes, signature: str, secret: str) -> bool:
    """The ``Sendcloud-Signature`` header: HMAC-SHA256 of the raw body with the secret key."""
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature.strip().lower())


def parcel_event(body: bytes) -> ParcelEvent | None:
    """A ``parcel_status_changed`` webhook as a parcel's new status; None for other actions
    and statuses that change nothing here."""
    try:
        data = json.loads(body)
    except ValueError:
        return None
    if not isinstance(data, dict) or data.get("action") != "parcel_status_changed":
        return None
    parcel = data.get("parcel") or {}
    status_id = (parcel.get("status") or {}).get("id") if isinstance(parcel, dict) else None
    status = _STATUS_IDS.get(status_id) if isinstance(status_id, int) else None
    tracking = str(parcel.get("tracking_number") or "") if isinstance(parcel, dict) else ""
    return ParcelEvent(tracking, status) if status is not None and tracking else None
