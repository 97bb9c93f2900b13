"""The "payment received" notification follows the payments' `payment.received` event: a
bank-transfer order paid by a staff entry is mailed to its orderer with the order's number
and the amount, once, also when the same payment is recorded again; a top-up of the prepaid
balance goes to the company's contact."""

from __future__ import annotations

import pytest

from server.settings import Settings
from tests.api.notification_support import subjects_to, text_of
from tests.api.test_payments_account import OFFER, RECORD
from tests.factories import company_id, gql, login
from tests.integration.test_mail import SmtpServer
from tests.payments_support import place

BOSS = "bob@acme.example"


@pytest.fixture
def settings(settings: Settings, smtp: SmtpServer) -> Settings:
    settings.smtp_host, settings.smtp_port = smtp.host, smtp.port
    settings.mail_from = "Print Shop <shop@print.example>"
    settings.embedded_worker = False
    return settings


async def test_a_recorded_payment_is_mailed_to_the_orderer_once(  # type: ignore[no-untyped-def]
    client, as_user, app, smtp
) -> None:
    boss = await as_user("boss.acme")
    staff = await login(client, "admin@shop.example")
    offered = await gql(client, OFFER, {"m": "BANK_TRANSFER"}, token=staff)
    assert offered["data"]["paymentMethodOfferSet"]["errors"] == []
    placed = await place(client, boss, "BANK_TRANSFER")
    assert placed["errors"] == [] and placed["order"]["status"] == "AWAITING_PAYMENT"
    order = placed["order"]
    await app.state.jobs.run_until_idle()
    # Received all the same, with what to do: the transfer's reference is the order number.
    [received] = [
        m for m in smtp.inbox.messages if m["Subject"] == f"Order {order['number']} received"
    ]
    assert received["To"].endswith(f"<{BOSS}>") or received["To"] == BOSS
    assert text_of(received) == (
        f"Hello Bob Boss,\n\nthank you: we received your order {order['number']}.\n\n"
        "We start as soon as your payment has arrived. For a bank transfer, please give "
        f"{order['number']} as the reference.\n"
    )
    gross = order["gross"]["amount"]
    payment = {"key": "bank-1", "amount": gross, "orderId": order["id"], "reference": "tx 1"}
    for _ in range(2):  # the same payment recorded twice is one payment, one mail
        recorded = await gql(client, RECORD, {"i": payment}, token=staff)
        assert recorded["data"]["paymentRecord"]["errors"] == []
    await app.state.jobs.run_until_idle()
    mails = smtp.inbox.messages
    assert subjects_to(mails, BOSS).count("Payment received") == 1
    [mail] = [m for m in mails if m["Subject"] == "Payment received"]
    amount = f"EUR {gross / 100:,.2f}"
    assert text_of(mail) == (
        f"Hello Bob Boss,\n\nwe received your payment of {amount} for order "
        f"{order['number']}. Thank you.\n"
    )

    # A top-up names no order and goes to the company's contact.
    top_up = {"key": "top-1", "amount": 5000, "companyId": await company_id(client, boss)}
    recorded = await gql(client, RECORD, {"i": top_up}, token=staff)
    assert recorded["data"]["paymentRecord"]["errors"] == []
    await app.state.jobs.run_until_idle()
    [top_up_mail] = [
        m
        for m in smtp.inbox.messages
        if m["Subject"] == "Payment received" and "EUR 50.00" in text_of(m)
    ]
    assert "for order" not in text_of(top_up_mail)
