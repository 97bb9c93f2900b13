"""Accounts: customer companies, portal users, permission groups, staff, sessions."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Identity,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column, relationship

from domain.accounts.rights import AddressKind, InvoiceSchedule, LegalForm, StaffRole
from domain.shared.models import Base, Timestamped, str_enum


class CustomerGroup(Base, Timestamped):
    """Commercial terms shared by many customers (payment terms, standing discount)."""

    __tablename__ = "customer_group"
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    payment_terms_days: Mapped[int] = mapped_column(Integer, default=30)
    discount_percent: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal(0))
    # How far (in % of the gross) the final price after execution may differ from the price
    # at placement before the customer must approve it (domain/orders/adjustments.py).
    price_change_tolerance_percent: Mapped[Decimal] = mapped_column(
        Numeric(5, 2), default=Decimal(0), server_default="0"
    )
    invoice_schedule: Mapped[InvoiceSchedule] = mapped_column(
        str_enum(InvoiceSchedule, "invoice_schedule"),
        default=InvoiceSchedule.PER_ORDER,
        server_default=InvoiceSchedule.PER_ORDER.value,
    )


class Company(Base, Timestamped):
    """A customer of the shop: a company or a private person, identified by its customer code."""

    __tablename__ = "company"
    __table_args__ = (
        CheckConstraint("code ~ '^[a-z][a-z0-9-]*$'", name="code_format"),
        CheckConstraint("markup_percent > -100", name="markup_range"),
    )
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    legal_form: Mapped[LegalForm] = mapped_column(str_enum(LegalForm, "legal_form"))
    portal_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    customer_group_id: Mapped[int | None] = mapped_column(
        ForeignKey("customer_group.id", ondelete="SET NULL")
    )
    markup_percent: Mapped[Decimal] = mapped_column(Numeric(6, 2), default=Decimal(0))
    vat_id: Mapped[str | None] = mapped_column(String(32))
    contact_name: Mapped[str | None] = mapped_column(String(200))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(40))
    # The language of mail to the company's people (ISO 639-1, e.g. "nl"); None: the shop's.
    language: Mapped[str | None] = mapped_column(String(8))
    bank_account_holder: Mapped[str | None] = mapped_column(String(200))
    bank_iban: Mapped[str | None] = mapped_column(String(34))
    bank_bic: Mapped[str | None] = mapped_column(String(11))
    # Billing: the company's own schedule (None: its group's), where invoices are mailed.
    invoice_schedule: Mapped[InvoiceSchedule | None] = mapped_column(
        str_enum(InvoiceSchedule, "invoice_schedule")
    )
    invoice_email: Mapped[str | None] = mapped_column(String(254))

    customer_group: Mapped[CustomerGroup | None] = relationship(lazy="raise")
    addresses: Mapped[list[Address]] = relationship(
        back_populates="company", lazy="raise", cascade="all, delete-orphan", order_by="Address.id"
    )


class Address(Base, Timestamped):
    __tablename__ = "address"
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("company.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[AddressKind] = mapped_column(str_enum(AddressKind, "address_kind"))
    name: Mapped[str] = mapped_column(String(200))
    street: Mapped[str] = mapped_column(String(200))
    postal_code: Mapped[str] = mapped_column(String(20))
    city: Mapped[str] = mapped_column(String(120))
    country: Mapped[str] = mapped_column(String(2))
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)

    company: Mapped[Company] = relationship(back_populates="addresses", lazy="raise")


portal_user_group = Table(
    "portal_user_group",
    Base.metadata,
    Column("user_id", ForeignKey("portal_user.id", ondelete="CASCADE"), primary_key=True),
    Column("group_id", ForeignKey("permission_group.id", ondelete="CASCADE"), primary_key=True),
)


class PermissionGroup(Base, Timestamped):
    """A named set of rights inside one company, managed by its own admins."""

    __tablename__ = "permission_group"
    __table_args__ = (UniqueConstraint("company_id", "name"),)
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("company.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(120))
    rights: Mapped[list[str]] = mapped_column(ARRAY(String(32)), default=list)


class PortalUser(Base, Timestamped):
    """A login of a customer company: the primary account (login = customer code) or a
    sub-account (login = ``name.customercode``)."""

    __tablename__ = "portal_user"
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("company.id", ondelete="CASCADE"), index=True
    )
    login: Mapped[str] = mapped_column(String(100), unique=True)
    is_primary: Mapped[bool] = mapped_column(Boolean, default=False)
    full_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    # For SMS notifications (E.164, e.g. "+31612345678"); None: no SMS.
    phone: Mapped[str | None] = mapped_column(String(40))
    # The language of this user's mail (ISO 639-1); None: the company's.
    language: Mapped[str | None] = mapped_column(String(8))
    password_hash: Mapped[str] = mapped_column(Text)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)

    groups: Mapped[list[PermissionGroup]] = relationship(
        secondary=portal_user_group, lazy="raise", order_by="PermissionGroup.id"
    )


class StaffUser(Base, Timestamped):
    """An employee of the shop, or (role PARTNER, with ``supplier_id``) a person of a partner
    supplier; logs in with the e-mail address."""

    __tablename__ = "staff_user"
    __table_args__ = (
        CheckConstraint(
            "(role = 'PARTNER') = (supplier_id IS NOT NULL)", name="partner_has_supplier"
        ),
    )
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[StaffRole] = mapped_column(str_enum(StaffRole, "staff_role"))
    password_hash: Mapped[str] = mapped_column(Text)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The partner supplier a PARTNER user acts for (the table is the stock area's).
    supplier_id: Mapped[int | None] = mapped_column(
        ForeignKey("supplier.id", ondelete="CASCADE"), index=True
    )


class AuthSession(Base, Timestamped):
    """One login: the family of rotating refresh tokens. Revoking it ends every token in it."""

    __tablename__ = "auth_session"
    __table_args__ = (
        CheckConstraint("(portal_user_id IS NULL) <> (staff_user_id IS NULL)", name="one_subject"),
    )
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    portal_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("portal_user.id", ondelete="CASCADE"), index=True
    )
    staff_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="CASCADE"), index=True
    )
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_reason: Mapped[str | None] = mapped_column(String(40))


class RefreshToken(Base, Timestamped):
    __tablename__ = "refresh_token"
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    session_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("auth_session.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class LoginThrottle(Base):
    """Failed-login counter per key (``account:<login>`` or ``address:<ip>``) in a window."""

    __tablename__ = "login_throttle"
    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    window_start: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


class RegistrationRequest(Base, Timestamped):
    """A prospective customer asking for portal access; staff approve or reject it."""

    __tablename__ = "registration_request"
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    company_name: Mapped[str] = mapped_column(String(200))
    legal_form: Mapped[LegalForm] = mapped_column(str_enum(LegalForm, "legal_form"))
    contact_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    vat_id: Mapped[str | None] = mapped_column(String(32))
    message: Mapped[str | None] = mapped_column(Text)
    password_hash: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="PENDING")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    company_id: Mapped[int | None] = mapped_column(ForeignKey("company.id", ondelete="SET NULL"))


class PasswordResetToken(Base, Timestamped):
    __tablename__ = "password_reset_token"
    __table_args__ = (
        CheckConstraint("(portal_user_id IS NULL) <> (staff_user_id IS NULL)", name="one_subject"),
    )
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    portal_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("portal_user.id", ondelete="CASCADE")
    )
    staff_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="CASCADE")
    )
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
