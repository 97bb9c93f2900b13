"""What is notified: one registered entry per kind of notification.

An entry names the event-stream topic it follows and a condition on the event's payload, the
template it is written with (its ``key``, also the name staff edit it under and users choose it
by) and the rule that finds its recipients (`recipients.py`). Adding a kind is adding an entry
here (and its default texts in `defaults.py`); `live=False` entries wait for their topic: they
follow nothing until switched on with `switch_on` (or ``live=True`` once the area that records
the topic has landed).

Topics and the payload fields the entries read (``payment.failed`` and ``supplier.*``
entries still wait for their switch):

- ``order.placed`` {orderId, number, status, ordererId}
- ``order.status_changed`` {orderId, number, from, status, ordererId, reason, system}
- ``order.file_problem`` {orderId, number, ordererId, jobId, jobTitle, problem}
- ``shipment.shipped`` {orderId, number, ordererId, shipmentId, shipmentNumber, partial, carrier,
  trackingNumber, trackingUrl, parcels: [{trackingNumber, trackingUrl}]}
- ``shipment.delivered`` {orderId, number, ordererId, shipmentId, shipmentNumber,
  trackingNumber}
- ``quote.status`` {quoteId, number, status, action, channelId, customerUserId}
  (domain/quotes/history.py; a sending has action ``sent``)
- ``invoice.issued`` {invoiceId, number, total, dueDate, orderIds; orderId for an invoice of
  one order} (domain/billing/issuing.py)
- ``payment.received`` {paymentId, orderId, number, ordererId, amount, currency, amountText,
  method} (number and ordererId null for a top-up of the prepaid balance)
- ``payment.failed`` {paymentId, invoiceNumber, amount, error}
- ``supplier.order_failed`` {purchaseOrderId, supplier, error}
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any


class NotificationEvent(enum.StrEnum):
    """The kinds of notification; the value is the template key."""

    ORDER_RECEIVED = "order_received"
    ORDER_AWAITING_APPROVAL = "order_awaiting_approval"
    ORDER_APPROVED = "order_approved"
    ORDER_REJECTED = "order_rejected"
    ORDER_IN_PRODUCTION = "order_in_production"
    ORDER_COMPLETED = "order_completed"
    ORDER_DELIVERED = "order_delivered"
    FILE_PROBLEM = "file_problem"
    ORDER_SHIPPED = "order_shipped"
    QUOTE_SENT = "quote_sent"
    INVOICE_ISSUED = "invoice_issued"
    PAYMENT_RECEIVED = "payment_received"
    STAFF_NEW_ORDER = "staff_new_order"
    STAFF_SUPPLIER_FAILURE = "staff_supplier_failure"
    STAFF_PAYMENT_FAILED = "staff_payment_failed"


class Recipients(enum.StrEnum):
    """Who an entry goes to (recipients.py resolves each)."""

    ORDERER = "ORDERER"  # the user who placed the order (payload ordererId)
    APPROVERS = "APPROVERS"  # the company's active users with APPROVE_ORDERS
    CUSTOMER = "CUSTOMER"  # payload customerUserId or ordererId, else the company contact
    FINANCE = "FINANCE"  # the company's active users with VIEW_FINANCES (recipients.py)
    STAFF = "STAFF"  # the shop's configured alert address


Condition = Callable[[dict[str, Any]], bool]


def _always(payload: dict[str, Any]) -> bool:
    return True


@dataclass(frozen=True, slots=True)
class NotificationKind:
    event: NotificationEvent
    topic: str
    recipients: Recipients
    when: Condition = _always
    live: bool = True

    @property
    def template_key(self) -> str:
        return self.event.value

    @property
    def to_staff(self) -> bool:
        return self.recipients is Recipients.STAFF


def _placed(*statuses: str) -> Condition:
    return lambda p: p.get("status") in statuses


def _moved(to: str, *, came_from: str | None = None) -> Condition:
    return lambda p: p.get("status") == to and (came_from is None or p.get("from") == came_from)


def _sent(payload: dict[str, Any]) -> bool:
    return (
        payload.get("status") == "SENT"
        and payload.get("action") == "sent"
        and bool(payload.get("customerUserId"))
    )


# One entry per kind and topic: a kind may follow more than one topic (delivered: a shipment
# that arrived, or an order delivered by hand), each with its own condition.
_KINDS: dict[tuple[NotificationEvent, str], NotificationKind] = {}


def register(kind: NotificationKind) -> None:
    """Add or replace the entry for ``kind.event`` on ``kind.topic``."""
    _KINDS[(kind.event, kind.topic)] = kind


def switch_on(event: NotificationEvent) -> None:
    """Make a waiting kind follow its topics (its area has landed)."""
    for key, kind in list(_KINDS.items()):
        if kind.event is event:
            _KINDS[key] = replace(kind, live=True)


def kind_of(event: NotificationEvent) -> NotificationKind:
    """The kind's first entry (its template key and recipients are the same on every topic)."""
    return next(k for k in _KINDS.values() if k.event is event)


