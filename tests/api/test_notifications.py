"""Notifications end to end: GraphQL over HTTP, the event stream, the notification jobs, the
mail outbox and a real SMTP server (aiosmtpd), and SMS to a local Twilio-compatible server."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select, text

from adapters.db import SqlUnitOfWork, session_factory
from domain.events.models import Event
from domain.notifications.delivery import dispatch_event
from server.settings import Settings
from tests.api.notification_support import (
    DELIVER,
    FLAG,
    REJECT,
    SmsProvider,
    approve,
    basic_auth,
    html_of,
    produce,
    propose,
    subjects_to,
    text_of,
)
from tests.factories import gql
from tests.integration.test_mail import SmtpServer

STAFF_ALERTS = "orders@shop.example"
BUYER, BOSS, ALICE = "betty@acme.example", "bob@acme.example", "purchasing@acme.example"

MY_PREFERENCES = "{ myNotificationPreferences { event email sms } }"
PREFERENCES_UPDATE = """mutation($i: NotificationPreferencesUpdateInput!) {
  notificationPreferencesUpdate(input: $i) {
    preferences { event email sms } errors { code field message } } }"""
DEFAULTS_UPDATE = """mutation($i: CompanyNotificationDefaultsUpdateInput!) {
  companyNotificationDefaultsUpdate(input: $i) {
    preferences { event email sms } errors { code field message } } }"""
TEMPLATE = """query($e: NotificationEvent!, $l: String!) { notificationTemplate(event: $e, language: $l) {
  event language subject bodyText bodyHtml smsText isDefault } }"""
TEMPLATE_UPDATE = """mutation($i: NotificationTemplateInput!) { notificationTemplateUpdate(input: $i) {
  notificationTemplate { event language subject bodyHtml isDefault } errors { code field message } } }"""
TEMPLATE_RESET = """mutation($i: NotificationTemplateResetInput!) { notificationTemplateReset(input: $i) {
  notificationTemplate { subject isDefault } errors { code field } } }"""
PREVIEW = """query($i: NotificationTemplatePreviewInput!) { notificationTemplatePreview(input: $i) {
  preview { subject bodyText bodyHtml smsText } errors { code field message } } }"""


@pytest.fixture
def sms() -> Iterator[SmsProvider]:
    with SmsProvider() as provider:
        yield provider


@pytest.fixture
def settings(
    settings: Settings, smtp: SmtpServer, sms: SmsProvider, request: pytest.FixtureRequest
) -> Settings:
    settings.smtp_host, settings.smtp_port = smtp.host, smtp.port
    settings.mail_from = "Print Shop <shop@print.example>"
    settings.embedded_worker = False
    settings.staff_alert_email = getattr(request, "param", {}).get(
        "staff_alert_email", STAFF_ALERTS
    )
    settings.sms_api_url, settings.sms_account, settings.sms_token = sms.url, "AC42", "secret"
    settings.sms_from = "PrintShop"
    return settings


async def deliver(app: Any, smtp: SmtpServer) -> list[Any]:
    """Run every due job (dispatch, deliver, mail.send) and return what arrived so far."""
    await app.state.jobs.run_until_idle()
    return smtp.inbox.messages


async def test_every_order_event_is_mailed_to_the_right_people(  # type: ignore[no-untyped-def]
    client, as_user, app, smtp, engine
) -> None:
    buyer, boss = await as_user("buyer.acme"), await as_user("boss.acme")
    maker, admin = await as_user("maker@shop.example"), await as_user("admin@shop.example")

    # A proposal: the approvers (not the proposer) are asked; the shop is alerted.
    order = await propose(client, buyer)
    mails = await deliver(app, smtp)
    awaiting = f"Order proposal {order['number']} awaits your approval"
    assert subjects_to(mails, BOSS) == [awaiting] and subjects_to(mails, ALICE) == [awaiting]
    assert subjects_to(mails, BUYER) == []
    assert subjects_to(mails, STAFF_ALERTS) == [f"New order {order['number']}"]

    # Approved, in production, completed, delivered: each tells the proposer.
    released = await approve(client, boss, order["id"])
    await produce(client, maker, released)
    delivered = await gql(client, DELIVER, {"id": order["id"]}, token=admin)
    assert delivered["data"]["orderDeliver"]["errors"] == []
    mails = await deliver(app, smtp)
    n = order["number"]
    # Jobs run concurrently: mail arrives in any order.
    assert sorted(subjects_to(mails, BUYER)) == sorted(
        [
            f"Order {n} approved",
            f"Order {n} is in production",
            f"Order {n} is ready",
            f"Order {n} delivered",
        ]
    )
    # The approval mail says what it said before notifications existed, word for word.
    [approved] = [m for m in mails if m["Subject"] == f"Order {n} approved"]
    assert text_of(approved) == (
        f"Hello Betty Buyer,\n\nyour order proposal {n} was approved and is now in our "
        "production queue.\n"
    )
    assert approved["From"] == "Print Shop <shop@print.example>"

    # Rejected, with the reason.
    second = await propose(client, buyer)
    rejected = await gql(client, REJECT, {"id": second["id"], "reason": "Over budget"}, token=boss)
    assert rejected["data"]["orderReject"]["errors"] == []
    # Received (a binding order), and a file problem on it.
    own = await propose(client, boss)
    assert own["status"] == "RELEASED"
    job_id = own["lines"][0]["job"]["id"]
    flagged = await gql(
        client, FLAG, {"i": {"jobId": job_id, "problem": "Images are 72 dpi"}}, token=maker
    )
    assert flagged["data"]["orderFileFlagProblem"]["errors"] == []
    mails = await deliver(app, smtp)
    [rejection] = [
        m for m in mails if m["Subject"] == f"Order proposal {second['number']} rejected"
    ]
    assert rejection["To"] == BUYER
    assert text_of(rejection) == (
        f"Hello Betty Buyer,\n\nyour order proposal {second['number']} was not approved.\n"
        "Reason: Over budget\n"
    )
    assert {
        f"Order proposal {second['number']} awaits your approval",
        f"Order {own['number']} received",
        f"Order {own['number']}: we need a new file",
    } <= set(subjects_to(mails, BOSS))
    [problem] = [m for m in mails if m["Subject"] == f"Order {own['number']}: we need a new file"]
    assert "Images are 72 dpi\n\nPlease upload a corrected file for" in text_of(problem)

    # A replay of every event sends nothing twice.
    before = len(mails)
    async with engine.connect() as conn:
        event_ids = (await conn.execute(select(Event.id).order_by(Event.id))).scalars().all()
    for event_id in event_ids:
        uow = SqlUnitOfWork(session_factory(engine))
        try:
            assert await dispatch_event(uow, event_id, STAFF_ALERTS) == 0
        finally:
            await uow.close()
    assert len(await deliver(app, smtp)) == before
    async with engine.connect() as conn:
        unsent = await conn.scalar(text("SELECT count(*) FROM notification WHERE sent_at IS NULL"))
    assert unsent == 0


async def test_preferences_choose_channels_and_language_and_sms_goes_to_the_provider(  # type: ignore[no-untyped-def]
    client, as_user, app, smtp, sms
) -> None:
    buyer, boss = await as_user("buyer.acme"), await as_user("boss.acme")
    acme, maker = await as_user("acme"), await as_user("maker@shop.example")

    # The company's default (MANAGE_USERS): no mail when production starts.
    denied = await gql(
        client,
        DEFAULTS_UPDATE,
        {"i": {"events": [{"event": "ORDER_IN_PRODUCTION", "email": False, "sms": False}]}},
        token=boss,
    )
    assert [e["code"] for e in denied["data"]["companyNotificationDefaultsUpdate"]["errors"]] == [
        "PERMISSION_DENIED"
    ]
    defaults = await gql(
        client,
        DEFAULTS_UPDATE,
        {"i": {"events": [{"event": "ORDER_IN_PRODUCTION", "email": False, "sms": False}]}},
        token=acme,
    )
    assert defaults["data"]["companyNotificationDefaultsUpdate"]["errors"] == []

    # The buyer's own choice: the approval by SMS only; mail in Dutch.
    bad = await gql(
        client,
        PREFERENCES_UPDATE,
        {"i": {"events": [], "phone": "0612", "language": "fr"}},
        token=buyer,
    )
    assert sorted(
        (e["code"], e["field"]) for e in bad["data"]["notificationPreferencesUpdate"]["errors"]
    ) == [("INVALID_PHONE", ["phone"]), ("UNSUPPORTED_LANGUAGE", ["language"])]
    staff_alert = await gql(
        client,
        PREFERENCES_UPDATE,
        {"i": {"events": [{"event": "STAFF_NEW_ORDER", "email": False, "sms": False}]}},
        token=buyer,
    )
    assert staff_alert["data"]["notificationPreferencesUpdate"]["errors"][0]["code"] == (
        "PERMISSION_DENIED"
    )
    updated = await gql(
        client,
        PREFERENCES_UPDATE,
        {
            "i": {
                "events": [{"event": "ORDER_APPROVED", "email": False, "sms": True}],
                "phone": "+31 612345678",
                "language": "nl",
            }
        },
        token=buyer,
    )
    assert updated["data"]["notificationPreferencesUpdate"]["errors"] == []
    mine = {
        p["event"]: (p["email"], p["sms"])
        for p in (await gql(client, MY_PREFERENCES, token=buyer))["data"][
            "myNotificationPreferences"
        ]
    }
    assert mine["ORDER_APPROVED"] == (False, True)
    assert mine["ORDER_IN_PRODUCTION"] == (False, False)  # the company default
    assert mine["ORDER_COMPLETED"] == (True, False)  # built in
    assert "STAFF_NEW_ORDER" not in mine
    me = await gql(
        client, "{ me { ... on PortalUser { phone language company { language } } } }", token=buyer
    )
    assert me["data"]["me"] == {
        "phone": "+31612345678",
        "language": "nl",
        "company": {"language": None},
    }
    company = await gql(client, "{ companyNotificationDefaults { event email } }", token=buyer)
    assert {"event": "ORDER_IN_PRODUCTION", "email": False} in company["data"][
        "companyNotificationDefaults"
    ]

    order = await propose(client, buyer)
    released = await approve(client, boss, order["id"])
    await produce(client, maker, released)
    mails = await deliver(app, smtp)
    n = order["number"]
    assert subjects_to(mails, BUYER) == [f"Bestelling {n} is klaar"]
    [ready] = [m for m in mails if m["To"] == BUYER]
    assert text_of(ready).startswith("Beste Betty Buyer,\n\nuw bestelling")

    [request] = sms.requests
    assert request.path == "/2010-04-01/Accounts/AC42/Messages.json"
    assert request.authorization == basic_auth("AC42", "secret")
    assert request.form == {
        "To": "+31612345678",
        "From": "PrintShop",
        "Body": f"Bestelling {n} goedgekeurd.",
    }
    assert request.idempotency_key.startswith("notification:")


async def test_staff_edit_preview_and_reset_templates(  # type: ignore[no-untyped-def]
    client, as_user, app, smtp
) -> None:
    admin, buyer, boss = (
        await as_user("admin@shop.example"),
        await as_user("buyer.acme"),
        await as_user("boss.acme"),
    )
    shown = (await gql(client, TEMPLATE, {"e": "ORDER_REJECTED", "l": "de"}, token=admin))["data"]
    assert shown["notificationTemplate"]["isDefault"] is True
    assert shown["notificationTemplate"]["subject"] == (
        "Bestellvorschlag {{ event.number }} abgelehnt"
    )

    # Preview: rendered with a sample event, or typed errors per field.
    preview = await gql(
        client,
        PREVIEW,
        {
            "i": {
                "event": "ORDER_REJECTED",
                "subject": "Declined: {{ event.number }}",
                "bodyText": "Dear {{ recipient.name }}: {{ event.reason }}",
                "bodyHtml": "<p>{{ event.reason }}</p>",
            }
        },
        token=admin,
    )
    assert preview["data"]["notificationTemplatePreview"] == {
        "preview": {
            "subject": "Declined: i-1001",
            "bodyText": "Dear Bea Buyer: Over budget this quarter",
            "bodyHtml": "<p>Over budget this quarter</p>",
            "smsText": None,
        },
        "errors": [],
    }
    broken = await gql(
        client,
        PREVIEW,
        {
            "i": {
                "event": "ORDER_REJECTED",
                "subject": "{{ event.numbr }}",
                "bodyText": "{% if %}",
                "bodyHtml": "{{ recipient.__class__.__mro__ }}",
            }
        },
        token=admin,
    )
    payload = broken["data"]["notificationTemplatePreview"]
    assert payload["preview"] is None
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [
        ("TEMPLATE_UNDEFINED", ["subject"]),
        ("TEMPLATE_SYNTAX", ["bodyText"]),
        ("TEMPLATE_UNSAFE", ["bodyHtml"]),
    ]
    assert payload["errors"][1]["message"].startswith("Line 1:")

    # Saving a broken template is refused with the same errors; customers cannot edit.
    refused = await gql(
        client,
        TEMPLATE_UPDATE,
        {"i": {"event": "ORDER_REJECTED", "language": "en", "subject": "{{", "bodyText": "x"}},
        token=admin,
    )
    assert [e["code"] for e in refused["data"]["notificationTemplateUpdate"]["errors"]] == [
        "TEMPLATE_SYNTAX"
    ]
    forbidden = await gql(
        client,
        TEMPLATE_UPDATE,
        {"i": {"event": "ORDER_REJECTED", "language": "en", "subject": "x", "bodyText": "x"}},
        token=boss,
        expect_errors=True,
    )
    assert forbidden["errors"][0]["extensions"]["code"] == "FORBIDDEN"

    saved = await gql(
        client,
        TEMPLATE_UPDATE,
        {
            "i": {
                "event": "ORDER_REJECTED",
                "language": "en",
                "subject": "Declined: {{ event.number }}",
                "bodyText": "Dear {{ recipient.name }}, sorry: {{ event.reason }}\n",
                "bodyHtml": "<p>Dear {{ recipient.name }}, sorry: {{ event.reason }}</p>",
            }
        },
        token=admin,
    )
    assert saved["data"]["notificationTemplateUpdate"]["errors"] == []
    assert saved["data"]["notificationTemplateUpdate"]["notificationTemplate"]["isDefault"] is False

    order = await propose(client, buyer)
    reason = "<b>too expensive</b> & late"
    rejected = await gql(client, REJECT, {"id": order["id"], "reason": reason}, token=boss)
    assert rejected["data"]["orderReject"]["errors"] == []
    [mail] = [m for m in await deliver(app, smtp) if m["To"] == BUYER]
    assert mail["Subject"] == f"Declined: {order['number']}"
    assert text_of(mail) == f"Dear Betty Buyer, sorry: {reason}\n"
    # The HTML part is escaped: a reason can never inject markup.
    html = html_of(mail)
    assert html is not None
    assert "<p>Dear Betty Buyer, sorry: &lt;b&gt;too expensive&lt;/b&gt; &amp; late</p>" in html

    reset = await gql(
        client, TEMPLATE_RESET, {"i": {"event": "ORDER_REJECTED", "language": "en"}}, token=admin
    )
    assert reset["data"]["notificationTemplateReset"] == {
        "notificationTemplate": {
            "subject": "Order proposal {{ event.number }} rejected",
            "isDefault": True,
        },
        "errors": [],
    }


@pytest.mark.parametrize("settings", [{"staff_alert_email": None}], indirect=True)
async def test_without_a_staff_address_no_alert_is_sent(  # type: ignore[no-untyped-def]
    client, as_user, app, smtp, settings: Settings
) -> None:
    assert settings.staff_alert_email is None
    boss = await as_user("boss.acme")
    order = await propose(client, boss)
    mails = await deliver(app, smtp)
    assert [(m["To"], m["Subject"]) for m in mails] == [(BOSS, f"Order {order['number']} received")]


async def test_a_channel_template_wins_over_the_template_for_all_channels(  # type: ignore[no-untyped-def]
    client, as_user, app, smtp
) -> None:
    admin, boss = await as_user("admin@shop.example"), await as_user("boss.acme")
    channels = (await gql(client, "{ channels { id code } }", token=admin))["data"]["channels"]
    main = next(c["id"] for c in channels if c["code"] == "main")

    def template(subject: str, channel: str | None) -> dict[str, Any]:
        return {
            "i": {
                "event": "ORDER_RECEIVED",
                "language": "en",
                "channelId": channel,
                "subject": subject,
                "bodyText": "Thanks, {{ recipient.name }}.",
            }
        }

    for subject, channel in (("All: {{ event.number }}", None), ("Main: {{ event.number }}", main)):
        saved = await gql(client, TEMPLATE_UPDATE, template(subject, channel), token=admin)
        assert saved["data"]["notificationTemplateUpdate"]["errors"] == []
    unknown = await gql(client, TEMPLATE_UPDATE, template("x", "Q2hhbm5lbDo5OTk5OTk="), token=admin)
    assert [
        (e["code"], e["field"]) for e in unknown["data"]["notificationTemplateUpdate"]["errors"]
    ] == [("NOT_FOUND", ["channelId"])]

    order = await propose(client, boss)
    [mail] = [m for m in await deliver(app, smtp) if m["To"] == BOSS]
    assert mail["Subject"] == f"Main: {order['number']}"
    assert text_of(mail) == "Thanks, Bob Boss.\n"  # a message body ends with a newline
