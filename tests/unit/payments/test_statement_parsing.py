"""Bank statement CSV parsing and the order of a payment intent's states: pure functions."""

from __future__ import annotations

import datetime as dt

import pytest

from domain.accounts.rights import Right, StaffRole
from domain.accounts.viewer import Viewer, ViewerKind
from domain.payments.bank import ORDER_NUMBER, _minor_units, parse_statement
from domain.payments.online import _advances
from domain.payments.policies import records_payments, sees_finances
from domain.shared.errors import DomainError


@pytest.mark.parametrize(
    ("text", "minor"),
    [("119", 11900), ("119.5", 11950), ("1,234.56", 123456), ("1.234,56", 123456), ("12,30", 1230)],
)
def test_amounts_in_either_notation(text: str, minor: int) -> None:
    assert _minor_units(text) == minor


def test_statement_lines_credits_only_with_stable_ids() -> None:
    data = (
        "\ufeffDate;Amount;Currency;Reference\n"
        "2026-12-01;119,00;eur;Order i-100001 thanks\n"
        "2026-12-01;-5,00;EUR;fees\n"
    ).encode()
    lines = parse_statement(data)
    assert [(x.row, x.date, x.amount, x.currency) for x in lines] == [
        (2, dt.date(2026, 12, 1), 11900, "EUR")
    ]
    assert parse_statement(data)[0].transaction_id == lines[0].transaction_id
    assert ORDER_NUMBER.search(lines[0].reference).group(1) == "i-100001"  # type: ignore[union-attr]


def test_bad_lines_are_reported_with_their_row() -> None:
    with pytest.raises(DomainError) as exc:
        parse_statement(
            b"date,amount,currency,reference\nyesterday,1,EUR,x\n2026-01-01,1.234,EUR,y\n"
        )
    assert [d.field for d in exc.value.details] == [("file", "2"), ("file", "3")]


def test_an_intent_never_moves_back() -> None:
    assert _advances("requires_payment_method", "processing")
    assert _advances("processing", "succeeded")
    assert not _advances("succeeded", "processing")
    assert not _advances("succeeded", "succeeded")


def test_who_sees_and_records_money() -> None:
    boss = Viewer(ViewerKind.PORTAL, 1, 7, frozenset({Right.VIEW_FINANCES}))
    buyer = Viewer(ViewerKind.PORTAL, 2, 7, frozenset({Right.PLACE_ORDERS}))
    maker = Viewer(ViewerKind.STAFF, 3, role=StaffRole.PRODUCTION)
    accountant = Viewer(ViewerKind.STAFF, 4, role=StaffRole.ACCOUNTING)
    assert sees_finances(boss, 7) and not sees_finances(boss, 8)
    assert not sees_finances(buyer, 7)
    assert sees_finances(maker, 7) and not records_payments(maker)
    assert records_payments(accountant) and not records_payments(boss)
