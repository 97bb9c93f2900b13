"""The notification registry and its built-in texts, without a database: every kind has a
template that renders with its sample event in every shipped language, and templates run in
the sandbox (typed errors; HTML escaped, text not)."""

from __future__ import annotations

import pytest

from domain.events.followers import followers_of
from domain.notifications.defaults import DEFAULTS, LANGUAGES, SAMPLES, TemplateText, default_text
from domain.notifications.errors import NotificationErrorCode as Code
from domain.notifications.kinds import (
    NotificationEvent,
    Recipients,
    all_kinds,
    followed_topic,
    kind_of,
    kinds_for,
    register,
    switch_on,
)
from domain.notifications.rendering import render
from domain.notifications.templates import sample_context
from domain.shared.errors import DomainError

CUSTOMER_KINDS = [k.event for k in all_kinds() if not k.to_staff]


def test_every_kind_is_registered_once_with_texts_and_a_sample() -> None:
    assert {k.event for k in all_kinds()} == set(NotificationEvent)
    assert set(DEFAULTS) == set(NotificationEvent) == set(SAMPLES)


@pytest.mark.parametrize("event", CUSTOMER_KINDS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_customer_kinds_ship_in_english_dutch_and_german(
    event: NotificationEvent, language: str
) -> None:
    text = DEFAULTS[event][language]
    rendered = render(text, sample_context(event))
    assert "Bea Buyer" in rendered.body_text
    assert rendered.subject and rendered.sms_text


@pytest.mark.parametrize("event", [k.event for k in all_kinds() if k.to_staff])
def test_staff_alerts_render_in_english_for_any_language(event: NotificationEvent) -> None:
    assert default_text(event, "nl") is DEFAULTS[event]["en"]
    assert render(default_text(event, "de"), sample_context(event)).subject


@pytest.mark.parametrize(
    ("topic", "payload", "expected"),
    [
        ("order.placed", {"status": "RELEASED"}, {"ORDER_RECEIVED", "STAFF_NEW_ORDER"}),
        (
            "order.placed",
            {"status": "AWAITING_PAYMENT"},
            {"ORDER_RECEIVED", "STAFF_NEW_ORDER"},
        ),
        (
            "order.placed",
            {"status": "PENDING_APPROVAL"},
            {"ORDER_AWAITING_APPROVAL", "STAFF_NEW_ORDER"},
        ),
        (
            "order.status_changed",
            {"from": "PENDING_APPROVAL", "status": "RELEASED"},
            {"ORDER_APPROVED"},
        ),
        (
            "order.status_changed",
            {"from": "PENDING_APPROVAL", "status": "REJECTED"},
            {"ORDER_REJECTED"},
        ),
        (
            "order.status_changed",
            {"from": "RELEASED", "status": "IN_PRODUCTION"},
            {"ORDER_IN_PRODUCTION"},
        ),
        (
            "order.status_changed",
            {"from": "IN_PRODUCTION", "status": "COMPLETED"},
            {"ORDER_COMPLETED"},
        ),
        ("order.status_changed", {"from": "COMPLETED", "status": "DELIVERED"}, {"ORDER_DELIVERED"}),
        # Delivered by a shipment: told by shipment.delivered, not again by the order's move.
        (
            "order.status_changed",
            {"from": "SHIPPED", "status": "DELIVERED", "system": True},
            set(),
        ),
        ("shipment.shipped", {}, {"ORDER_SHIPPED"}),
        ("shipment.delivered", {}, {"ORDER_DELIVERED"}),
        ("order.status_changed", {"from": "RELEASED", "status": "CANCELLED"}, set()),
        ("order.file_problem", {}, {"FILE_PROBLEM"}),
        ("payment.received", {}, {"PAYMENT_RECEIVED"}),
        ("invoice.issued", {"invoiceId": 1}, {"INVOICE_ISSUED"}),
        ("quote.status", {"status": "SENT", "action": "sent", "customerUserId": 3}, {"QUOTE_SENT"}),
        ("quote.status", {"status": "SENT", "action": "sent", "customerUserId": None}, set()),
        ("quote.status", {"status": "DRAFT", "action": "revised", "customerUserId": 3}, set()),
        # Waiting for their areas: nothing until switched on.
        ("payment.failed", {}, set()),
    ],
)
def test_an_event_sets_off_its_kinds(
    topic: str, payload: dict[str, str], expected: set[str]
) -> None:
    assert {k.event.name for k in kinds_for(topic, payload)} == expected


def test_a_waiting_kind_is_followed_once_switched_on() -> None:
    kind = kind_of(NotificationEvent.STAFF_PAYMENT_FAILED)
    assert not followed_topic("payment.failed")
    try:
        switch_on(NotificationEvent.STAFF_PAYMENT_FAILED)
        assert followed_topic("payment.failed")
        assert [f.task for f in followers_of("payment.failed")] == ["notifications.dispatch"]
        assert [k.recipients for k in kinds_for("payment.failed", {})] == [Recipients.STAFF]
    finally:
        register(kind)
    assert followers_of("payment.failed") == []


def test_an_issued_invoice_is_followed_and_goes_to_the_finance_users() -> None:
    assert followed_topic("invoice.issued")
    assert [f.task for f in followers_of("invoice.issued")] == ["notifications.dispatch"]
    assert kind_of(NotificationEvent.INVOICE_ISSUED).recipients is Recipients.FINANCE


def _errors(text: TemplateText) -> list[tuple[Code, tuple[str, ...] | None]]:
    with pytest.raises(DomainError) as caught:
        render(text, sample_context(NotificationEvent.ORDER_REJECTED))
    return [(d.code, d.field) for d in caught.value.details]  # type: ignore[misc]


def test_template_errors_are_typed_per_field() -> None:
    assert _errors(
        TemplateText("{{ event.nope }}", "{% for %}", "{{ ().__class__ }}", "{{ 1/0 }}")
    ) == [
        (Code.TEMPLATE_UNDEFINED, ("subject",)),
        (Code.TEMPLATE_SYNTAX, ("bodyText",)),
        (Code.TEMPLATE_UNSAFE, ("bodyHtml",)),
        (Code.TEMPLATE_ERROR, ("smsText",)),
    ]


def test_html_is_escaped_and_text_is_not() -> None:
    context = {"recipient": {"name": "<Bea & Co>"}, "event": {"number": "i-1"}}
    text = TemplateText(
        "Hi {{ recipient.name }}\nagain", "{{ recipient.name }}", "<b>{{ recipient.name }}</b>"
    )
    rendered = render(text, context)
    assert rendered.subject == "Hi <Bea & Co> again"  # one line, whatever the data holds
    assert rendered.body_text == "<Bea & Co>"
    assert rendered.body_html == "<b>&lt;Bea &amp; Co&gt;</b>"


def test_an_oversized_template_is_refused_before_it_is_parsed() -> None:
    assert _errors(TemplateText("x", "{{ event.number }}" * 2_000)) == [
        (Code.TEMPLATE_ERROR, ("bodyText",))
    ]
