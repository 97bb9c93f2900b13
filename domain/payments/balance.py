"""A company's account: what it owes, what it paid, its prepaid balance, and a statement over
a period (a list, and CSV). What it owes is computed from its binding orders (invoiced or not
yet): their gross, less billing's credit notes and the payments recorded for them; billing's
issued invoices that are still open, and those past their due date, are shown beside it.

Visible to staff, and to portal users of the company with VIEW_FINANCES; for anyone else the
company answers as if it did not exist."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from sqlalchemy import func, select

from domain.accounts.models import Company
from domain.accounts.viewer import Viewer
from domain.billing.models import CreditNote, Invoice
from domain.orders.models import Order
from domain.payments.credit import OWED_STATUSES
from domain.payments.errors import PaymentErrorCode
from domain.payments.models import BalanceEntry, CompanyCredit, Payment, Refund
from domain.payments.policies import sees_finances
from domain.shared.errors import DomainError
from domain.shared.models import utcnow
from domain.shared.uow import UnitOfWork

MAX_STATEMENT_DAYS = 3 * 366


async def lock_balance(uow: UnitOfWork, company_id: int) -> None:
    """Movements of one company's prepaid balance wait for each other."""
    await uow.session.execute(
        select(func.pg_advisory_xact_lock(func.hashtext(f"balance:{company_id}")))
    )


async def prepaid_balance(uow: UnitOfWork, company_id: int) -> int:
    total = await uow.scalar(
        select(func.coalesce(func.sum(BalanceEntry.amount), 0)).where(
            BalanceEntry.company_id == company_id
        )
    )
    return int(total)


async def _company(uow: UnitOfWork, viewer: Viewer, company_id: int) -> Company:
    company: Company | None = await uow.session.get(Company, company_id)
    if company is None or not sees_finances(viewer, company_id):
        raise DomainError.single(PaymentErrorCode.NOT_FOUND, "Company not found.", "companyId")
    return company


@dataclass(frozen=True, slots=True)
class AccountBalance:
    company_id: int
    currency: str
    owed: int  # binding orders, less credit notes and payments (below 0: the company's credit)
    paid: int  # payments for orders, less refunds
    prepaid: int  # the prepaid balance
    credit_limit: int | None
    open_invoices: int = 0  # issued invoices not settled: gross less payments and credit notes
    overdue: int = 0  # of those, past their due date
    overdue_invoices: int = 0  # how many invoices are overdue


async def _order_debits(uow: UnitOfWork, company_id: int) -> int:
    total = await uow.scalar(
        select(func.coalesce(func.sum(Order.gross_amount), 0)).where(
            Order.company_id == company_id, Order.status.in_(OWED_STATUSES)
        )
    )
    return int(total)


async def _order_payments(uow: UnitOfWork, company_id: int) -> int:
    total = await uow.scalar(
        select(func.coalesce(func.sum(Payment.amount - Payment.refunded_amount), 0)).where(
            Payment.company_id == company_id, Payment.order_id.is_not(None)
        )
    )
    return int(total)


async def _credit_notes(uow: UnitOfWork, company_id: int) -> int:
    total = await uow.scalar(
        select(func.coalesce(func.sum(CreditNote.gross_amount), 0)).where(
            CreditNote.company_id == company_id
        )
    )
    return int(total)


async def _open_invoices(uow: UnitOfWork, company_id: int) -> tuple[int, int, int]:
    """(open, overdue, overdue count) of the company's issued invoices, as of today (UTC)."""
    open_amount = Invoice.gross_amount - Invoice.paid_amount - Invoice.credited_amount
    late = Invoice.due_date < utcnow().date()
    row = (
        await uow.session.execute(
            select(
                func.coalesce(func.sum(open_amount), 0),
                func.coalesce(func.sum(open_amount).filter(late), 0),
                func.count().filter(late),
            ).where(Invoice.company_id == company_id, open_amount > 0)
        )
    ).one()
    return int(row[0]), int(row[1]), int(row[2])


async def account_balance(uow: UnitOfWork, viewer: Viewer, company_id: int) -> AccountBalance:
    """Requires VIEW_FINANCES in the company, or staff."""
    await _company(uow, viewer, company_id)
    paid = await _order_payments(uow, company_id)
    open_invoices, overdue, overdue_count = await _open_invoices(uow, company_id)
    credit: CompanyCredit | None = await uow.session.get(CompanyCredit, company_id)
    currency = await uow.scalar(
        select(Order.currency).where(Order.company_id == company_id).limit(1)
    )
    return AccountBalance(
        company_id=company_id,
        currency=currency or (credit.currency if credit else "EUR"),
        owed=await _order_debits(uow, company_id) - await _credit_notes(uow, company_id) - paid,
        paid=paid,
        prepaid=await prepaid_balance(uow, company_id),
        credit_limit=credit.credit_limit if credit else None,
        open_invoices=open_invoices,
        overdue=overdue,
        overdue_invoices=overdue_count,
    )


