"""Staff use cases of billing that are not issuing itself: an invoice for one order on
demand, the "invoiced externally" mark, and the invoicing schedule of a group or company."""

from __future__ import annotations

from sqlalchemy import select

from domain.accounts.models import Company, CustomerGroup
from domain.accounts.rights import InvoiceSchedule
from domain.accounts.viewer import Viewer
from domain.billing.errors import BillingErrorCode
from domain.billing.issuing import invoiced_order_ids, issue_invoice
from domain.billing.models import Invoice
from domain.billing.parties import load_customer
from domain.billing.policies import require_billing_staff
from domain.billing.vat import normalise_vat_id, vat_id_valid
from domain.orders.models import Order
from domain.orders.state import OrderStatus
from domain.shared.errors import DomainError
from domain.shared.uow import UnitOfWork

_NOT_FOUND = "The order does not exist."


async def invoice_issue_for_order(uow: UnitOfWork, viewer: Viewer, order_id: int | None) -> Invoice:
    """Staff: issue the invoice of one delivered (or completed) order now, whatever the
    customer's schedule (e.g. before a collective run)."""
    require_billing_staff(viewer)
    async with uow:
        order = (
            await uow.scalar(select(Order).where(Order.id == order_id).with_for_update())
            if order_id is not None
            else None
        )
        if order is None:
            raise DomainError.single(BillingErrorCode.NOT_FOUND, _NOT_FOUND, "orderId")
        if order.status not in (OrderStatus.COMPLETED, OrderStatus.DELIVERED):
            raise DomainError.single(
                BillingErrorCode.NOT_DELIVERED, "Only delivered or completed orders are invoiced."
            )
        customer = await load_customer(uow, order.company_id)
        if order.invoiced_externally or (
            customer is not None and customer.schedule is InvoiceSchedule.EXTERNAL
        ):
            raise DomainError.single(
                BillingErrorCode.INVOICED_EXTERNALLY, "This order is invoiced externally."
            )
        if await invoiced_order_ids(uow, [order.id]):
            raise DomainError.single(
                BillingErrorCode.ALREADY_INVOICED, "This order has an invoice already."
            )
        invoice = await issue_invoice(uow, [order], staff_id=viewer.user_id, customer=customer)
        await uow.commit()
    return invoice


async def order_invoiced_externally_set(
    uow: UnitOfWork, viewer: Viewer, order_id: int | None, value: bool
) -> Order:
    """Staff: mark an order as billed from the shop's own accounting system (no invoice here),
    or take the mark back. An order that has an invoice cannot be marked."""
    require_billing_staff(viewer)
    async with uow:
        order = (
            await uow.scalar(select(Order).where(Order.id == order_id).with_for_update())
            if order_id is not None
            else None
        )
        if order is None:
            raise DomainError.single(BillingErrorCode.NOT_FOUND, _NOT_FOUND, "orderId")
        if value and await invoiced_order_ids(uow, [order.id]):
            raise DomainError.single(
                BillingErrorCode.ALREADY_INVOICED, "This order has an invoice already."
            )
        order.invoiced_externally = value
        await uow.commit()
    return order  # type: ignore[no-any-return]


async def customer_group_invoicing_set(
    uow: UnitOfWork, viewer: Viewer, group_id: int | None, schedule: InvoiceSchedule
) -> CustomerGroup:
    """Staff: how the group's customers are invoiced (per order, weekly, monthly, externally)."""
    require_billing_staff(viewer)
    async with uow:
        group = (
            await uow.scalar(select(CustomerGroup).where(CustomerGroup.id == group_id))
            if group_id is not None
            else None
        )
        if group is None:
            raise DomainError.single(
                BillingErrorCode.NOT_FOUND, "The customer group does not exist.", "id"
            )
        group.invoice_schedule = schedule
        await uow.commit()
    return group  # type: ignore[no-any-return]


async def company_invoicing_set(
    uow: UnitOfWork,
    viewer: Viewer,
    company_id: int | None,
    schedule: InvoiceSchedule | None,
    invoice_email: str | None,
    vat_id: str | None,
) -> Company:
    """Staff: a company's own invoicing schedule (None: its group's), the address invoices are
    mailed to, and its VAT number (format-checked for its country)."""
    require_billing_staff(viewer)
    async with uow:
        company = (
            await uow.scalar(select(Company).where(Company.id == company_id))
            if company_id is not None
            else None
        )
        if company is None:
            raise DomainError.single(
                BillingErrorCode.NOT_FOUND, "The company does not exist.", "id"
            )
        if vat_id:
            if not vat_id_valid(vat_id):
                raise DomainError.single(
                    BillingErrorCode.INVALID_VAT_ID,
                    "Not the format of an EU VAT number (two-letter prefix and digits).",
                    "vatId",
                )
            company.vat_id = normalise_vat_id(vat_id)
        company.invoice_schedule = schedule
        company.invoice_email = invoice_email or None
        await uow.commit()
    return company  # type: ignore[no-any-return]
