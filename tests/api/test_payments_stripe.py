"""Card payment through Stripe PaymentIntents, with the official SDK against localstripe:
orderPlace answers the client secret, the buyer confirms with the SDK, the webhook (signed,
verified with the SDK) is replayed twice and out of order and records one payment, the
order is released; staff refund in part and then the rest."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import stripe
from sqlalchemy import func, select

from adapters.db import SqlUnitOfWork, session_factory
from domain.payments.models import Payment, PaymentMethodOffer
from schema.core import to_gid
from server.settings import Settings
from tests.factories import gql, login
from tests.payments_support import (
    SECRET_KEY,
    WEBHOOK_SECRET,
    intent_event,
    localstripe,
    place,
    signed,
)


@pytest.fixture(scope="module")
def stripe_base() -> Iterator[str]:
    with localstripe() as base:
        yield base


@pytest.fixture
def settings(settings: Settings, stripe_base: str) -> Settings:
    settings.stripe_secret_key = SECRET_KEY
    settings.stripe_webhook_secret = WEBHOOK_SECRET
    settings.stripe_api_base = stripe_base
    return settings


async def _offer_card(engine: Any) -> None:
    uow = SqlUnitOfWork(session_factory(engine))
    try:
        async with uow:
            uow.session.add(PaymentMethodOffer(method="CARD"))
            await uow.commit()
    finally:
        await uow.close()


async def _payments(engine: Any) -> int:
    uow = SqlUnitOfWork(session_factory(engine))
    try:
        async with uow:
            return int(await uow.scalar(select(func.count()).select_from(Payment)))
    finally:
        await uow.close()


def _confirm_as_buyer(stripe_base: str, intent_id: str) -> dict[str, Any]:
    """What Stripe.js does in the browser, done with the SDK: a card, then confirm."""
    client = stripe.StripeClient(
        SECRET_KEY,
        base_addresses={"api": stripe_base},  # type: ignore[typeddict-item]
        http_client=stripe.HTTPXClient(allow_sync_methods=True),
    )
    card = client.v1.payment_methods.create(
        params={
            "type": "card",
            "card": {"number": "4242424242424242", "exp_month": 12, "exp_year": 2034, "cvc": "123"},
        }  # type: ignore[typeddict-item]
    )
    client.v1.payment_intents.update(intent_id, params={"payment_method": card.id})
    confirmed = client.v1.payment_intents.confirm(intent_id)
    assert confirmed.status == "succeeded"
    return confirmed.to_dict()


ORDER = (
    """query($id: ID!) { node(id: $id) { ... on Order { status history { toStatus reason } } } }"""
)
REFUND = """mutation($id: ID!, $amount: Int) { paymentRefund(id: $id, amount: $amount, reason: "short") {
  refund { amount { amount } providerReference } payment { amount { amount } refunded { amount } }
  errors { code field message } } }"""
ACCOUNT = """{ companyAccount { owed { amount } paid { amount } } }"""
PAYMENTS = """query($s: Date!, $e: Date!) { accountStatement(start: $s, end: $e) {
  entries { kind reference credit } csv } }"""


async def test_card_payment_webhooks_once_and_refunds(client, as_user, engine, stripe_base) -> None:  # type: ignore[no-untyped-def]
    await _offer_card(engine)
    token = await as_user("acme")
    placed = await place(client, token, "CARD")
    assert placed["errors"] == [], placed
    order = placed["order"]
    assert order["status"] == "AWAITING_PAYMENT"
    action = placed["payment"]
    assert action["provider"] == "stripe" and action["clientSecret"].startswith("pi_")
    assert action["amount"] == order["gross"]
    intent_id = action["clientSecret"].split("_secret_")[0]

    intent = _confirm_as_buyer(stripe_base, intent_id)
    assert intent["amount"] == order["gross"]["amount"]
    processing = intent_event("payment_intent.processing", {**intent, "status": "processing"}, 100)
    succeeded = intent_event("payment_intent.succeeded", intent, 200)
    # Delivered: succeeded, the same event again, then the older processing one.
    for event in (succeeded, succeeded, processing):
        body, signature = signed(event)
        resp = await client.post(
            "/webhooks/stripe", content=body, headers={"stripe-signature": signature}
        )
        assert resp.status_code == 200, resp.text
    # A second delivery of the success under another event id still records one payment.
    body, signature = signed(intent_event("payment_intent.succeeded", intent, 201))
    assert (
        await client.post("/webhooks/stripe", content=body, headers={"stripe-signature": signature})
    ).status_code == 200
    assert await _payments(engine) == 1

    seen = (await gql(client, ORDER, {"id": order["id"]}, token=token))["data"]["node"]
    assert seen["status"] == "RELEASED"
    assert [h["toStatus"] for h in seen["history"]] == ["AWAITING_PAYMENT", "RELEASED"]
    account = (await gql(client, ACCOUNT, token=token))["data"]["companyAccount"]
    assert account == {"owed": {"amount": 0}, "paid": {"amount": order["gross"]["amount"]}}

    # A forged signature is refused and changes nothing.
    body, _ = signed(succeeded)
    bad = await client.post(
        "/webhooks/stripe", content=body, headers={"stripe-signature": "t=1,v1=00"}
    )
    assert bad.status_code == 400

    today = dt.date.today()
    period = {"s": str(today - dt.timedelta(days=1)), "e": str(today + dt.timedelta(days=1))}
    statement = (await gql(client, PAYMENTS, period, token=token))["data"]["accountStatement"]
    payment_kinds = [e["kind"] for e in statement["entries"]]
    assert payment_kinds == ["ORDER", "PAYMENT"]

    staff = await login(client, "admin@shop.example")
    uow = SqlUnitOfWork(session_factory(engine))
    try:
        async with uow:
            payment_id = int(await uow.scalar(select(Payment.id)))
    finally:
        await uow.close()
    gid = str(to_gid("Payment", payment_id))
    gross = order["gross"]["amount"]
    partial = (await gql(client, REFUND, {"id": gid, "amount": 1000}, token=staff))["data"][
        "paymentRefund"
    ]
    assert partial["errors"] == [], partial
    assert partial["refund"]["providerReference"].startswith("re_")
    assert partial["payment"]["refunded"] == {"amount": 1000}
    too_much = (await gql(client, REFUND, {"id": gid, "amount": gross}, token=staff))["data"][
        "paymentRefund"
    ]
    assert [e["code"] for e in too_much["errors"]] == ["REFUND_EXCEEDS_PAYMENT"]
    rest = (await gql(client, REFUND, {"id": gid, "amount": None}, token=staff))["data"][
        "paymentRefund"
    ]
    assert rest["errors"] == [] and rest["refund"]["amount"] == {"amount": gross - 1000}
    assert rest["payment"]["refunded"] == {"amount": gross}
    # The customer cannot refund.
    denied = await gql(client, REFUND, {"id": gid, "amount": 1}, token=token, expect_errors=True)
    assert denied["errors"]
