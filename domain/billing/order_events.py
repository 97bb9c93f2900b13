"""Billing's reaction to orders: a per-order invoice when an order reaches the shop's
invoicing status (DELIVERED, or COMPLETED per `SellerProfile.invoice_on`)."""

from __future__ import annotations

from domain.accounts.rights import InvoiceSchedule
from domain.billing.issuing import invoiced_order_ids, issue_invoice
from domain.billing.parties import load_customer
from domain.billing.profile import seller_profile
from domain.orders.signals import OrderStatusChanged
from domain.shared import domain_events
from domain.shared.uow import UnitOfWork


async def on_order_status(uow: UnitOfWork, event: OrderStatusChanged) -> None:
    """Issue the order's invoice in the same transaction, unless it is invoiced externally
    (the order or its customer's schedule), collected on a weekly or monthly invoice, free of
    charge, or already invoiced."""
    order = event.order
    if event.status is not seller_profile().invoice_on or order.invoiced_externally:
        return
    if order.gross_amount == 0:  # nothing to bill (a call-off of stock the customer owns)
        return
    customer = await load_customer(uow, event.order.company_id)
    if customer is None or customer.schedule is not InvoiceSchedule.PER_ORDER:
        return
    if await invoiced_order_ids(uow, [event.order.id]):
        return
    staff_id = event.viewer.user_id if event.viewer.is_staff and not event.system else None
    await issue_invoice(uow, [event.order], staff_id=staff_id, customer=customer)


def subscribe() -> None:
    domain_events.subscribe(OrderStatusChanged, on_order_status)
