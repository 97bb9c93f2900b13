"""One shape for invoices and credit notes as the renderings need them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from domain.billing.lines import VatGroup, vat_breakdown
from domain.billing.models import CreditNote, CreditNoteLine, Invoice, InvoiceLine
from domain.shared.money import minor_unit_exponent

# EN 16931 reasons for zero VAT by category (VATEX codes), printed and in the e-invoices.
EXEMPTION_CODES = {"AE": "VATEX-EU-AE", "G": "VATEX-EU-G"}


@dataclass(frozen=True, slots=True)
class ViewLine:
    position: int
    description: str
    quantity: int
    net_amount: int
    vat_rate_percent: Decimal
    vat_amount: int
    vat_category: str
    reference: str  # the order number (invoice) or the invoice line credited


@dataclass(frozen=True, slots=True)
class DocumentView:
    is_credit_note: bool
    number: str
    issue_date: dt.date
    due_date: dt.date | None
    currency: str
    net_amount: int
    vat_amount: int
    gross_amount: int
    vat_note: str
    seller: dict[str, Any]
    buyer: dict[str, Any]
    lines: Sequence[ViewLine]
    order_numbers: Sequence[str]
    period: tuple[dt.date, dt.date] | None = None
    invoice_number: str | None = None  # a credit note's invoice
    invoice_issue_date: dt.date | None = None
    reason: str = ""
    payment_terms_days: int | None = None

    @property
    def breakdown(self) -> list[VatGroup]:
        return vat_breakdown(self.lines)

    @property
    def title(self) -> str:
        return "Credit note" if self.is_credit_note else "Invoice"

    def amount(self, minor: int) -> str:
        """Minor units as a decimal string with the currency's digits (``1234`` -> ``12.34``)."""
        digits = minor_unit_exponent(self.currency)
        return f"{Decimal(minor).scaleb(-digits):.{digits}f}"


def invoice_view(invoice: Invoice, lines: Sequence[InvoiceLine]) -> DocumentView:
    numbers = list(dict.fromkeys(line.order_number for line in lines))
    period = (
        (invoice.period_start, invoice.period_end)
        if invoice.period_start and invoice.period_end
        else None
    )
    return DocumentView(
        is_credit_note=False,
        number=invoice.number,
        issue_date=invoice.issue_date,
        due_date=invoice.due_date,
        currency=invoice.currency,
        net_amount=invoice.net_amount,
        vat_amount=invoice.vat_amount,
        gross_amount=invoice.gross_amount,
        vat_note=invoice.vat_note,
        seller=invoice.seller,
        buyer=invoice.buyer,
        lines=[
            ViewLine(
                line.position,
                line.description,
                line.quantity,
                line.net_amount,
                Decimal(line.vat_rate_percent),
                line.vat_amount,
                line.vat_category,
                line.order_number,
            )
            for line in lines
        ],
        order_numbers=numbers,
        period=period,
        payment_terms_days=invoice.payment_terms_days,
    )


def credit_note_view(
    note: CreditNote, lines: Sequence[CreditNoteLine], invoice: Invoice
) -> DocumentView:
    return DocumentView(
        is_credit_note=True,
        number=note.number,
        issue_date=note.issue_date,
        due_date=None,
        currency=note.currency,
        net_amount=note.net_amount,
        vat_amount=note.vat_amount,
        gross_amount=note.gross_amount,
        vat_note=note.vat_note,
        seller=note.seller,
        buyer=note.buyer,
        lines=[
            ViewLine(
                line.position,
                line.description,
                line.quantity,
                line.net_amount,
                Decimal(line.vat_rate_percent),
                line.vat_amount,
                line.vat_category,
                invoice.number,
            )
            for line in lines
        ],
        order_numbers=[],
        invoice_number=invoice.number,
        invoice_issue_date=invoice.issue_date,
        reason=note.reason,
    )
