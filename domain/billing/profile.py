"""The shop as seller on its documents, and the shop's billing settings.

Set once at start-up (`server/app.py` from the settings); services read it with
`seller_profile()`."""

from __future__ import annotations

from dataclasses import dataclass

from domain.orders.state import OrderStatus


@dataclass(frozen=True, slots=True)
class SellerProfile:
    name: str = "Pressroom Print GmbH"
    street: str = "Druckerstraße 1"
    postal_code: str = "10115"
    city: str = "Berlin"
    country: str = "DE"  # ISO 3166-1 alpha-2
    vat_id: str = "DE811907980"
    email: str = "billing@shop.example"
    iban: str = "DE02120300000000202051"
    bic: str = "BYLADEM1001"
    # Number series: invoices and credit notes each count from 1 per year.
    invoice_series: str = "RE"
    credit_note_series: str = "GS"
    # The order status that triggers a per-order invoice: DELIVERED, or COMPLETED.
    invoice_on: OrderStatus = OrderStatus.DELIVERED
    # Days between reminders of an overdue invoice, and how many are sent at most.
    reminder_interval_days: int = 7
    max_reminders: int = 3
    brand_colour: str = "#1f4e79"

    def as_party(self) -> dict[str, str]:
        """The seller as stored on an issued document."""
        return {
            "name": self.name,
            "street": self.street,
            "postalCode": self.postal_code,
            "city": self.city,
            "country": self.country,
            "vatId": self.vat_id,
            "email": self.email,
            "iban": self.iban,
            "bic": self.bic,
        }


_PROFILE: list[SellerProfile] = [SellerProfile()]


def configure_billing(profile: SellerProfile) -> None:
    """Set the shop's seller profile (start-up, or a test)."""
    _PROFILE[0] = profile


def seller_profile() -> SellerProfile:
    return _PROFILE[0]
