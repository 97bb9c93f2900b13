"""The one place where quotes meet orders: an accepted quote revision becomes an order placed
through the shared order-placement service, at the quoted prices, with the ordering rules of
checkout (PLACE_ORDERS: binding and released to production; REQUEST_ORDERS only: a proposal
for a colleague's approval). Nothing else in domain/quotes imports domain/orders.

Written as two steps so the order flow's line-pricing seam can replace the second:
``order_lines_from_quote`` says what is ordered at which price (plain data), and
``place_quote_order`` creates the order from it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select, text

from domain.accounts.viewer import Viewer
from domain.orders.delivery import delivery_address
from domain.orders.models import Order, OrderLine
from domain.orders.placing import NUMBER_PREFIXES, record_placed
from domain.orders.policies import may_order, places_binding
from domain.orders.state import OrderKind, OrderStatus
from domain.quotes.errors import QuoteErrorCode
from domain.quotes.models import Quote, QuoteLine
from domain.shared.errors import DomainError
from domain.shared.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class QuotedLine:
    """One order line as the quote fixed it."""

    position: int
    title: str
    quantity: int
    net: int
    vat: int
    vat_rate_percent: Decimal
    product_id: int | None
    product_version_id: int | None
    part_id: int | None
    stock_item_id: int | None
    specification: dict[str, Any]
    price_lines: list[dict[str, Any]]
    remarks: str


def order_lines_from_quote(quote: Quote, lines: Sequence[QuoteLine]) -> list[QuotedLine]:
    """The quoted lines at the quoted prices. Each names its quote line
    (``specification.quote.lineId``): fulfilment routes a line sourced from a partner by the
    choice kept there (supplier, answer, cost, date), which the customer never sees."""
    out = []
    for line in lines:
        assert line.net_amount is not None and line.vat_amount is not None
        spec = dict(line.specification or {})
        spec["quote"] = {
            "quoteId": quote.id,
            "number": quote.number,
            "lineId": line.id,
            "revision": quote.revision,
        }
        out.append(
            QuotedLine(
                position=line.position,
                title=line.title,
                quantity=line.quantity,
                net=line.net_amount,
                vat=line.vat_amount,
                vat_rate_percent=line.vat_rate_percent,
                product_id=line.product_id,
                product_version_id=line.product_version_id,
                part_id=line.part_id,
                stock_item_id=line.stock_item_id,
                specification=spec,
                price_lines=list(line.price_lines or []),
                remarks=line.description,
            )
        )
    return out


def require_ordering(viewer: Viewer) -> None:
    """Accepting orders: the same rights as checkout."""
    if not may_order(viewer):
        raise DomainError.single(
            QuoteErrorCode.PERMISSION_DENIED,
            "You need PLACE_ORDERS or REQUEST_ORDERS to accept a quote.",
        )


async def place_quote_order(
    uow: UnitOfWork, viewer: Viewer, quote: Quote, lines: Sequence[QuotedLine]
) -> Order:
    """Inside the accepting command: the order (kind QUOTE), its lines, and what every
    placement shares (history, jobs for a binding order, the `order.placed` event)."""
    binding = places_binding(viewer)
    number = await uow.scalar(select(text("nextval('order_number_seq')")))
    order = Order(
        number=f"{NUMBER_PREFIXES[OrderKind.QUOTE]}-{number}",
        kind=OrderKind.QUOTE.value,
        company_id=quote.company_id,
        orderer_id=viewer.user_id,
        channel_id=quote.channel_id,
        status=OrderStatus.RELEASED if binding else OrderStatus.PENDING_APPROVAL,
        idempotency_key=f"quote:{quote.id}",
        customer_reference=quote.customer_reference or quote.number,
        delivery_address=await delivery_address(
            uow, quote.company_id, None, missing_code=QuoteErrorCode.INVALID
        ),
        payment_method="ON_ACCOUNT",
        remarks=f"From quote {quote.number} revision {quote.revision}",
        currency=quote.currency,
        net_amount=sum(x.net for x in lines),
        vat_amount=sum(x.vat for x in lines),
        gross_amount=sum(x.net + x.vat for x in lines),
    )
    uow.session.add(order)
    await uow.session.flush()
    for line in lines:
        uow.session.add(
            OrderLine(
                order_id=order.id,
                position=line.position,
                product_id=line.product_id,
                product_version_id=line.product_version_id,
                part_id=line.part_id,
                stock_item_id=line.stock_item_id,
                title=line.title,
                specification=line.specification,
                personalisation={},
                remarks=line.remarks,
                quantity=line.quantity,
                net_amount=line.net,
                vat_amount=line.vat,
                vat_rate_percent=line.vat_rate_percent,
                price_lines=line.price_lines,
            )
        )
    await uow.session.flush()
    await record_placed(uow, viewer, order, "accepted quote" if binding else "proposed")
    return order
