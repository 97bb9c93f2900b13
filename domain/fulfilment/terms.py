"""The shop's delivery terms (working calendar and turnaround days), set once at start-up from
settings (`server/domain_wiring.py`) for the services that promise dates outside a request:
checkout's promise (domain/fulfilment/promises.py) and shipping quotes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from domain.fulfilment.delivery_dates import ShopCalendar
from domain.fulfilment.turnaround import TurnaroundCatalogue


@dataclass(frozen=True, slots=True)
class ShopTerms:
    calendar: ShopCalendar = field(default_factory=ShopCalendar)
    turnarounds: TurnaroundCatalogue = field(
        default_factory=lambda: TurnaroundCatalogue({"standard": 5, "express": 2})
    )
    # The sender on labels and delivery notes (name, street, postalCode, city, country).
    sender: Mapping[str, str] = field(
        default_factory=lambda: {
            "name": "Pressroom Print Shop",
            "street": "Druckerweg 1",
            "postalCode": "10115",
            "city": "Berlin",
            "country": "DE",
        }
    )


_CURRENT: list[ShopTerms] = [ShopTerms()]


def configure(terms: ShopTerms) -> None:
    """Set the shop's terms (the server does, from its settings, before serving)."""
    _CURRENT[0] = terms


def shop_terms() -> ShopTerms:
    return _CURRENT[0]
