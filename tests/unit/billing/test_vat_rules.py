"""VAT treatment and VAT-number formats (domain/billing/vat.py), and VAT per line."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from domain.accounts.rights import InvoiceSchedule
from domain.billing.collective import last_complete_period
from domain.billing.lines import line_amounts, vat_breakdown
from domain.billing.models import VatTreatment
from domain.billing.vat import vat_id_valid, vat_treatment


@pytest.mark.parametrize(
    ("vat_id", "country", "ok"),
    [
        ("DE123456789", "DE", True),
        ("de 123 456 789", "DE", True),
        ("DE12345678", "DE", False),
        ("NL123456789B01", "NL", True),
        ("NL123456789B0", "NL", False),
        ("ATU12345678", "AT", True),
        ("AT12345678", "AT", False),
        ("EL123456789", "GR", True),
        ("GR123456789", "GR", False),
        ("FR12345678901", "FR", True),
        ("DE123456789", "NL", False),  # a German number for a Dutch address
        ("XX123", None, False),
    ],
)
def test_vat_id_formats(vat_id: str, country: str | None, ok: bool) -> None:
    assert vat_id_valid(vat_id, country) is ok


def test_domestic_business_pays_vat() -> None:
    assert vat_treatment("DE", "DE", "DE123456789", True).kind is VatTreatment.DOMESTIC


def test_eu_business_in_another_country_with_vat_id_is_reverse_charge() -> None:
    t = vat_treatment("DE", "NL", "NL123456789B01", True)
    assert t.kind is VatTreatment.REVERSE_CHARGE and "Article 196" in t.note
    assert t.category == "AE"


def test_eu_business_without_valid_number_or_private_person_pays_vat() -> None:
    assert vat_treatment("DE", "NL", None, True).kind is VatTreatment.DOMESTIC
    assert vat_treatment("DE", "NL", "NL123", True).kind is VatTreatment.DOMESTIC
    assert vat_treatment("DE", "NL", "NL123456789B01", False).kind is VatTreatment.DOMESTIC


def test_outside_the_eu_is_a_zero_rated_export() -> None:
    for buyer_country, vat_id, business in (("CH", "CHE123", True), ("US", None, False)):
        t = vat_treatment("DE", buyer_country, vat_id, business)
        assert t.kind is VatTreatment.EXPORT and "Article 146" in t.note and t.category == "G"


def test_vat_per_line_and_breakdown() -> None:
    domestic = vat_treatment("DE", "DE", None, False)
    a = line_amounts(12345, Decimal("19.00"), "EUR", domestic)
    b = line_amounts(1001, Decimal("7.00"), "EUR", domestic)
    c = line_amounts(999, Decimal("19.00"), "EUR", domestic)
    assert (a.vat, a.category) == (2346, "S")  # 23.4555 rounds half up
    assert b.vat == 70  # 70.07 -> 70
    rc = line_amounts(
        12345, Decimal("19.00"), "EUR", vat_treatment("DE", "NL", "NL123456789B01", True)
    )
    assert (rc.rate, rc.vat, rc.category) == (Decimal(0), 0, "AE")

    class L:
        def __init__(self, x):  # type: ignore[no-untyped-def]
            self.net_amount, self.vat_amount = x.net, x.vat
            self.vat_rate_percent, self.vat_category = x.rate, x.category

    groups = vat_breakdown([L(a), L(b), L(c)])
    assert [(g.rate, g.taxable, g.vat) for g in groups] == [
        (Decimal("19.00"), 13344, 2346 + 190),
        (Decimal("7.00"), 1001, 70),
    ]


def test_collective_periods_are_the_last_complete_week_and_month() -> None:
    saturday = dt.date(2026, 12, 5)
    assert last_complete_period(InvoiceSchedule.WEEKLY, saturday) == (
        dt.date(2026, 11, 23),
        dt.date(2026, 11, 29),
    )
    monday = dt.date(2026, 11, 30)
    assert last_complete_period(InvoiceSchedule.WEEKLY, monday) == (
        dt.date(2026, 11, 23),
        dt.date(2026, 11, 29),
    )
    assert last_complete_period(InvoiceSchedule.MONTHLY, dt.date(2026, 3, 1)) == (
        dt.date(2026, 2, 1),
        dt.date(2026, 2, 28),
    )
    assert last_complete_period(InvoiceSchedule.MONTHLY, dt.date(2027, 1, 15)) == (
        dt.date(2026, 12, 1),
        dt.date(2026, 12, 31),
    )