def all_kinds() -> list[NotificationKind]:
    """One entry per kind."""
    return list({k.event: k for k in reversed(_KINDS.values())}.values())[::-1]


def kinds_for(topic: str, payload: dict[str, Any]) -> list[NotificationKind]:
    """The live entries an event of ``topic`` with ``payload`` sets off."""
    return [k for k in _KINDS.values() if k.live and k.topic == topic and k.when(payload)]


def followed_topic(topic: str) -> bool:
    """Whether some live entry follows ``topic`` (the event-stream follower's filter)."""
    return any(k.live and k.topic == topic for k in _KINDS.values())


STATUS = "order.status_changed"
for _kind in (
    NotificationKind(
        NotificationEvent.ORDER_RECEIVED,
        "order.placed",
        Recipients.ORDERER,
        # An order that waits for its payment (bank transfer, card) is received all the same:
        # its mail says that work starts when the money is in, and the transfer reference.
        _placed("RELEASED", "AWAITING_PAYMENT"),
    ),
    NotificationKind(
        NotificationEvent.ORDER_AWAITING_APPROVAL,
        "order.placed",
        Recipients.APPROVERS,
        _placed("PENDING_APPROVAL"),
    ),
    NotificationKind(
        NotificationEvent.ORDER_APPROVED,
        STATUS,
        Recipients.ORDERER,
        _moved("RELEASED", came_from="PENDING_APPROVAL"),
    ),
    NotificationKind(
        NotificationEvent.ORDER_REJECTED, STATUS, Recipients.ORDERER, _moved("REJECTED")
    ),
    NotificationKind(
        NotificationEvent.ORDER_IN_PRODUCTION, STATUS, Recipients.ORDERER, _moved("IN_PRODUCTION")
    ),
    NotificationKind(
        NotificationEvent.ORDER_COMPLETED, STATUS, Recipients.ORDERER, _moved("COMPLETED")
    ),
    # Delivered: each shipment that arrived (domain/fulfilment), and an order staff delivered
    # by hand; the order status a delivered shipment moves on is the system's, not told twice.
    NotificationKind(NotificationEvent.ORDER_DELIVERED, "shipment.delivered", Recipients.ORDERER),
    NotificationKind(
        NotificationEvent.ORDER_DELIVERED,
        STATUS,
        Recipients.ORDERER,
        lambda p: p.get("status") == "DELIVERED" and not p.get("system"),
    ),
    NotificationKind(NotificationEvent.FILE_PROBLEM, "order.file_problem", Recipients.ORDERER),
    NotificationKind(NotificationEvent.STAFF_NEW_ORDER, "order.placed", Recipients.STAFF),
    # The invoice itself (PDF with the e-invoice inside) is mailed by billing to the company's
    # invoice address; this tells the people who see the company's finances.
    NotificationKind(NotificationEvent.INVOICE_ISSUED, "invoice.issued", Recipients.FINANCE),
    # Payments (domain/payments/recording.py): the orderer of a paid order, else (a top-up of
    # the prepaid balance) the company's contact.
    NotificationKind(NotificationEvent.PAYMENT_RECEIVED, "payment.received", Recipients.CUSTOMER),
    # The quote's PDF is mailed to its contact by the sending itself; this tells the portal
    # user who asked for it, when that is someone else (sending names them as customerUserId).
    NotificationKind(NotificationEvent.QUOTE_SENT, "quote.status", Recipients.CUSTOMER, _sent),
    # Shipped with tracking: each shipment made (domain/fulfilment/shipments.py).
    NotificationKind(NotificationEvent.ORDER_SHIPPED, "shipment.shipped", Recipients.ORDERER),
    # Waiting for their areas (supplier routing, payment failures): switch on as the topics
    # land.
    NotificationKind(
        NotificationEvent.STAFF_SUPPLIER_FAILURE,
        "supplier.order_failed",
        Recipients.STAFF,
        live=False,
    ),
    NotificationKind(
        NotificationEvent.STAFF_PAYMENT_FAILED, "payment.failed", Recipients.STAFF, live=False
    ),
):
    register(_kind)
