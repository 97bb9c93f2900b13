"""Mutation fields of billing (staff with the ACCOUNTING or ADMIN role)."""

from __future__ import annotations

import datetime as dt

import strawberry

from domain.billing.collective import invoice_run_collective
from domain.billing.credit_notes import CreditLine, credit_note_issue
from domain.billing.services import (
    company_invoicing_set,
    customer_group_invoicing_set,
    invoice_issue_for_order,
    order_invoiced_externally_set,
)
from resolvers.mutation import run
from schema.accounts.enums import InvoiceSchedule
from schema.accounts.types import Company, CustomerGroup
from schema.billing.inputs import (
    CompanyInvoicingSetInput,
    CompanyInvoicingSetPayload,
    CreditNoteIssueInput,
    CreditNoteIssuePayload,
    CustomerGroupInvoicingSetPayload,
    InvoicePayload,
    InvoiceRunCollectiveInput,
    InvoiceRunCollectivePayload,
    OrderInvoicedExternallySetPayload,
)
from schema.billing.types import BillingError, CreditNote, Invoice
from schema.context import Info
from schema.core import decode_gid
from schema.orders.types import Order
from schema.permissions import IsAuthenticated, IsStaff


async def invoice_issue_for_order_(
    info: Info, order_id: strawberry.relay.GlobalID
) -> InvoicePayload:
    ctx = info.context
    return await run(
        InvoicePayload,
        BillingError,
        lambda: invoice_issue_for_order(ctx.uow, ctx.viewer, decode_gid(order_id, Order)),
        lambda i: {"invoice": Invoice.from_model(i)},
    )


async def invoice_run_collective_(
    info: Info, input: InvoiceRunCollectiveInput
) -> InvoiceRunCollectivePayload:
    ctx = info.context
    company = decode_gid(input.company_id, Company) if input.company_id else None
    if input.company_id is not None and company is None:
        company = -1
    today = input.date or dt.datetime.now(dt.UTC).date()
    return await run(
        InvoiceRunCollectivePayload,
        BillingError,
        lambda: invoice_run_collective(ctx.uow, ctx.viewer, input.schedule, today, company),
        lambda issued: {"invoices": [Invoice.from_model(i) for i in issued]},
    )


async def credit_note_issue_(info: Info, input: CreditNoteIssueInput) -> CreditNoteIssuePayload:
    ctx = info.context
    lines = (
        [CreditLine(position=x.invoice_line_position, net_amount=x.net_amount) for x in input.lines]
        if input.lines is not None
        else None
    )
    return await run(
        CreditNoteIssuePayload,
        BillingError,
        lambda: credit_note_issue(
            ctx.uow, ctx.viewer, decode_gid(input.invoice_id, Invoice), input.reason, lines
        ),
        lambda n: {"credit_note": CreditNote.from_model(n)},
    )


async def order_invoiced_externally_set_(
    info: Info, order_id: strawberry.relay.GlobalID, value: bool
) -> OrderInvoicedExternallySetPayload:
    ctx = info.context
    return await run(
        OrderInvoicedExternallySetPayload,
        BillingError,
        lambda: order_invoiced_externally_set(
            ctx.uow, ctx.viewer, decode_gid(order_id, Order), value
        ),
        lambda o: {"order": Order.from_model(o)},
    )


async def company_invoicing_set_(
    info: Info, input: CompanyInvoicingSetInput
) -> CompanyInvoicingSetPayload:
    ctx = info.context
    return await run(
        CompanyInvoicingSetPayload,
        BillingError,
        lambda: company_invoicing_set(
            ctx.uow,
            ctx.viewer,
            decode_gid(input.company_id, Company),
            input.schedule,
            input.invoice_email,
            input.vat_id,
        ),
        lambda c: {"company": Company.from_model(c)},
    )


async def customer_group_invoicing_set_(
    info: Info, customer_group_id: strawberry.relay.GlobalID, schedule: InvoiceSchedule
) -> CustomerGroupInvoicingSetPayload:
    ctx = info.context
    return await run(
        CustomerGroupInvoicingSetPayload,
        BillingError,
        lambda: customer_group_invoicing_set(
            ctx.uow, ctx.viewer, decode_gid(customer_group_id, CustomerGroup), schedule
        ),
        lambda g: {"customer_group": CustomerGroup.from_model(g)},
    )


@strawberry.type
class BillingMutation:
    invoice_issue_for_order = strawberry.mutation(
        resolver=invoice_issue_for_order_,
        description="Issue the invoice of one delivered (or completed) order now, whatever the "
        "customer's schedule. Requires the ACCOUNTING or ADMIN staff role. Errors: NOT_FOUND, "
        "NOT_DELIVERED, INVOICED_EXTERNALLY, ALREADY_INVOICED, PERMISSION_DENIED.",
        permission_classes=[IsAuthenticated, IsStaff],
    )
    invoice_run_collective = strawberry.mutation(
        resolver=invoice_run_collective_,
        description="Issue the collective invoices (one per customer) of the last complete "
        "week or month before `date`, covering every delivered, uninvoiced order of customers "
        "on that schedule (the daily job does the same). Requires the ACCOUNTING or ADMIN "
        "staff role. Errors: INVALID_PERIOD, PERMISSION_DENIED.",
        permission_classes=[IsAuthenticated, IsStaff],
    )
    credit_note_issue = strawberry.mutation(
        resolver=credit_note_issue_,
        description="Issue a credit note against an invoice, whole or per line; numbered in its "
        "own gapless series. Requires the ACCOUNTING or ADMIN staff role. Errors: NOT_FOUND, "
        "INVALID_LINE, INVALID_AMOUNT, EXCEEDS_INVOICE, PERMISSION_DENIED.",
        permission_classes=[IsAuthenticated, IsStaff],
    )
    order_invoiced_externally_set = strawberry.mutation(
        resolver=order_invoiced_externally_set_,
        description="Mark an order as billed from the shop's own accounting system (no invoice "
        "here), or take the mark back. Requires the ACCOUNTING or ADMIN staff role. Errors: "
        "NOT_FOUND, ALREADY_INVOICED, PERMISSION_DENIED.",
        permission_classes=[IsAuthenticated, IsStaff],
    )
    company_invoicing_set = strawberry.mutation(
        resolver=company_invoicing_set_,
        description="A company's invoicing schedule (null: its group's), invoice e-mail and VAT "
        "number. Requires the ACCOUNTING or ADMIN staff role. Errors: NOT_FOUND, "
        "INVALID_VAT_ID, PERMISSION_DENIED.",
        permission_classes=[IsAuthenticated, IsStaff],
    )
    customer_group_invoicing_set = strawberry.mutation(
        resolver=customer_group_invoicing_set_,
        description="How a customer group is invoiced (PER_ORDER, WEEKLY, MONTHLY, EXTERNAL). "
        "Requires the ACCOUNTING or ADMIN staff role. Errors: NOT_FOUND, PERMISSION_DENIED.",
        permission_classes=[IsAuthenticated, IsStaff],
    )
