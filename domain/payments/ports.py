"""The card-payment provider as the payments area needs it (Stripe PaymentIntents behind
adapters/stripe_gateway.py; tests run it against a local Stripe emulator).

The server registers the gateway at start-up when a provider is configured
(`register_card_gateway`); without one, card payments are not offered."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class IntentCreated:
    intent_id: str
    client_secret: str
    status: str


@dataclass(frozen=True, slots=True)
class RefundCreated:
    refund_id: str
    amount: int
    status: str


@dataclass(frozen=True, slots=True)
class ProviderEvent:
    """A verified provider event about a payment intent (a webhook)."""

    event_id: str
    event_type: str  # e.g. payment_intent.succeeded
    created: int  # the provider's timestamp (seconds)
    intent_id: str
    intent_status: str
    amount: int
    amount_received: int
    currency: str  # ISO code, upper case


class ProviderUnavailable(Exception):
    """The provider could not be reached or refused the request."""


class CardGateway(Protocol):
    provider: str

    async def create_intent(
        self,
        amount: int,
        currency: str,
        method_types: list[str],
        metadata: Mapping[str, str],
        idempotency_key: str,
    ) -> IntentCreated:
        """Create a payment intent the storefront confirms with its client secret."""
        ...

    async def refund(self, intent_id: str, amount: int, idempotency_key: str) -> RefundCreated:
        """Refund (part of) a succeeded intent."""
        ...


_GATEWAY: list[CardGateway] = []


def register_card_gateway(gateway: CardGateway | None) -> None:
    """Register the card gateway (None: no card payments)."""
    _GATEWAY.clear()
    if gateway is not None:
        _GATEWAY.append(gateway)


def card_gateway() -> CardGateway | None:
    return _GATEWAY[0] if _GATEWAY else None
