"""Stripe PaymentIntents and Refunds through the official SDK (the `CardGateway` port of
domain/payments/ports.py), and webhook verification with `stripe.Webhook.construct_event`.

`api_base` points the SDK at another server with Stripe's API (tests: localstripe on
127.0.0.1); None is Stripe itself."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import stripe

from domain.payments.ports import IntentCreated, ProviderEvent, ProviderUnavailable, RefundCreated

PROVIDER = "stripe"


class StripeGateway:
    provider = PROVIDER

    def __init__(self, secret_key: str, api_base: str | None = None) -> None:
        bases: dict[str, str] = {"api": api_base} if api_base else {}
        self._client = stripe.StripeClient(
            secret_key,
            base_addresses=bases,  # type: ignore[arg-type]
            http_client=stripe.HTTPXClient(),
            max_network_retries=1,
        )

    async def create_intent(
        self,
        amount: int,
        currency: str,
        method_types: list[str],
        metadata: Mapping[str, str],
        idempotency_key: str,
    ) -> IntentCreated:
        try:
            intent = await self._client.v1.payment_intents.create_async(
                params={
                    "amount": amount,
                    "currency": currency.lower(),
                    "payment_method_types": method_types,  # type: ignore[typeddict-unknown-key]
                    "metadata": dict(metadata),
                },
                options={"idempotency_key": idempotency_key},
            )
        except stripe.StripeError as exc:
            raise ProviderUnavailable(exc.user_message or str(exc)) from exc
        return IntentCreated(intent.id, intent.client_secret or "", intent.status)

    async def refund(self, intent_id: str, amount: int, idempotency_key: str) -> RefundCreated:
        try:
            refund = await self._client.v1.refunds.create_async(
                params={"payment_intent": intent_id, "amount": amount},
                options={"idempotency_key": idempotency_key},
            )
        except stripe.StripeError as exc:
            raise ProviderUnavailable(exc.user_message or str(exc)) from exc
        return RefundCreated(refund.id, refund.amount, refund.status or "")


class InvalidWebhook(Exception):
    """The payload or its signature did not verify."""


PAYMENT_INTENT_EVENTS = "payment_intent."


def verify_webhook(payload: bytes, signature: str | None, secret: str) -> ProviderEvent | None:
    """The verified event about a payment intent, None for other kinds of event; raises
    InvalidWebhook when the signature (or the payload) is not Stripe's."""
    try:
        event = stripe.Webhook.construct_event(payload, signature, secret)
    except (ValueError, stripe.SignatureVerificationError) as exc:
        raise InvalidWebhook(str(exc)) from exc
    if not event.type.startswith(PAYMENT_INTENT_EVENTS):
        return None
    intent: dict[str, Any] = event.data.object.to_dict()
    return ProviderEvent(
        event_id=event.id,
        event_type=event.type,
        created=int(event.created),
        intent_id=str(intent["id"]),
        intent_status=str(intent["status"]),
        amount=int(intent["amount"]),
        amount_received=int(intent.get("amount_received") or 0),
        currency=str(intent["currency"]).upper(),
    )
