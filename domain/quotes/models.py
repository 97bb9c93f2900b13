"""Quotes with their lines, revisions and history; requests for quotation (RFQs) to partner
suppliers with their answers; the shop's quote settings and document templates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
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
    Sequence,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from domain.quotes.state import QuoteLineKind, QuoteStatus, RfqInvitationStatus, RfqStatus
from domain.shared.models import Base, Timestamped, str_enum, utcnow

# Quote numbers have their own prefix and sequence: q-100001.
QUOTE_NUMBER_SEQ = Sequence("quote_number_seq", start=100001, metadata=Base.metadata)
RFQ_NUMBER_SEQ = Sequence("rfq_number_seq", start=100001, metadata=Base.metadata)


class Quote(Base, Timestamped):
    """A priced offer to one customer company; lines are the revision being worked on."""

    __tablename__ = "quote"
    __table_args__ = (
        CheckConstraint("revision >= 1", name="revision_positive"),
        CheckConstraint("net_amount >= 0 AND gross_amount >= net_amount", name="totals"),
    )
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("company.id", ondelete="RESTRICT"), index=True
    )
    channel_id: Mapped[int] = mapped_column(ForeignKey("channel.id"))
    status: Mapped[QuoteStatus] = mapped_column(str_enum(QuoteStatus, "quote_status"), index=True)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    # The last revision the customer received (0: never sent).
    sent_revision: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(200), default="")
    request_text: Mapped[str] = mapped_column(Text, default="")
    customer_reference: Mapped[str] = mapped_column(String(100), default="")
    terms: Mapped[str] = mapped_column(Text, default="")
    valid_until: Mapped[dt.date | None] = mapped_column(Date, index=True)
    contact_email: Mapped[str | None] = mapped_column(String(254))
    requested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("portal_user.id", ondelete="SET NULL")
    )
    created_by_staff_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    currency: Mapped[str] = mapped_column(String(3))
    net_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    vat_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    gross_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    decline_reason: Mapped[str | None] = mapped_column(Text)
    order_id: Mapped[int | None] = mapped_column(
        ForeignKey("customer_order.id", ondelete="SET NULL"), unique=True
    )
    accepted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("portal_user.id", ondelete="SET NULL")
    )
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class QuoteLine(Base):
    """One line: what is offered, the engine's price with its breakdown, a hand-set override
    (who, when, why), and for a line sourced from a partner the chosen answer and its cost."""

    __tablename__ = "quote_line"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("net_amount IS NULL OR net_amount >= 0", name="net_not_negative"),
    )
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    quote_id: Mapped[int] = mapped_column(ForeignKey("quote.id", ondelete="CASCADE"), index=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("company.id", ondelete="RESTRICT"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[QuoteLineKind] = mapped_column(str_enum(QuoteLineKind, "quote_line_kind"))
    product_id: Mapped[int | None] = mapped_column(ForeignKey("product.id"))
    product_version_id: Mapped[int | None] = mapped_column(ForeignKey("product_version.id"))
    part_id: Mapped[int | None] = mapped_column(ForeignKey("part.id", ondelete="SET NULL"))
    stock_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("stock_item.id", ondelete="SET NULL")
    )
    values: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    specification: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    quantity: Mapped[int] = mapped_column(Integer)
    # The engine's price and breakdown (null for free and stock lines).
    engine_net: Mapped[int | None] = mapped_column(BigInteger)
    price_lines: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    vat_rate_percent: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal(19))
    # A hand-set net for the whole line: who set it, when and why.
    override_net: Mapped[int | None] = mapped_column(BigInteger)
    override_reason: Mapped[str | None] = mapped_column(Text)
    override_by_staff_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    override_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # From a chosen RFQ answer: the partner's cost, the markup applied, the partner to route to.
    cost_net: Mapped[int | None] = mapped_column(BigInteger)
    markup_percent: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    supplier_id: Mapped[int | None] = mapped_column(
        ForeignKey("supplier.id", ondelete="SET NULL"), index=True
    )
    rfq_invitation_id: Mapped[int | None] = mapped_column(
        ForeignKey("rfq_invitation.id", ondelete="SET NULL")
    )
    supplier_delivery_date: Mapped[dt.date | None] = mapped_column(Date)
    # What the customer pays for the line: override, else sourced price, else engine price.
    net_amount: Mapped[int | None] = mapped_column(BigInteger)
    vat_amount: Mapped[int | None] = mapped_column(BigInteger)


class QuoteRevision(Base, Timestamped):
    """What the customer received with one sending: the lines and totals as they were, and
    the PDF (by storage key)."""

    __tablename__ = "quote_revision"
    __table_args__ = (UniqueConstraint("quote_id", "revision"),)
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    quote_id: Mapped[int] = mapped_column(ForeignKey("quote.id", ondelete="CASCADE"), index=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("company.id", ondelete="RESTRICT"))
    revision: Mapped[int] = mapped_column(Integer)
    valid_until: Mapped[dt.date | None] = mapped_column(Date)
    currency: Mapped[str] = mapped_column(String(3))
    net_amount: Mapped[int] = mapped_column(BigInteger)
    vat_amount: Mapped[int] = mapped_column(BigInteger)
    gross_amount: Mapped[int] = mapped_column(BigInteger)
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    pdf_storage_key: Mapped[str | None] = mapped_column(String(300))
    sent_by_staff_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )


class QuoteHistoryEntry(Base):
    """Every change of a quote with its actor: status changes, line edits, overrides, RFQs."""

    __tablename__ = "quote_history"
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    quote_id: Mapped[int] = mapped_column(ForeignKey("quote.id", ondelete="CASCADE"), index=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("company.id", ondelete="RESTRICT"))
    revision: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(40))
    from_status: Mapped[str | None] = mapped_column(String(32))
    to_status: Mapped[str | None] = mapped_column(String(32))
    actor_kind: Mapped[str] = mapped_column(String(16))
    portal_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("portal_user.id", ondelete="SET NULL")
    )
    staff_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    supplier_id: Mapped[int | None] = mapped_column(ForeignKey("supplier.id", ondelete="SET NULL"))
    detail: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class QuoteSettings(Base):
    """The shop's quote rules (one row): the markup on partner costs and the default validity."""

    __tablename__ = "quote_settings"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, default=1)
    partner_markup_percent: Mapped[Decimal] = mapped_column(Numeric(6, 2), default=Decimal(25))
    validity_days: Mapped[int] = mapped_column(Integer, default=30)
    default_terms: Mapped[str] = mapped_column(Text, default="")


