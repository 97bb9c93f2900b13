"""Payments: which methods are offered where, credit limits, payments received (against an
order, later allocated to its invoice), online payment intents, provider events seen,
refunds, and the prepaid balance ledger. Amounts are integer minor units."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Identity,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from domain.shared.models import Base, Timestamped, utcnow


class PaymentMethodOffer(Base, Timestamped):
    """A method offered in a channel (None: every channel) to a customer group (None: every
    group). Payment on account is offered everywhere while no row names it."""

    __tablename__ = "payment_method_offer"
    __table_args__ = (UniqueConstraint("method", "channel_id", "customer_group_id"),)
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    method: Mapped[str] = mapped_column(String(20))
    channel_id: Mapped[int | None] = mapped_column(ForeignKey("channel.id", ondelete="CASCADE"))
    customer_group_id: Mapped[int | None] = mapped_column(
        ForeignKey("customer_group.id", ondelete="CASCADE")
    )


class CompanyCredit(Base, Timestamped):
    """A company's credit limit for orders on account (no row: no limit)."""

    __tablename__ = "company_credit"
    company_id: Mapped[int] = mapped_column(
        ForeignKey("company.id", ondelete="CASCADE"), primary_key=True
    )
    credit_limit: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))


class Payment(Base, Timestamped):
    """Money received from a company: for an order (card, bank transfer, prepaid balance,
    recorded by staff) or a top-up of its prepaid balance (order_id None). `invoice_id` is
    set when the payment is allocated to the order's invoice (domain/payments/invoice_link.py)."""

    __tablename__ = "payment"
    __table_args__ = (
        UniqueConstraint("provider", "provider_reference"),
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("refunded_amount >= 0 AND refunded_amount <= amount", name="refunds"),
    )
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("company.id", ondelete="RESTRICT"), index=True
    )
    order_id: Mapped[int | None] = mapped_column(
        ForeignKey("customer_order.id", ondelete="SET NULL"), index=True
    )
    invoice_id: Mapped[int | None] = mapped_column(
        ForeignKey("invoice.id", ondelete="SET NULL"), index=True
    )
    method: Mapped[str] = mapped_column(String(20))
    amount: Mapped[int] = mapped_column(BigInteger)
    refunded_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    currency: Mapped[str] = mapped_column(String(3))
    # Who reports it: "stripe", "bank" (statement import), "staff", "balance". The provider's
    # reference (a PaymentIntent id, a statement line's id) is unique per provider, so the same
    # payment is never recorded twice.
    provider: Mapped[str] = mapped_column(String(20))
    provider_reference: Mapped[str] = mapped_column(String(120))
    reference: Mapped[str] = mapped_column(Text, default="")  # the payer's reference text
    recorded_by_staff_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    received_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class OnlinePayment(Base, Timestamped):
    """A payment intent at a provider for an order or a balance top-up; its status follows
    the provider's events (never backwards)."""

    __tablename__ = "online_payment"
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("company.id", ondelete="RESTRICT"), index=True
    )
    order_id: Mapped[int | None] = mapped_column(
        ForeignKey("customer_order.id", ondelete="SET NULL"), unique=True
    )
    purpose: Mapped[str] = mapped_column(String(16))  # ORDER or TOP_UP
    provider: Mapped[str] = mapped_column(String(20))
    intent_id: Mapped[str] = mapped_column(String(120), unique=True)
    client_secret: Mapped[str] = mapped_column(Text)
    method: Mapped[str] = mapped_column(String(20))
    amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class ProviderEventSeen(Base):
    """A provider's event already handled: a replay is answered without effect."""

    __tablename__ = "provider_event_seen"
    provider: Mapped[str] = mapped_column(String(20), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(120), primary_key=True)
    event_type: Mapped[str] = mapped_column(String(80))
    seen_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Refund(Base, Timestamped):
    """Money paid back on a payment (full or partial), by staff."""

    __tablename__ = "payment_refund"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    payment_id: Mapped[int] = mapped_column(
        ForeignKey("payment.id", ondelete="RESTRICT"), index=True
    )
    company_id: Mapped[int] = mapped_column(
        ForeignKey("company.id", ondelete="RESTRICT"), index=True
    )
    amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    reason: Mapped[str] = mapped_column(Text, default="")
    provider_reference: Mapped[str | None] = mapped_column(String(120))
    staff_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )


class BalanceEntry(Base):
    """The prepaid balance ledger: + a top-up, - an order paid from it, + a refund to it."""

    __tablename__ = "balance_entry"
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("company.id", ondelete="RESTRICT"), index=True
    )
    amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    kind: Mapped[str] = mapped_column(String(16))  # TOP_UP, ORDER, REFUND
    order_id: Mapped[int | None] = mapped_column(
        ForeignKey("customer_order.id", ondelete="SET NULL")
    )
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payment.id", ondelete="SET NULL"))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
