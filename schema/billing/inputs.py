"""Inputs and payloads of the billing mutations."""

from __future__ import annotations

import datetime as dt

import strawberry
from strawberry import relay

from schema.accounts.enums import InvoiceSchedule
from schema.accounts.types import Company, CustomerGroup
from schema.billing.types import (
    BillingError,
    CreditNote,
    Invoice,
    InvoiceIssuedEvent,
    InvoiceStatus,
)
from schema.orders.types import Order

__all__ = ["InvoiceIssuedEvent"]


@strawberry.input(description="Narrow the invoices listed.")
class InvoiceFilter:
    company_id: relay.GlobalID | None = None
    order_id: relay.GlobalID | None = None
    status: InvoiceStatus | None = None
    issued_from: dt.date | None = None
    issued_to: dt.date | None = None
    number: str | None = None


@strawberry.input
class InvoiceRunCollectiveInput:
    schedule: InvoiceSchedule = strawberry.field(description="WEEKLY or MONTHLY.")
    date: dt.date | None = strawberry.field(
        default=None,
        description="Invoice the last complete week or month before this day (default today).",
    )
    company_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Only this customer."
    )


@strawberry.type
class InvoiceRunCollectivePayload:
    invoices: list[Invoice] = strawberry.field(default_factory=list)
    errors: list[BillingError]


@strawberry.type
class InvoicePayload:
    invoice: Invoice | None = None
    errors: list[BillingError]


@strawberry.input(description="Credit a line in full, or part of its net (minor units).")
class CreditNoteLineInput:
    invoice_line_position: int = strawberry.field(description="The invoice line's position.")
    net_amount: int | None = None


@strawberry.input
class CreditNoteIssueInput:
    invoice_id: relay.GlobalID
    reason: str
    lines: list[CreditNoteLineInput] | None = strawberry.field(
        default=None, description="Omitted: credit whatever of the invoice is not credited yet."
    )


@strawberry.type
class CreditNoteIssuePayload:
    credit_note: CreditNote | None = None
    errors: list[BillingError]


@strawberry.type
class OrderInvoicedExternallySetPayload:
    order: Order | None = None
    errors: list[BillingError]


@strawberry.input
class CompanyInvoicingSetInput:
    company_id: relay.GlobalID
    schedule: InvoiceSchedule | None = strawberry.field(
        default=None, description="Null: the customer group's schedule."
    )
    invoice_email: str | None = strawberry.field(
        default=None, description="Where invoices are mailed (default: the contact e-mail)."
    )
    vat_id: str | None = strawberry.field(
        default=None, description="EU VAT number, format-checked for its country prefix."
    )


@strawberry.type
class CompanyInvoicingSetPayload:
    company: Company | None = None
    errors: list[BillingError]


@strawberry.type
class CustomerGroupInvoicingSetPayload:
    customer_group: CustomerGroup | None = None
    errors: list[BillingError]
