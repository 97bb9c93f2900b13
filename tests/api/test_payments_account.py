"""Payments without a provider: a credit limit turns an order on account into a proposal for
staff; bank-transfer orders wait and are released by an imported bank statement (two lines
matched, a re-import records nothing twice); a company's balance and statement are hidden
from a user without VIEW_FINANCES and from other companies; the prepaid balance pays."""

from __future__ import annotations

import datetime as dt
from typing import Any

from adapters.db import SqlUnitOfWork, session_factory
from domain.payments.models import PaymentMethodOffer
from tests.factories import company_id, gql, login
from tests.payments_support import place

CREDIT = """mutation($c: ID!, $l: Int) { companyCreditLimitSet(companyId: $c, creditLimit: $l) {
  creditLimit { amount } errors { code message } } }"""
DECIDE = """mutation($id: ID!) { orderStaffDecide(id: $id, release: true, reason: "paid up front") {
  order { status } errors { code message } } }"""
APPROVE = (
    """mutation($id: ID!) { orderApprove(id: $id) { order { status } errors { code message } } }"""
)
IMPORT = """mutation($csv: String!) { bankStatementImport(csv: $csv) {
  lines { row reference amount { amount } payment { amount { amount } } alreadyRecorded problem }
  errors { code field message } } }"""
ORDER = """query($id: ID!) { node(id: $id) { ... on Order { status promisedDispatchDate
  lines { job { status dueDate } } } } }"""
ACCOUNT = """query($c: ID) { companyAccount(companyId: $c) {
  owed { amount } paid { amount } prepaidBalance { amount } creditLimit { amount } } }"""
STATEMENT = """query($c: ID, $s: Date!, $e: Date!) { accountStatement(companyId: $c, start: $s, end: $e) {
  opening closing entries { kind reference debit credit balance } csv } }"""
METHODS = "{ paymentMethods }"
OFFER = """mutation($m: PaymentMethodCode!) { paymentMethodOfferSet(method: $m, offered: true) {
  offered errors { code } } }"""
RECORD = """mutation($i: PaymentRecordInput!) { paymentRecord(input: $i) {
  payment { amount { amount } orderId } errors { code field message } } }"""


async def _offer(engine: Any, *methods: str) -> None:
    uow = SqlUnitOfWork(session_factory(engine))
    try:
        async with uow:
            uow.session.add_all([PaymentMethodOffer(method=m) for m in methods])
            await uow.commit()
    finally:
        await uow.close()


