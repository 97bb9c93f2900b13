"""Payments settle billing's invoices (domain/payments/billing_ledger.py), over the API: a
bank transfer paid before the invoice exists is recorded on it when billing issues it (the
invoice is issued paid); a payment for an order already invoiced pays its invoice; a refund
gets its credit note, and the invoice stays settled; a refund billing cannot credit is refused
with a typed error and changes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.api.test_payments_account import OFFER
from tests.factories import gql, login
from tests.payments_support import place

RECORD = """mutation($i: PaymentRecordInput!) { paymentRecord(input: $i) {
  payment { id invoiceId amount { amount } } errors { code field message } } }"""
REFUND = """mutation($id: ID!, $a: Int) { paymentRefund(id: $id, amount: $a, reason: "overs") {
  refund { amount { amount } } payment { refunded { amount } } errors { code field message } } }"""
DELIVER = "mutation($id: ID!) { orderDeliver(id: $id) { order { status } errors { code } } }"
INVOICES = """query($o: ID!) { invoices(filter: {orderId: $o}) { nodes { id number paymentStatus
  grossTotal { amount } paid { amount } openAmount { amount }
  creditNotes { number reason grossTotal { amount } } } } }"""
ACCOUNT = """{ companyAccount { owed { amount } paid { amount } openInvoices { amount }
  overdue { amount } overdueInvoices } }"""
STATEMENT = """query($s: Date!, $e: Date!) { accountStatement(start: $s, end: $e) {
  closing entries { kind reference debit credit } } }"""
CREDIT = """mutation($i: CreditNoteIssueInput!) { creditNoteIssue(input: $i) {
  creditNote { number } errors { code } } }"""


async def _complete(engine: AsyncEngine, number: str) -> None:
    """Production is done (the order flow itself is tested elsewhere): COMPLETED."""
    async with engine.begin() as conn:
        await conn.execute(
            text("UPDATE customer_order SET status = 'COMPLETED' WHERE number = :n"), {"n": number}
        )


async def _invoice(client: Any, token: str, order_id: str) -> dict[str, Any]:
    [invoice] = (await gql(client, INVOICES, {"o": order_id}, token=token))["data"]["invoices"][
        "nodes"
    ]
    return dict(invoice)


async def _delivered(client: Any, engine: AsyncEngine, staff: str, order: dict[str, Any]) -> None:
    await _complete(engine, order["number"])
    delivered = await gql(client, DELIVER, {"id": order["id"]}, token=staff)
    assert delivered["data"]["orderDeliver"] == {"order": {"status": "DELIVERED"}, "errors": []}


async def test_payments_settle_invoices_and_refunds_credit_them(  # type: ignore[no-untyped-def]
    client, as_user, engine
) -> None:
    boss = await as_user("boss.acme")
    staff = await login(client, "admin@shop.example")
    assert (await gql(client, OFFER, {"m": "BANK_TRANSFER"}, token=staff))["data"][
        "paymentMethodOfferSet"
    ]["errors"] == []

    # Paid by bank transfer before it is made: the invoice is issued paid.
    prepaid = (await place(client, boss, "BANK_TRANSFER"))["order"]
    gross = prepaid["gross"]["amount"]
    paid = await gql(
        client,
        RECORD,
        {"i": {"key": "tx-1", "amount": gross, "orderId": prepaid["id"], "reference": "tx"}},
        token=staff,
    )
    payment = paid["data"]["paymentRecord"]["payment"]
    assert paid["data"]["paymentRecord"]["errors"] == [] and payment["invoiceId"] is None
    await _delivered(client, engine, staff, prepaid)
    invoice = await _invoice(client, boss, prepaid["id"])
    assert invoice["grossTotal"] == {"amount": gross}
    assert invoice["paymentStatus"] == "PAID" and invoice["openAmount"] == {"amount": 0}
    assert invoice["paid"] == {"amount": gross}

    # A partial refund: a credit note over it, and the invoice stays settled.
    refunded = await gql(client, REFUND, {"id": payment["id"], "a": 1190}, token=staff)
    assert refunded["data"]["paymentRefund"]["errors"] == []
    invoice = await _invoice(client, boss, prepaid["id"])
    assert [(n["reason"], n["grossTotal"]["amount"]) for n in invoice["creditNotes"]] == [
        ("overs", 1190)
    ]
    assert invoice["openAmount"] == {"amount": 0} and invoice["paid"] == {"amount": gross - 1190}

    # On account: invoiced on delivery, then paid; the payment lands on the invoice.
    on_account = (await place(client, boss, "ON_ACCOUNT"))["order"]
    await _delivered(client, engine, staff, on_account)
    invoice = await _invoice(client, boss, on_account["id"])
    assert invoice["paymentStatus"] == "OPEN"
    owed = on_account["gross"]["amount"]
    # The company's account shows the open invoice, and it is overdue once past its due date.
    account = (await gql(client, ACCOUNT, token=boss))["data"]["companyAccount"]
    assert account["owed"] == account["openInvoices"] == {"amount": owed}
    assert (account["overdue"], account["overdueInvoices"]) == ({"amount": 0}, 0)
    async with engine.begin() as conn:
        await conn.execute(
            text("UPDATE invoice SET due_date = current_date - 1 WHERE number = :n"),
            {"n": invoice["number"]},
        )
    account = (await gql(client, ACCOUNT, token=boss))["data"]["companyAccount"]
    assert (account["overdue"], account["overdueInvoices"]) == ({"amount": owed}, 1)
    settled = await gql(
        client,
        RECORD,
        {"i": {"key": "tx-2", "amount": owed, "orderId": on_account["id"], "reference": "tx"}},
        token=staff,
    )
    assert settled["data"]["paymentRecord"]["payment"]["invoiceId"] == invoice["id"]
    invoice = await _invoice(client, boss, on_account["id"])
    assert invoice["paymentStatus"] == "PAID" and invoice["openAmount"] == {"amount": 0}
    account = (await gql(client, ACCOUNT, token=boss))["data"]["companyAccount"]
    assert account["owed"] == account["openInvoices"] == account["overdue"] == {"amount": 0}
    # The statement: the refund paid back is balanced by its credit note.
    today = dt.date.today()
    period = {"s": str(today - dt.timedelta(days=1)), "e": str(today + dt.timedelta(days=1))}
    statement = (await gql(client, STATEMENT, period, token=boss))["data"]["accountStatement"]
    kinds = [(e["kind"], e["debit"], e["credit"]) for e in statement["entries"]]
    assert ("REFUND", 1190, 0) in kinds and ("CREDIT_NOTE", 0, 1190) in kinds
    assert statement["closing"] == 0

    # Staff credited the whole invoice by hand: a refund has nothing left to credit, and is
    # refused before any money moves.
    credited = await gql(
        client, CREDIT, {"i": {"invoiceId": invoice["id"], "reason": "goodwill"}}, token=staff
    )
    assert credited["data"]["creditNoteIssue"]["errors"] == []
    payment_id = settled["data"]["paymentRecord"]["payment"]["id"]
    refused = (await gql(client, REFUND, {"id": payment_id, "a": 100}, token=staff))["data"]
    assert [e["code"] for e in refused["paymentRefund"]["errors"]] == ["EXCEEDS_INVOICE"]
    again = await gql(client, REFUND, {"id": payment_id, "a": owed + 1}, token=staff)
    assert [e["code"] for e in again["data"]["paymentRefund"]["errors"]] == [
        "REFUND_EXCEEDS_PAYMENT"
    ]
