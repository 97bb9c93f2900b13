"""The built-in texts of every kind of notification in English, Dutch and German.

A template reads ``recipient.name`` and ``event`` (the event's payload as recorded, e.g.
``event.number``, ``event.reason``); Staff override any of these per
language and channel through the API (templates.py). The English order texts are, word for
word, the mails the order services sent before notifications existed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from domain.notifications.kinds import NotificationEvent as E

LANGUAGES = ("en", "nl", "de")
FALLBACK_LANGUAGE = "en"


@dataclass(frozen=True, slots=True)
class TemplateText:
    subject: str
    body_text: str
    body_html: str | None = None
    sms_text: str | None = None


def _t(subject: str, greeting: str, body: str, sms: str) -> TemplateText:
    return TemplateText(subject, f"{greeting} {{{{ recipient.name }}}},\n\n{body}\n", None, sms)


EN, NL, DE = "Hello", "Beste", "Hallo"
N = "{{ event.number }}"
AMOUNT = "{{ event.amountText }}"
TOTAL, DUE = "{{ event.total }}", "{{ event.dueDate }}"
# For an order placed to be paid first (bank transfer, card).
_AWAITING = "{%% if event.status == 'AWAITING_PAYMENT' %%}\n\n%s{%% endif %%}"
_AWAITING_EN = _AWAITING % (
    "We start as soon as your payment has arrived. For a bank transfer, please give "
    f"{N} as the reference."
)
_AWAITING_NL = _AWAITING % (
    f"We beginnen zodra uw betaling binnen is. Vermeld bij een overschrijving {N} als referentie."
)
_AWAITING_DE = _AWAITING % (
    "Wir beginnen, sobald Ihre Zahlung eingegangen ist. Bitte geben Sie bei einer Überweisung "
    f"{N} als Verwendungszweck an."
)
# One line per parcel with its tracking number and link.
_PARCELS = (
    "{% for p in event.parcels %}\n- {{ loop.index }}: {{ p.trackingNumber }} "
    "{{ p.trackingUrl }}{% endfor %}"
)

DEFAULTS: dict[E, dict[str, TemplateText]] = {
    E.ORDER_RECEIVED: {
        "en": _t(
            f"Order {N} received",
            EN,
            f"thank you: we received your order {N}.{_AWAITING_EN}",
            f"Order {N} received.",
        ),
        "nl": _t(
            f"Bestelling {N} ontvangen",
            NL,
            f"bedankt: we hebben uw bestelling {N} ontvangen.{_AWAITING_NL}",
            f"Bestelling {N} ontvangen.",
        ),
        "de": _t(
            f"Bestellung {N} eingegangen",
            DE,
            f"vielen Dank: Ihre Bestellung {N} ist bei uns eingegangen.{_AWAITING_DE}",
            f"Bestellung {N} eingegangen.",
        ),
    },
    E.ORDER_AWAITING_APPROVAL: {
        "en": _t(
            f"Order proposal {N} awaits your approval",
            EN,
            f"an order proposal {N} waits for your approval.",
            f"Order proposal {N} awaits your approval.",
        ),
        "nl": _t(
            f"Bestelvoorstel {N} wacht op uw goedkeuring",
            NL,
            f"bestelvoorstel {N} wacht op uw goedkeuring.",
            f"Bestelvoorstel {N} wacht op goedkeuring.",
        ),
        "de": _t(
            f"Bestellvorschlag {N} wartet auf Ihre Freigabe",
            DE,
            f"der Bestellvorschlag {N} wartet auf Ihre Freigabe.",
            f"Bestellvorschlag {N} wartet auf Freigabe.",
        ),
    },
    E.ORDER_APPROVED: {
        "en": _t(
            f"Order {N} approved",
            EN,
            f"your order proposal {N} was approved and is now in our production queue.",
            f"Order {N} approved.",
        ),
        "nl": _t(
            f"Bestelling {N} goedgekeurd",
            NL,
            f"uw bestelvoorstel {N} is goedgekeurd en staat nu in onze productieplanning.",
            f"Bestelling {N} goedgekeurd.",
        ),
        "de": _t(
            f"Bestellung {N} freigegeben",
            DE,
            f"Ihr Bestellvorschlag {N} wurde "
            "freigegeben und ist jetzt in unserer Produktion eingeplant.",
            f"Bestellung {N} freigegeben.",
        ),
    },
    E.ORDER_REJECTED: {
        "en": _t(
            f"Order proposal {N} rejected",
            EN,
            f"your order proposal {N} was not approved.\nReason: {{{{ event.reason }}}}",
            f"Order proposal {N} rejected.",
        ),
        "nl": _t(
            f"Bestelvoorstel {N} afgewezen",
            NL,
            f"uw bestelvoorstel {N} is niet goedgekeurd.\nReden: {{{{ event.reason }}}}",
            f"Bestelvoorstel {N} afgewezen.",
        ),
        "de": _t(
            f"Bestellvorschlag {N} abgelehnt",
            DE,
            f"Ihr Bestellvorschlag {N} wurde nicht freigegeben.\nGrund: {{{{ event.reason }}}}",
            f"Bestellvorschlag {N} abgelehnt.",
        ),
    },
    E.ORDER_IN_PRODUCTION: {
        "en": _t(
            f"Order {N} is in production",
            EN,
            f"we started producing your order {N}.",
            f"Order {N} is in production.",
        ),
        "nl": _t(
            f"Bestelling {N} in productie",
            NL,
            f"we zijn begonnen met de productie van uw bestelling {N}.",
            f"Bestelling {N} in productie.",
        ),
        "de": _t(
            f"Bestellung {N} in Produktion",
            DE,
            f"wir haben mit der Produktion Ihrer Bestellung {N} begonnen.",
            f"Bestellung {N} in Produktion.",
        ),
    },
    E.ORDER_COMPLETED: {
        "en": _t(
            f"Order {N} is ready",
            EN,
            f"your order {N} is produced and ready to ship.",
            f"Order {N} is ready.",
        ),
        "nl": _t(
            f"Bestelling {N} is klaar",
            NL,
            f"uw bestelling {N} is geproduceerd en klaar voor verzending.",
            f"Bestelling {N} is klaar.",
        ),
        "de": _t(
            f"Bestellung {N} ist fertig",
            DE,
            f"Ihre Bestellung {N} ist produziert und versandbereit.",
            f"Bestellung {N} ist fertig.",
        ),
    },
    E.ORDER_DELIVERED: {
        "en": _t(
            f"Order {N} delivered", EN, f"your order {N} was delivered.", f"Order {N} delivered."
        ),
        "nl": _t(
            f"Bestelling {N} geleverd",
            NL,
            f"uw bestelling {N} is geleverd.",
            f"Bestelling {N} geleverd.",
        ),
        "de": _t(
            f"Bestellung {N} zugestellt",
            DE,
            f"Ihre Bestellung {N} wurde zugestellt.",
            f"Bestellung {N} zugestellt.",
        ),
    },
    E.FILE_PROBLEM: {
        "en": _t(
            f"Order {N}: we need a new file",
            EN,
            f"your order {N} waits for you:\n"
            "{{ event.problem }}\n\nPlease upload a corrected file for {{ event.jobTitle }}.",
            f"Order {N}: we need a new file.",
        ),
        "nl": _t(
            f"Bestelling {N}: we hebben een nieuw bestand nodig",
            NL,
            f"uw bestelling {N} "
            "wacht op u:\n{{ event.problem }}\n\nUpload een verbeterd bestand voor "
            "{{ event.jobTitle }}.",
            f"Bestelling {N}: nieuw bestand nodig.",
        ),
        "de": _t(
            f"Bestellung {N}: wir brauchen eine neue Datei",
            DE,
            f"Ihre Bestellung {N} "
            "wartet auf Sie:\n{{ event.problem }}\n\nBitte laden Sie eine korrigierte Datei "
            "für {{ event.jobTitle }} hoch.",
            f"Bestellung {N}: neue Datei nötig.",
        ),
    },
    E.ORDER_SHIPPED: {
        "en": _t(
            f"Order {N} shipped",
            EN,
            f"your order {N} was shipped{{% if event.partial %}} in part{{% endif %}} with "
            "{{ event.carrier }} (shipment {{ event.shipmentNumber }}).\nTracking:" + _PARCELS,
            f"Order {N} shipped: {{{{ event.trackingUrl }}}}",
        ),
        "nl": _t(
            f"Bestelling {N} verzonden",
            NL,
            f"uw bestelling {N} is{{% if event.partial %}} gedeeltelijk{{% endif %}} verzonden "
            "met {{ event.carrier }} (zending {{ event.shipmentNumber }}).\nTrack & trace:"
            + _PARCELS,
            f"Bestelling {N} verzonden: {{{{ event.trackingUrl }}}}",
        ),
        "de": _t(
            f"Bestellung {N} versandt",
            DE,
            f"Ihre Bestellung {N} wurde{{% if event.partial %}} teilweise{{% endif %}} mit "
            "{{ event.carrier }} versandt (Sendung {{ event.shipmentNumber }})."
            "\nSendungsverfolgung:" + _PARCELS,
            f"Bestellung {N} versandt: {{{{ event.trackingUrl }}}}",
        ),
    },
    E.QUOTE_SENT: {
        "en": _t(f"Your quote {N}", EN, f"your quote {N} is ready for you.", f"Quote {N} sent."),
        "nl": _t(
            f"Uw offerte {N}", NL, f"uw offerte {N} staat voor u klaar.", f"Offerte {N} verstuurd."
        ),
        "de": _t(
            f"Ihr Angebot {N}",
            DE,
            f"Ihr Angebot {N} liegt für Sie bereit.",
            f"Angebot {N} versandt.",
        ),
    },
    E.INVOICE_ISSUED: {
        "en": _t(
            f"Invoice {N}",
            EN,
            f"invoice {N} over {TOTAL} was issued; it is due on {DUE}.",
            f"Invoice {N} issued.",
        ),
        "nl": _t(
            f"Factuur {N}",
            NL,
            f"factuur {N} over {TOTAL} is opgemaakt; de vervaldatum is {DUE}.",
            f"Factuur {N} opgemaakt.",
        ),
        "de": _t(
            f"Rechnung {N}",
            DE,
            f"Rechnung {N} über {TOTAL} wurde ausgestellt; sie ist am {DUE} fällig.",
            f"Rechnung {N} ausgestellt.",
        ),
    },
    E.PAYMENT_RECEIVED: {
        "en": _t(
            "Payment received",
            EN,
            f"we received your payment of {AMOUNT}{{% if event.number %}} for order {N}"
            "{% endif %}. Thank you.",
            f"Payment of {AMOUNT} received, thank you.",
        ),
        "nl": _t(
            "Betaling ontvangen",
            NL,
            f"we hebben uw betaling van {AMOUNT}{{% if event.number %}} voor bestelling {N}"
            "{% endif %} ontvangen. Dank u.",
            f"Betaling van {AMOUNT} ontvangen, dank u.",
        ),
        "de": _t(
            "Zahlung erhalten",
            DE,
            f"wir haben Ihre Zahlung von {AMOUNT}{{% if event.number %}} für Bestellung {N}"
            "{% endif %} erhalten. Vielen Dank.",
            f"Zahlung von {AMOUNT} erhalten, danke.",
        ),
    },
    E.STAFF_NEW_ORDER: {
        "en": _t(
            f"New order {N}",
            EN,
            f"a new order {N} arrived (status {{{{ event.status }}}}).",
            f"New order {N}.",
        ),
    },
    E.STAFF_SUPPLIER_FAILURE: {
        "en": _t(
            "Supplier order failed",
            EN,
            "an order to {{ event.supplier }} failed: {{ event.error }}",
            "Supplier order failed.",
        ),
    },
    E.STAFF_PAYMENT_FAILED: {
        "en": _t(
            "Payment failed",
            EN,
            "a payment for invoice {{ event.invoiceNumber }} failed: {{ event.error }}",
            "Payment failed.",
        ),
    },
}

# Sample payloads: previews render with them, and saving a template renders it with them first
# (so a template that would fail on a real event is refused).
SAMPLES: dict[E, dict[str, Any]] = {
    E.ORDER_RECEIVED: {"orderId": 1, "number": "i-1001", "status": "RELEASED", "ordererId": 1},
    E.ORDER_AWAITING_APPROVAL: {
        "orderId": 1,
        "number": "i-1001",
        "status": "PENDING_APPROVAL",
        "ordererId": 1,
    },
    E.ORDER_APPROVED: {
        "orderId": 1,
        "number": "i-1001",
        "from": "PENDING_APPROVAL",
        "status": "RELEASED",
        "ordererId": 1,
        "reason": "approved",
    },
    E.ORDER_REJECTED: {
        "orderId": 1,
        "number": "i-1001",
        "from": "PENDING_APPROVAL",
        "status": "REJECTED",
        "ordererId": 1,
        "reason": "Over budget this quarter",
    },
    E.ORDER_IN_PRODUCTION: {
        "orderId": 1,
        "number": "i-1001",
        "from": "RELEASED",
        "status": "IN_PRODUCTION",
        "ordererId": 1,
        "reason": "",
    },
    E.ORDER_COMPLETED: {
        "orderId": 1,
        "number": "i-1001",
        "from": "IN_PRODUCTION",
        "status": "COMPLETED",
        "ordererId": 1,
        "reason": "",
    },
    E.ORDER_DELIVERED: {
        "orderId": 1,
        "number": "i-1001",
        "from": "SHIPPED",
        "status": "DELIVERED",
        "ordererId": 1,
        "reason": "",
        "shipmentId": 1,
        "shipmentNumber": "S-1001",
        "trackingNumber": "JD014600003828",
    },
    E.FILE_PROBLEM: {
        "orderId": 1,
        "number": "i-1001",
        "ordererId": 1,
        "jobId": 1,
        "jobTitle": "Flyers A5",
        "problem": "Images are 72 dpi",
    },
    E.ORDER_SHIPPED: {
        "orderId": 1,
        "number": "i-1001",
        "ordererId": 1,
        "shipmentId": 1,
        "shipmentNumber": "S-1001",
        "partial": False,
        "carrier": "DHL",
        "trackingNumber": "JD014600003828",
        "trackingUrl": "https://track.example/JD014600003828",
        "parcels": [
            {
                "trackingNumber": "JD014600003828",
                "trackingUrl": "https://track.example/JD014600003828",
            }
        ],
    },
    E.QUOTE_SENT: {"quoteId": 1, "number": "q-1001", "status": "SENT", "customerUserId": 1},
    E.INVOICE_ISSUED: {
        "invoiceId": 1,
        "number": "RE-2026-00001",
        "grossAmount": 11900,
        "currency": "EUR",
        "total": "119.00 EUR",
        "dueDate": "2026-12-31",
        "orderIds": [1],
        "orderId": 1,
    },
    E.PAYMENT_RECEIVED: {
        "paymentId": 1,
        "orderId": 1,
        "number": "i-1001",
        "ordererId": 1,
        "amount": 11900,
        "currency": "EUR",
        "amountText": "EUR 119.00",
        "method": "CARD",
    },
    E.STAFF_NEW_ORDER: {"orderId": 1, "number": "i-1001", "status": "RELEASED", "ordererId": 1},
    E.STAFF_SUPPLIER_FAILURE: {
        "purchaseOrderId": 1,
        "supplier": "Paper Mill Ltd",
        "error": "HTTP 503",
    },
    E.STAFF_PAYMENT_FAILED: {
        "paymentId": 1,
        "invoiceNumber": "2026-0001",
        "amount": "€ 119.00",
        "error": "card_declined",
    },
}


def default_text(event: E, language: str) -> TemplateText:
    """The built-in text in ``language``, else English."""
    texts = DEFAULTS[event]
    return texts.get(language) or texts[FALLBACK_LANGUAGE]