async def test_credit_limit_turns_an_order_into_a_proposal_for_staff(client, as_user) -> None:  # type: ignore[no-untyped-def]
    boss = await as_user("boss.acme")
    staff = await login(client, "admin@shop.example")
    acme = await company_id(client, boss)
    first = await place(client, boss, "ON_ACCOUNT")
    assert first["errors"] == [] and first["order"]["status"] == "RELEASED"
    gross = first["order"]["gross"]["amount"]
    odd = """mutation($c: ID!) { companyCreditLimitSet(companyId: $c, creditLimit: 1, currency: "ÄÖÜ€")
      { errors { code field } } }"""
    refused_currency = (await gql(client, odd, {"c": acme}, token=staff))["data"]
    assert refused_currency["companyCreditLimitSet"]["errors"] == [
        {"code": "INVALID", "field": ["currency"]}
    ]
    limit = (await gql(client, CREDIT, {"c": acme, "l": gross + gross // 2}, token=staff))["data"]
    assert limit["companyCreditLimitSet"]["creditLimit"] == {"amount": gross + gross // 2}

    second = await place(client, boss, "ON_ACCOUNT")
    assert second["errors"] == []
    assert second["order"]["status"] == "PENDING_APPROVAL"
    assert second["order"]["history"][0]["reason"].startswith("credit limit exceeded")
    order_id = second["order"]["id"]
    # The customer's approver may not release it: the shop decides, with a typed error.
    refused = (await gql(client, APPROVE, {"id": order_id}, token=await as_user("acme")))["data"]
    assert [e["code"] for e in refused["orderApprove"]["errors"]] == ["STAFF_DECISION"]
    decided = (await gql(client, DECIDE, {"id": order_id}, token=staff))["data"]
    assert decided["orderStaffDecide"] == {"order": {"status": "RELEASED"}, "errors": []}
    again = (await gql(client, DECIDE, {"id": order_id}, token=staff))["data"]
    assert [e["code"] for e in again["orderStaffDecide"]["errors"]] == ["ALREADY_DECIDED"]


async def test_bank_statement_import_matches_two_payments_once(client, as_user, engine) -> None:  # type: ignore[no-untyped-def]
    boss = await as_user("boss.acme")
    staff = await login(client, "admin@shop.example")
    methods = (await gql(client, METHODS, token=boss))["data"]["paymentMethods"]
    assert methods == ["ON_ACCOUNT"]
    unsupported = await place(client, boss, "BANK_TRANSFER")
    assert [e["code"] for e in unsupported["errors"]] == ["UNSUPPORTED_PAYMENT_METHOD"]
    offer = await gql(client, OFFER, {"m": "BANK_TRANSFER"}, token=staff)
    assert offer["data"]["paymentMethodOfferSet"] == {"offered": True, "errors": []}
    methods = (await gql(client, METHODS, token=boss))["data"]["paymentMethods"]
    assert methods == ["BANK_TRANSFER", "ON_ACCOUNT"]
    orders = [await place(client, boss, "BANK_TRANSFER", q) for q in (500, 1000)]
    for o in orders:
        assert o["errors"] == [] and o["order"]["status"] == "AWAITING_PAYMENT"
    (a, b) = [o["order"] for o in orders]
    # Waiting for its money, an order has nothing in production yet.
    for o in (a, b):
        waiting = (await gql(client, ORDER, {"id": o["id"]}, token=staff))["data"]["node"]
        assert waiting["lines"] and all(line["job"] is None for line in waiting["lines"])
    csv = (
        "date;amount;currency;reference;transaction_id\n"
        f"2026-12-01;{a['gross']['amount'] / 100:.2f};EUR;Invoice {a['number']} ACME;tx-1\n"
        f"2026-12-01;{b['gross']['amount'] / 100:.2f};EUR;{b['number'].upper()};tx-2\n"
        "2026-12-02;-50.00;EUR;bank fees;tx-3\n"
        "2026-12-02;12.00;EUR;no reference here;tx-4\n"
    )
    lines = (await gql(client, IMPORT, {"csv": csv}, token=staff))["data"]["bankStatementImport"]
    assert lines["errors"] == []
    matched = [line for line in lines["lines"] if line["payment"]]
    assert [m["amount"]["amount"] for m in matched] == [a["gross"]["amount"], b["gross"]["amount"]]
    assert [line["problem"] for line in lines["lines"] if not line["payment"]] == [
        "The reference names no order or top-up."
    ]
    for o in (a, b):
        paid = (await gql(client, ORDER, {"id": o["id"]}, token=staff))["data"]["node"]
        assert paid["status"] == "RELEASED"
        # Released once paid: production's job, due on the date promised from the release.
        assert paid["promisedDispatchDate"] is not None
        due = [line["job"] and line["job"]["dueDate"] for line in paid["lines"]]
        assert due == [paid["promisedDispatchDate"]] * len(paid["lines"])
    replay = (await gql(client, IMPORT, {"csv": csv}, token=staff))["data"]["bankStatementImport"]
    assert [line["alreadyRecorded"] for line in replay["lines"] if line["payment"]] == [True, True]
    account = (await gql(client, ACCOUNT, {"c": None}, token=boss))["data"]["companyAccount"]
    assert account["owed"] == {"amount": 0}
    assert account["paid"] == {"amount": a["gross"]["amount"] + b["gross"]["amount"]}
    bad = (await gql(client, IMPORT, {"csv": "when,what\n1,2\n"}, token=staff))["data"]
    assert [e["code"] for e in bad["bankStatementImport"]["errors"]] == ["INVALID_STATEMENT_FILE"]


async def test_balance_and_statement_visibility_and_prepaid(client, as_user, engine) -> None:  # type: ignore[no-untyped-def]
    await _offer(engine, "PREPAID_BALANCE")
    boss = await as_user("boss.acme")
    buyer = await as_user("buyer.acme")
    globex = await as_user("globex")
    staff = await login(client, "admin@shop.example")
    acme = await company_id(client, boss)
    today = dt.date.today()
    period = {"s": str(today - dt.timedelta(days=1)), "e": str(today + dt.timedelta(days=1))}

    # Paying from an empty prepaid balance is refused with a typed error, nothing placed.
    refused = await place(client, boss, "PREPAID_BALANCE")
    assert [e["code"] for e in refused["errors"]] == ["PAYMENT_REFUSED"]
    top_up = {"key": "topup-1", "amount": 100_000, "companyId": acme, "reference": "TOPUP acme"}
    recorded = (await gql(client, RECORD, {"i": top_up}, token=staff))["data"]["paymentRecord"]
    assert recorded["errors"] == [] and recorded["payment"]["orderId"] is None
    paid = await place(client, boss, "PREPAID_BALANCE")
    assert paid["errors"] == [] and paid["order"]["status"] == "RELEASED"
    gross = paid["order"]["gross"]["amount"]
    on_account = await place(client, boss, "ON_ACCOUNT")
    owed = on_account["order"]["gross"]["amount"]

    mine = (await gql(client, ACCOUNT, {"c": None}, token=boss))["data"]["companyAccount"]
    assert mine == {
        "owed": {"amount": owed},
        "paid": {"amount": gross},
        "prepaidBalance": {"amount": 100_000 - gross},
        "creditLimit": None,
    }
    as_staff = (await gql(client, ACCOUNT, {"c": acme}, token=staff))["data"]["companyAccount"]
    assert as_staff == mine
    statement = (await gql(client, STATEMENT, {"c": acme, **period}, token=boss))["data"][
        "accountStatement"
    ]
    kinds = [(e["kind"], e["debit"], e["credit"]) for e in statement["entries"]]
    assert sorted(kinds) == sorted([("ORDER", gross, 0), ("PAYMENT", 0, gross), ("ORDER", owed, 0)])
    assert statement["opening"] == 0 and statement["closing"] == owed
    assert statement["csv"].splitlines()[0] == "date,kind,reference,debit,credit,balance,currency"
    assert f"CLOSING,,,,{owed / 100:.2f},EUR" in statement["csv"]

    # Hidden without VIEW_FINANCES and from another company (as if it did not exist).
    for token in (buyer, globex):
        seen = (await gql(client, ACCOUNT, {"c": acme}, token=token))["data"]["companyAccount"]
        assert seen is None
        seen = (await gql(client, STATEMENT, {"c": acme, **period}, token=token))["data"]
        assert seen["accountStatement"] is None
    assert (await gql(client, ACCOUNT, {"c": None}, token=buyer))["data"]["companyAccount"] is None
