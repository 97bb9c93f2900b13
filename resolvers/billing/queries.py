"""Query fields of billing: invoices and credit notes, scoped to who asks (VIEW_FINANCES)."""

from __future__ import annotations

import datetime as dt

import strawberry
from strawberry import relay

from domain.billing.queries import InvoiceFilter as DomainInvoiceFilter
from domain.billing.queries import credit_notes_list, invoices_list
from resolvers.pagination import page_window
from schema.accounts.types import Company
from schema.billing.inputs import InvoiceFilter
from schema.billing.types import CreditNote, Invoice
from schema.context import Info
from schema.core import Connection, build_connection, decode_gid
from schema.orders.types import Order
from schema.permissions import IsAuthenticated


def _id(gid: relay.GlobalID | None, cls: type) -> int | None:
    """The primary key, or -1 for an ID of another type (matches nothing)."""
    if gid is None:
        return None
    pk = decode_gid(gid, cls)
    return -1 if pk is None else pk


@strawberry.type
class BillingQuery:
    @strawberry.field(
        description="Invoices, newest first: staff see all, a portal user with VIEW_FINANCES "
        "their company's, anyone else none.",
        permission_classes=[IsAuthenticated],
    )
    async def invoices(
        self,
        info: Info,
        filter: InvoiceFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Invoice]:
        offset, limit = page_window(info, first, after)
        f = filter or InvoiceFilter()
        criteria = DomainInvoiceFilter(
            company_id=_id(f.company_id, Company),
            order_id=_id(f.order_id, Order),
            status=f.status,
            issued_from=f.issued_from,
            issued_to=f.issued_to,
            number=f.number,
        )
        ctx = info.context
        today = dt.datetime.now(dt.UTC).date()
        items, total = await invoices_list(ctx.uow, ctx.viewer, criteria, offset, limit, today)
        return build_connection(items, offset, total, Invoice.from_model)

    @strawberry.field(
        description="Credit notes, newest first, scoped like `invoices`.",
        permission_classes=[IsAuthenticated],
    )
    async def credit_notes(
        self,
        info: Info,
        invoice_id: relay.GlobalID | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[CreditNote]:
        offset, limit = page_window(info, first, after)
        ctx = info.context
        items, total = await credit_notes_list(
            ctx.uow, ctx.viewer, _id(invoice_id, Invoice), offset, limit
        )
        return build_connection(items, offset, total, CreditNote.from_model)
