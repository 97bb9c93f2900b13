"""Company rights and staff roles: data, not code paths."""

from __future__ import annotations

from enum import StrEnum


class Right(StrEnum):
    PLACE_ORDERS = "PLACE_ORDERS"
    REQUEST_ORDERS = "REQUEST_ORDERS"
    APPROVE_ORDERS = "APPROVE_ORDERS"
    VIEW_FINANCES = "VIEW_FINANCES"
    VIEW_COMPANY_ORDERS = "VIEW_COMPANY_ORDERS"
    MANAGE_USERS = "MANAGE_USERS"
    MANAGE_GROUPS = "MANAGE_GROUPS"
    MANAGE_COMPANY = "MANAGE_COMPANY"


ALL_RIGHTS: frozenset[Right] = frozenset(Right)


class StaffRole(StrEnum):
    ADMIN = "ADMIN"
    SALES = "SALES"
    PRODUCTION = "PRODUCTION"
    ACCOUNTING = "ACCOUNTING"
    # A person of a partner supplier (staff_user.supplier_id): logs in like staff but acts as
    # that partner only (viewer kind SUPPLIER): sees and answers the RFQs addressed to it.
    PARTNER = "PARTNER"


class LegalForm(StrEnum):
    COMPANY = "COMPANY"
    PRIVATE_PERSON = "PRIVATE_PERSON"


class AddressKind(StrEnum):
    BILLING = "BILLING"
    SHIPPING = "SHIPPING"


class InvoiceSchedule(StrEnum):
    """When a customer is invoiced (set on the customer group, overridden per company)."""

    PER_ORDER = "PER_ORDER"  # one invoice per order, when it is delivered (or completed)
    WEEKLY = "WEEKLY"  # a collective invoice per ISO week of every delivered order
    MONTHLY = "MONTHLY"  # a collective invoice per calendar month
    EXTERNAL = "EXTERNAL"  # billed from the shop's own accounting system: no invoice here