class QuoteTemplate(Base, Timestamped):
    """An editable quote document and e-mail per channel (brand); null channel: the default."""

    __tablename__ = "quote_template"
    __table_args__ = (UniqueConstraint("channel_id"),)
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    channel_id: Mapped[int | None] = mapped_column(ForeignKey("channel.id", ondelete="CASCADE"))
    mail_subject: Mapped[str] = mapped_column(Text)
    mail_body: Mapped[str] = mapped_column(Text)
    document_html: Mapped[str] = mapped_column(Text)
    document_css: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class Rfq(Base, Timestamped):
    """A request for quotation: some lines of one quote, sent to several partners at once."""

    __tablename__ = "rfq"
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    quote_id: Mapped[int] = mapped_column(ForeignKey("quote.id", ondelete="CASCADE"), index=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("company.id", ondelete="RESTRICT"))
    status: Mapped[RfqStatus] = mapped_column(str_enum(RfqStatus, "rfq_status"))
    deadline: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    desired_date: Mapped[dt.date | None] = mapped_column(Date)
    remarks: Mapped[str] = mapped_column(Text, default="")
    # The quote's currency: partners read their prices in it without seeing the quote.
    currency: Mapped[str] = mapped_column(String(3), server_default="EUR")
    # The specification as sent: [{quoteLineId, title, description, quantity, quantities,
    # specification}]
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    created_by_staff_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    chosen_invitation_id: Mapped[int | None] = mapped_column(BigInteger)
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class RfqInvitation(Base, Timestamped):
    """One partner asked in an RFQ, with its answer: a price per line, a date, remarks or an
    alternative; or its refusal."""

    __tablename__ = "rfq_invitation"
    __table_args__ = (UniqueConstraint("rfq_id", "supplier_id"),)
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    rfq_id: Mapped[int] = mapped_column(ForeignKey("rfq.id", ondelete="CASCADE"), index=True)
    supplier_id: Mapped[int] = mapped_column(
        ForeignKey("supplier.id", ondelete="RESTRICT"), index=True
    )
    status: Mapped[RfqInvitationStatus] = mapped_column(
        str_enum(RfqInvitationStatus, "rfq_invitation_status")
    )
    # [{quoteLineId, quantity, net}] in the quote's currency, net for the whole quantity.
    prices: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    delivery_date: Mapped[dt.date | None] = mapped_column(Date)
    remarks: Mapped[str] = mapped_column(Text, default="")
    alternative: Mapped[str] = mapped_column(Text, default="")
    decline_reason: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # SHA-256 of the token mailed to the partner: it answers this RFQ through that link
    # without a login (domain/quotes/rfq_tokens.py).
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
