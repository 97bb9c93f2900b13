"""The "invoice issued" notification end to end: an order delivered over the API issues its
invoice, the event stream sets off the notification jobs, and a real SMTP server (and a local
SMS provider) receive what each person of the company should get: the invoice itself (PDF) at
the company's invoice address, a notice to the users who see the company's finances, as they
chose it, and nothing to anyone else."""

from __future__ import annotations

from collections.abc import Iterator
from email.message import EmailMessage
from typing import Any

import pytest

from server.settings import Settings
from tests.api.notification_support import SmsProvider, subjects_to, text_of
from tests.api.test_invoices import completed_order, gid
from tests.factories import company_id, gql
from tests.integration.test_mail import SmtpServer

ALICE, BOB, BETTY = "purchasing@acme.example", "bob@acme.example", "betty@acme.example"
ACCOUNTS = "accounts@acme.example"
DELIVER = "mutation($id: ID!) { orderDeliver(id: $id) { order { status } errors { code } } }"
INVOICE_OF = """query($id: ID!) { node(id: $id) { ... on Order { invoicing {
  invoice { number grossTotal { amount } paymentDueDate } } } } }"""
PREFERENCES_UPDATE = """mutation($i: NotificationPreferencesUpdateInput!) {
  notificationPreferencesUpdate(input: $i) { preferences { event email sms } errors { code } } }"""
INVOICING_SET = """mutation($i: CompanyInvoicingSetInput!) { companyInvoicingSet(input: $i) {
  company { invoiceEmail } errors { code } } }"""


@pytest.fixture
def sms() -> Iterator[SmsProvider]:
    with SmsProvider() as provider:
        yield provider


@pytest.fixture
def settings(settings: Settings, smtp: SmtpServer, sms: SmsProvider) -> Settings:
    settings.smtp_host, settings.smtp_port = smtp.host, smtp.port
    settings.mail_from = "Print Shop <shop@print.example>"
    settings.embedded_worker = False
    settings.sms_api_url, settings.sms_account, settings.sms_token = sms.url, "AC42", "secret"
    return settings


async def deliver_order(client: Any, app: Any, engine: Any, admin: str) -> dict[str, Any]:
    """A completed order of ACME delivered by staff; every job run. Returns its invoice."""
    order = gid("Order", await completed_order(engine, "acme"))
    delivered = await gql(client, DELIVER, {"id": order}, token=admin)
    assert delivered["data"]["orderDeliver"]["errors"] == [], delivered
    await app.state.jobs.run_until_idle()
    found = await gql(client, INVOICE_OF, {"id": order}, token=admin)
    invoice = found["data"]["node"]["invoicing"]["invoice"]
    assert invoice is not None, found
    return dict(invoice)


def about(messages: list[EmailMessage], number: str) -> list[EmailMessage]:
    return [m for m in messages if number in str(m["Subject"])]


async def test_an_issued_invoice_tells_the_finance_users_as_they_chose(  # type: ignore[no-untyped-def]
    client, app, engine, as_user, smtp, sms
) -> None:
    admin, boss = await as_user("admin@shop.example"), await as_user("boss.acme")

    # Alice (the contact, so the invoice address) and Bob see ACME's finances; Betty does not.
    first = await deliver_order(client, app, engine, admin)
    number = first["number"]
    mails = about(smtp.inbox.messages, number)
    [document] = [m for m in mails if m["To"] == ALICE]
    assert document["Subject"] == f"Invoice {number} from Pressroom Print Shop"
    assert [a.get_content_type() for a in document.iter_attachments()] == ["application/pdf"]
    # Bob is told, with the amount and due date; Alice already has the invoice itself.
    [notice] = [m for m in mails if m["To"] == BOB]
    assert notice["Subject"] == f"Invoice {number}"
    gross = first["grossTotal"]["amount"]
    assert text_of(notice) == (
        f"Hello Bob Boss,\n\ninvoice {number} over {gross // 100}.{gross % 100:02d} EUR was "
        f"issued; it is due on {first['paymentDueDate']}.\n"
    )
    assert len(mails) == 2 and subjects_to(smtp.inbox.messages, BETTY) == []
    assert not any(m["To"].endswith("globex.example") for m in smtp.inbox.messages)

    # Invoices now go to the accounts address, and Bob chose SMS instead of e-mail.
    acme = await company_id(client, boss)
    moved = await gql(
        client, INVOICING_SET, {"i": {"companyId": acme, "invoiceEmail": ACCOUNTS}}, token=admin
    )
    assert moved["data"]["companyInvoicingSet"] == {
        "company": {"invoiceEmail": ACCOUNTS},
        "errors": [],
    }
    chosen = await gql(
        client,
        PREFERENCES_UPDATE,
        {
            "i": {
                "events": [{"event": "INVOICE_ISSUED", "email": False, "sms": True}],
                "phone": "+49 170 1234567",
            }
        },
        token=boss,
    )
    assert chosen["data"]["notificationPreferencesUpdate"]["errors"] == []

    second = (await deliver_order(client, app, engine, admin))["number"]
    mails = about(smtp.inbox.messages, second)
    assert sorted((m["To"], m["Subject"]) for m in mails) == [
        (ACCOUNTS, f"Invoice {second} from Pressroom Print Shop"),
        (ALICE, f"Invoice {second}"),
    ]
    assert [r.form["To"] for r in sms.requests] == ["+491701234567"]
    assert sms.requests[0].form["Body"] == f"Invoice {second} issued."
