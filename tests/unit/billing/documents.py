"""Sample documents for the billing unit tests: built from the real dataclasses."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from domain.billing.documents.view import DocumentView, ViewLine
from domain.billing.profile import SellerProfile
from domain.billing.vat import EXPORT_NOTE, REVERSE_CHARGE_NOTE

BUYER = {
    "companyId": 1,
    "code": "acme",
    "name": "ACME Corp.",
    "street": "Hauptstraße 5",
    "postalCode": "80331",
    "city": "München",
    "country": "DE",
    "vatId": "DE123456789",
    "email": "ap@acme.example",
    "contactName": "Alice",
}


def domestic_invoice() -> DocumentView:
    lines = [
        ViewLine(1, "Flyer A5, 4/4, 135 g", 1000, 12345, Decimal("19.00"), 2346, "S", "i-100001"),
        ViewLine(2, "Book <hardcover> & more", 20, 5000, Decimal("7.00"), 350, "S", "i-100001"),
    ]
    return DocumentView(
        is_credit_note=False,
        number="RE-2026-00001",
        issue_date=dt.date(2026, 12, 5),
        due_date=dt.date(2027, 1, 4),
        currency="EUR",
        net_amount=17345,
        vat_amount=2696,
        gross_amount=20041,
        vat_note="",
        seller=SellerProfile().as_party(),
        buyer=BUYER,
        lines=lines,
        order_numbers=["i-100001"],
        payment_terms_days=30,
    )


def reverse_charge_invoice() -> DocumentView:
    buyer = BUYER | {"country": "NL", "vatId": "NL123456789B01", "city": "Amsterdam"}
    lines = [ViewLine(1, "Poster A1", 50, 40000, Decimal("0"), 0, "AE", "i-100002")]
    return DocumentView(
        is_credit_note=False,
        number="RE-2026-00002",
        issue_date=dt.date(2026, 12, 5),
        due_date=dt.date(2026, 12, 19),
        currency="EUR",
        net_amount=40000,
        vat_amount=0,
        gross_amount=40000,
        vat_note=REVERSE_CHARGE_NOTE,
        seller=SellerProfile().as_party(),
        buyer=buyer,
        lines=lines,
        order_numbers=["i-100002", "i-100003"],
        period=(dt.date(2026, 11, 1), dt.date(2026, 11, 30)),
        payment_terms_days=14,
    )


def export_credit_note() -> DocumentView:
    buyer = BUYER | {"country": "CH", "vatId": None, "city": "Zürich"}
    lines = [ViewLine(1, "Poster A1", 1, 1000, Decimal("0"), 0, "G", "RE-2026-00003")]
    return DocumentView(
        is_credit_note=True,
        number="GS-2026-00001",
        issue_date=dt.date(2026, 12, 6),
        due_date=None,
        currency="EUR",
        net_amount=1000,
        vat_amount=0,
        gross_amount=1000,
        vat_note=EXPORT_NOTE,
        seller=SellerProfile().as_party(),
        buyer=buyer,
        lines=lines,
        order_numbers=[],
        invoice_number="RE-2026-00003",
        invoice_issue_date=dt.date(2026, 12, 1),
        reason="Ten posters arrived damaged.",
    )
