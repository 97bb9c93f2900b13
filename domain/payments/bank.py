"""Payments staff record by hand, and bank statements imported as CSV and matched to orders
by the reference the customer gave (the order number, e.g. "i-100042"), or to a company's
prepaid balance ("TOPUP <company code>"). A statement line is identified by its transaction
id (or, without one, by its date, amount and reference), so importing the same statement
twice records nothing twice."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, select

from domain.accounts.models import Company
from domain.accounts.viewer import Viewer
from domain.orders.models import Order
from domain.payments.credit import require_finance_staff
from domain.payments.errors import PaymentErrorCode
from domain.payments.models import Payment
from domain.payments.recording import PaymentIn, record_payment
from domain.shared.errors import DomainError, ErrorCollector
from domain.shared.money import is_currency_code
from domain.shared.uow import UnitOfWork

MAX_STATEMENT_BYTES = 2_000_000
MAX_STATEMENT_LINES = 10_000
ORDER_NUMBER = re.compile(r"\b([ioc]-\d{4,12})\b", re.IGNORECASE)
TOP_UP = re.compile(r"\bTOPUP\s+([A-Za-z0-9_.-]{1,40})\b", re.IGNORECASE)
REQUIRED_COLUMNS = ("date", "amount", "currency", "reference")


@dataclass(frozen=True, slots=True)
class PaymentRecord:
    """A payment staff record: for an order, or (company only) a top-up of its balance."""

    key: str  # unique per payment: the same key records it once
    amount: int
    currency: str
    order_id: int | None = None
    company_id: int | None = None
    reference: str = ""
    received_at: dt.datetime | None = None


def _minor_units(text: str) -> int:
    """'1,234.50' / '1234,50' / '119' -> minor units."""
    cleaned = text.strip().replace(" ", "")
    if "," in cleaned and "." in cleaned:
        cleaned = (
            cleaned.replace(",", "")
            if cleaned.rfind(".") > cleaned.rfind(",")
            else (cleaned.replace(".", "").replace(",", "."))
        )
    elif "," in cleaned:
        cleaned = cleaned.replace(",", ".")
    value = Decimal(cleaned)
    if value != value.quantize(Decimal("0.01")):
        raise InvalidOperation
    return int(value * 100)


async def payment_record(uow: UnitOfWork, viewer: Viewer, cmd: PaymentRecord) -> Payment:
    """Requires staff role ADMIN, ACCOUNTING or SALES."""
    require_finance_staff(viewer)
    errors = ErrorCollector()
    if cmd.amount <= 0:
        errors.add(PaymentErrorCode.INVALID_AMOUNT, "A payment is more than 0.", "amount")
    if not cmd.key.strip() or len(cmd.key) > 100:
        errors.add(PaymentErrorCode.INVALID, "A key (1-100 characters) is required.", "key")
    if (cmd.order_id is None) == (cmd.company_id is None):
        errors.add(PaymentErrorCode.INVALID, "Give an order or a company.", "orderId")
    errors.raise_if_any()
    async with uow:
        company_id = await _payer(uow, cmd.order_id, cmd.company_id, cmd.currency)
        payment, _ = await record_payment(
            uow,
            PaymentIn(
                company_id=company_id,
                order_id=cmd.order_id,
                amount=cmd.amount,
                currency=cmd.currency,
                method="BANK_TRANSFER",
                provider="staff",
                provider_reference=cmd.key.strip(),
                reference=cmd.reference.strip(),
                staff_user_id=viewer.user_id,
                received_at=cmd.received_at,
            ),
            viewer,
        )
        await uow.commit()
        return payment


async def _payer(
    uow: UnitOfWork, order_id: int | None, company_id: int | None, currency: str
) -> int:
    if order_id is not None:
        order: Order | None = await uow.session.get(Order, order_id)
        if order is None:
            raise DomainError.single(PaymentErrorCode.NOT_FOUND, "Order not found.", "orderId")
        if order.currency != currency:
            raise DomainError.single(
                PaymentErrorCode.CURRENCY_MISMATCH,
                f"The order is in {order.currency}.",
                "currency",
            )
        return order.company_id
    assert company_id is not None
    if not is_currency_code(currency):
        raise DomainError.single(
            PaymentErrorCode.INVALID, "A currency is an ISO 4217 code (EUR).", "currency"
        )
    if await uow.session.get(Company, company_id) is None:
        raise DomainError.single(PaymentErrorCode.NOT_FOUND, "Company not found.", "companyId")
    return company_id


@dataclass(frozen=True, slots=True)
class StatementLine:
    row: int  # 1-based line number in the file, header included
    transaction_id: str
    date: dt.date
    amount: int
    currency: str
    reference: str


@dataclass(frozen=True, slots=True)
class LineOutcome:
    line: StatementLine
    payment: Payment | None  # matched and recorded (or recorded by an earlier import)
    already_recorded: bool
    problem: str | None  # why the line was not matched


def parse_statement(data: bytes) -> list[StatementLine]:
    """The credit lines of a bank statement CSV (header: date, amount, currency, reference and
    optionally transaction_id; comma or semicolon separated). Debits are skipped."""
    if len(data) > MAX_STATEMENT_BYTES:
        raise DomainError.single(
            PaymentErrorCode.INVALID_STATEMENT_FILE, "The file is larger than 2 MB.", "file"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DomainError.single(
            PaymentErrorCode.INVALID_STATEMENT_FILE, "The file is not UTF-8 text.", "file"
        ) from None
    first = text.split("\n", 1)[0]
    reader = csv.DictReader(
        io.StringIO(text), delimiter=";" if first.count(";") > first.count(",") else ","
    )
    columns = {c.strip().lower() for c in reader.fieldnames or []}
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise DomainError.single(
            PaymentErrorCode.INVALID_STATEMENT_FILE,
            f"Missing columns: {', '.join(missing)}.",
            "file",
        )
    lines: list[StatementLine] = []
    errors = ErrorCollector()
    for number, raw in enumerate(reader, start=2):
        if number > MAX_STATEMENT_LINES + 1:
            errors.add(PaymentErrorCode.INVALID_STATEMENT_FILE, "Too many lines.", "file")
            break
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()}
        try:
            date = dt.date.fromisoformat(row["date"])
            amount = _minor_units(row["amount"])
        except (ValueError, InvalidOperation):
            errors.add(
                PaymentErrorCode.INVALID_STATEMENT_FILE,
                f"Line {number}: a date (YYYY-MM-DD) and an amount are required.",
                ("file", str(number)),
            )
            continue
        if amount <= 0:
            continue
        reference = row["reference"][:300]
        tx = (
            row.get("transaction_id")
            or hashlib.sha256(
                f"{date}|{amount}|{row['currency']}|{reference}".encode()
            ).hexdigest()[:40]
        )
        lines.append(
            StatementLine(number, tx[:100], date, amount, row["currency"].upper(), reference)
        )
    errors.raise_if_any()
    return lines


async def bank_statement_import(uow: UnitOfWork, viewer: Viewer, data: bytes) -> list[LineOutcome]:
    """Requires staff role ADMIN, ACCOUNTING or SALES. Each credit line whose reference names
    an order (or TOPUP and a company code) in its currency is recorded as a payment; the
    others are reported with the reason, for staff to record by hand."""
    require_finance_staff(viewer)
    lines = parse_statement(data)
    outcomes: list[LineOutcome] = []
    async with uow:
        for line in lines:
            outcomes.append(await _match(uow, viewer, line))
        await uow.commit()
    return outcomes


async def _match(uow: UnitOfWork, viewer: Viewer, line: StatementLine) -> LineOutcome:
    order_id: int | None = None
    company_id: int | None = None
    found = ORDER_NUMBER.search(line.reference)
    if found:
        order: Order | None = await uow.scalar(
            select(Order).where(func.lower(Order.number) == found.group(1).lower())
        )
        if order is None:
            return LineOutcome(line, None, False, f"No order {found.group(1)}.")
        if order.currency != line.currency:
            return LineOutcome(line, None, False, f"The order is in {order.currency}.")
        order_id, company_id = order.id, order.company_id
    else:
        top_up = TOP_UP.search(line.reference)
        company = (
            await uow.scalar(select(Company).where(Company.code == top_up.group(1).lower()))
            if top_up
            else None
        )
        if company is None:
            return LineOutcome(line, None, False, "The reference names no order or top-up.")
        company_id = company.id
    payment, new = await record_payment(
        uow,
        PaymentIn(
            company_id=company_id,
            order_id=order_id,
            amount=line.amount,
            currency=line.currency,
            method="BANK_TRANSFER",
            provider="bank",
            provider_reference=line.transaction_id,
            reference=line.reference,
            staff_user_id=viewer.user_id,
            received_at=dt.datetime.combine(line.date, dt.time(12), dt.UTC),
        ),
        viewer,
    )
    return LineOutcome(line, payment, not new, None)
