"""What billing tells the areas built on it (payments), as in-process domain events."""

from __future__ import annotations

from dataclasses import dataclass

from domain.billing.models import CreditNote, Invoice


@dataclass(frozen=True, slots=True)
class InvoiceIssued:
    """An invoice was issued for ``order_ids``: a subscriber that holds a payment for one of
    them (an order paid through a provider) calls `record_payment_on_invoice`."""

    invoice: Invoice
    order_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class CreditNoteIssued:
    credit_note: CreditNote
    invoice: Invoice
