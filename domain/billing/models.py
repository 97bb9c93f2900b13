"""Invoices, credit notes, their lines, and the counters that number them.

An issued document is immutable: its lines, amounts, parties and number never change. Only
what happens to it afterwards is recorded on it (``paid_amount``, ``credited_amount``,
reminders). Corrections are credit notes that refer to the invoice."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Identity,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from domain.shared.models import Base, Timestamped, str_enum


class VatTreatment(StrEnum):
    """How VAT applies to a whole document (EN 16931 VAT category codes in brackets)."""

    DOMESTIC = "DOMESTIC"  # VAT charged at the line's rate (S, or Z for a 0 % rate)
    REVERSE_CHARGE = "REVERSE_CHARGE"  # EU business customer in another member state (AE)
    EXPORT = "EXPORT"  # buyer outside the EU: zero-rated export (G)


class InvoiceKind(StrEnum):
    SINGLE = "SINGLE"  # one order, issued when it was delivered (or completed)
    COLLECTIVE = "COLLECTIVE"  # every delivered, uninvoiced order of a period


class InvoiceCounter(Base):
    """The last number given in a series and year. Locked (``SELECT ... FOR UPDATE``) in the
    issuing transaction, so numbers are consecutive and a rolled-back issue gives its number
    back: the counter's increment rolls back with it."""

    __tablename__ = "invoice_counter"
    series: Mapped[str] = mapped_column(String(16), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class _Document:
    """What invoices and credit notes share: number, parties, amounts, VAT treatment."""

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("company.id", ondelete="RESTRICT"), index=True
    )
    series: Mapped[str] = mapped_column(String(16))
    year: Mapped[int] = mapped_column(Integer)
    sequence: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    issue_date: Mapped[dt.date] = mapped_column(Date, index=True)
    issued_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    currency: Mapped[str] = mapped_column(String(3))
    net_amount: Mapped[int] = mapped_column(BigInteger)
    vat_amount: Mapped[int] = mapped_column(BigInteger)
    gross_amount: Mapped[int] = mapped_column(BigInteger)
    vat_treatment: Mapped[VatTreatment] = mapped_column(str_enum(VatTreatment, "vat_treatment"))
    # The sentence the law asks for (reverse charge, export), printed and in the e-invoice.
    vat_note: Mapped[str] = mapped_column(Text, default="")
    # Who sold to whom, as it was at issue (a later change of the company's address or VAT
    # number does not change an issued document).
    seller: Mapped[dict[str, Any]] = mapped_column(JSONB)
    buyer: Mapped[dict[str, Any]] = mapped_column(JSONB)
    issued_by_staff_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )


class Invoice(_Document, Base, Timestamped):
    __tablename__ = "invoice"
    __table_args__ = (
        UniqueConstraint("series", "year", "sequence"),
        CheckConstraint("paid_amount >= 0 AND credited_amount >= 0", name="settled"),
    )
    kind: Mapped[InvoiceKind] = mapped_column(str_enum(InvoiceKind, "invoice_kind"))
    due_date: Mapped[dt.date] = mapped_column(Date, index=True)
    payment_terms_days: Mapped[int] = mapped_column(Integer)
    period_start: Mapped[dt.date | None] = mapped_column(Date)
    period_end: Mapped[dt.date | None] = mapped_column(Date)
    # What happened after issue (the document itself stays as issued).
    paid_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    paid_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    credited_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    reminders_sent: Mapped[int] = mapped_column(Integer, default=0)
    last_reminder_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    @property
    def open_amount(self) -> int:
        """What the customer still owes: gross less payments and credit notes (never < 0)."""
        return max(self.gross_amount - self.paid_amount - self.credited_amount, 0)


class _Line:
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(String(300))
    quantity: Mapped[int] = mapped_column(Integer)
    net_amount: Mapped[int] = mapped_column(BigInteger)
    vat_rate_percent: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    vat_amount: Mapped[int] = mapped_column(BigInteger)
    # EN 16931 VAT category: S standard, Z zero, AE reverse charge, G export.
    vat_category: Mapped[str] = mapped_column(String(2))


class InvoiceLine(_Line, Base):
    __tablename__ = "invoice_line"
    invoice_id: Mapped[int] = mapped_column(
        ForeignKey("invoice.id", ondelete="RESTRICT"), index=True
    )
    # The order line it bills; an order is invoiced once (the unique index on order_line_id).
    order_id: Mapped[int] = mapped_column(ForeignKey("customer_order.id"), index=True)
    order_line_id: Mapped[int] = mapped_column(ForeignKey("order_line.id"), unique=True)
    order_number: Mapped[str] = mapped_column(String(20))


class CreditNote(_Document, Base, Timestamped):
    __tablename__ = "credit_note"
    __table_args__ = (UniqueConstraint("series", "year", "sequence"),)
    invoice_id: Mapped[int] = mapped_column(
        ForeignKey("invoice.id", ondelete="RESTRICT"), index=True
    )
    reason: Mapped[str] = mapped_column(Text)
    # Set when a refund through a payment provider asked for it (payments area).
    refund_reference: Mapped[str | None] = mapped_column(String(120), unique=True)


class CreditNoteLine(_Line, Base):
    __tablename__ = "credit_note_line"
    credit_note_id: Mapped[int] = mapped_column(
        ForeignKey("credit_note.id", ondelete="RESTRICT"), index=True
    )
    invoice_line_id: Mapped[int | None] = mapped_column(ForeignKey("invoice_line.id"))