@dataclass(frozen=True, slots=True)
class StatementEntry:
    at: dt.datetime
    kind: str  # ORDER, PAYMENT, REFUND, CREDIT_NOTE
    reference: str  # the order number, the payment's reference
    debit: int  # what the company owes more
    credit: int  # what it paid
    balance: int  # the running balance (owed) after this entry


@dataclass(frozen=True, slots=True)
class Statement:
    company_id: int
    company_name: str
    currency: str
    start: dt.date
    end: dt.date
    opening: int
    entries: tuple[StatementEntry, ...]

    @property
    def closing(self) -> int:
        return self.entries[-1].balance if self.entries else self.opening


async def _movements(
    uow: UnitOfWork, company_id: int
) -> list[tuple[dt.datetime, str, str, int, int]]:
    orders = await uow.rows(
        select(Order.created_at, Order.number, Order.gross_amount).where(
            Order.company_id == company_id, Order.status.in_(OWED_STATUSES)
        )
    )
    payments = await uow.rows(
        select(Payment.received_at, Payment.reference, Payment.amount, Payment.method).where(
            Payment.company_id == company_id, Payment.order_id.is_not(None)
        )
    )
    refunds = await uow.rows(
        select(Refund.created_at, Refund.reason, Refund.amount)
        .join(Payment, Payment.id == Refund.payment_id)
        .where(Refund.company_id == company_id, Payment.order_id.is_not(None))
    )
    notes = await uow.rows(
        select(CreditNote.issued_at, CreditNote.number, CreditNote.gross_amount).where(
            CreditNote.company_id == company_id
        )
    )
    moves = [(at, "ORDER", number, gross, 0) for at, number, gross in orders]
    moves += [(at, "CREDIT_NOTE", number, 0, gross) for at, number, gross in notes]
    moves += [
        (at, "PAYMENT", f"{method} {ref}".strip(), 0, amt) for at, ref, amt, method in payments
    ]
    moves += [(at, "REFUND", reason, amt, 0) for at, reason, amt in refunds]
    moves.sort(key=lambda m: (m[0], m[1]))
    return moves


async def account_statement(
    uow: UnitOfWork, viewer: Viewer, company_id: int, start: dt.date, end: dt.date
) -> Statement:
    """Requires VIEW_FINANCES in the company, or staff. Every order, payment, refund and
    credit note from `start` to `end` (days in UTC, both included) with the running balance."""
    if end < start or (end - start).days > MAX_STATEMENT_DAYS:
        raise DomainError.single(
            PaymentErrorCode.INVALID_PERIOD, "The period runs forwards, at most 3 years.", "end"
        )
    company = await _company(uow, viewer, company_id)
    begin = dt.datetime.combine(start, dt.time(), dt.UTC)
    stop = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), dt.UTC)
    opening = 0
    entries: list[StatementEntry] = []
    running = 0
    for at, kind, ref, debit, credit in await _movements(uow, company_id):
        if at >= stop:
            break
        running += debit - credit
        if at < begin:
            opening = running
            continue
        entries.append(StatementEntry(at, kind, ref, debit, credit, running))
    balance = await account_balance(uow, viewer, company_id)
    return Statement(
        company_id, company.name, balance.currency, start, end, opening, tuple(entries)
    )


def statement_csv(statement: Statement) -> str:
    """The statement as CSV (amounts in minor units and as decimals for spreadsheets)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["date", "kind", "reference", "debit", "credit", "balance", "currency"])
    writer.writerow(
        [
            statement.start.isoformat(),
            "OPENING",
            "",
            "",
            "",
            _decimal(statement.opening),
            statement.currency,
        ]
    )
    for e in statement.entries:
        writer.writerow(
            [
                e.at.date().isoformat(),
                e.kind,
                e.reference,
                _decimal(e.debit) if e.debit else "",
                _decimal(e.credit) if e.credit else "",
                _decimal(e.balance),
                statement.currency,
            ]
        )
    writer.writerow(
        [
            statement.end.isoformat(),
            "CLOSING",
            "",
            "",
            "",
            _decimal(statement.closing),
            statement.currency,
        ]
    )
    return out.getvalue()


def _decimal(minor: int) -> str:
    sign = "-" if minor < 0 else ""
    return f"{sign}{abs(minor) // 100}.{abs(minor) % 100:02d}"
