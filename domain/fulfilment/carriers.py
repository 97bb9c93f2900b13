"""The carrier port: how a shipment is registered with whoever carries it.

A `Carrier` is implemented in `adapters/carriers/` (the built-in carrier for own delivery and
pickup renders labels itself; a REST adapter registers parcels with a multi-carrier service)
and registered at start-up (`server/domain_wiring.py`) under its code; a shipping method
names the carrier its shipments go through.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True, slots=True)
class ParcelToShip:
    position: int  # 1-based: parcel n of m
    weight_g: int


@dataclass(frozen=True, slots=True)
class LineToShip:
    title: str
    quantity: int
    ordered: int


@dataclass(frozen=True, slots=True)
class ShipmentToRegister:
    """Everything a carrier needs to know about one shipment."""

    shipment_number: str
    order_number: str
    sender: Mapping[str, Any]  # the shop's (or brand's) sender address: never a supplier's
    recipient: Mapping[str, Any]  # name, street, postalCode, city, country
    parcels: Sequence[ParcelToShip]
    lines: Sequence[LineToShip]
    service: str = ""  # the carrier's own service code, from the shipping method
    tracking_number: str = ""  # when staff already have one (e.g. handed over at a counter)
    recipient_email: str = ""


@dataclass(frozen=True, slots=True)
class RegisteredParcel:
    tracking_number: str
    tracking_url: str = ""


@dataclass(frozen=True, slots=True)
class Registration:
    """The carrier's answer: per parcel its tracking, the labels (one PDF, a page per parcel)
    and a delivery note (PDF), each None if the carrier gives none."""

    parcels: Sequence[RegisteredParcel]
    reference: str = ""  # the carrier's id for the shipment
    labels_pdf: bytes | None = None
    delivery_note_pdf: bytes | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)


class CarrierError(Exception):
    """The carrier refused or failed; the message is safe to show to staff."""


class Carrier(Protocol):
    code: str

    async def register(self, shipment: ShipmentToRegister) -> Registration:
        """Register the shipment and its parcels; raise CarrierError when that fails."""
        ...


_CARRIERS: dict[str, Carrier] = {}


def register_carrier(carrier: Carrier) -> None:
    """Register (or replace) the carrier adapter for ``carrier.code``."""
    _CARRIERS[carrier.code] = carrier


def carrier(code: str) -> Carrier | None:
    return _CARRIERS.get(code)


def carrier_codes() -> frozenset[str]:
    return frozenset(_CARRIERS)
