"""Other ways an order comes in: staff entering one on a customer's behalf (o- numbers), and a
customer reordering from history (a new cart from an old order)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from domain.accounts.models import Company
from domain.accounts.policies import require_staff_role
from domain.accounts.viewer import Viewer
from domain.catalog.line_pricing import version_line
from domain.catalog.models import Channel
from domain.catalog.prices import price_context, product_in_channel
from domain.catalog.services import channel_for
from domain.orders.cart import (
    cart_changed,
    check_quantity,
    line_errors,
    price_cart_line,
    require_ordering,
)
from domain.orders.errors import OrderErrorCode
from domain.orders.models import CartLine, Order, OrderLine
from domain.orders.placing import LineToPlace, OrderDraft, add_order, record_placed
from domain.orders.policies import ORDER_DESK_ROLES, order_scope
from domain.orders.state import OrderKind, OrderStatus
from domain.pricing.context import PriceContext
from domain.pricing.lines import LineKind, LineRequest
from domain.shared.errors import DomainError, ErrorCollector
from domain.shared.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class StaffOrderLine:
    product_id: int
    values: Mapping[str, Any]
    quantity: int
    remarks: str = ""


async def order_enter_for_customer(
    uow: UnitOfWork,
    viewer: Viewer,
    company_id: int,
    lines: Sequence[StaffOrderLine],
    *,
    channel_code: str | None = None,
    customer_reference: str = "",
    desired_delivery_date: dt.date | None = None,
    remarks: str = "",
) -> Order:
    """Staff (ADMIN, SALES) enter a binding order for a customer (phone, e-mail): priced with
    the customer's terms by the same engine, released to production at once, numbered o-."""
    require_staff_role(viewer, ORDER_DESK_ROLES)
    if not lines:
        raise DomainError.single(OrderErrorCode.CART_EMPTY, "Add at least one line.", "lines")
    async with uow:
        company = await uow.session.get(Company, company_id)
        if company is None:
            raise DomainError.single(OrderErrorCode.NOT_FOUND, "Company not found.", "companyId")
        channel = await channel_for(uow, viewer, channel_code)
        ctx = await price_context(uow, viewer, channel, company.id)
        priced = await _priced_lines(uow, channel, ctx, lines)
        draft = OrderDraft(
            kind=OrderKind.STAFF,
            company_id=company.id,
            entered_by_staff_id=viewer.user_id,
            channel_id=channel.id,
            status=OrderStatus.RELEASED,
            customer_reference=customer_reference,
            desired_delivery_date=desired_delivery_date,
            remarks=remarks,
            currency=channel.currency,
        )
        order = await add_order(uow, draft, priced)
        await record_placed(uow, viewer, order, "entered by staff")
        await uow.commit()
        return order


async def _priced_lines(
    uow: UnitOfWork, channel: Channel, ctx: PriceContext, lines: Sequence[StaffOrderLine]
) -> list[LineToPlace]:
    """Each line priced with the customer's terms; every problem of every line at once."""
    errors = ErrorCollector()
    priced: list[LineToPlace] = []
    for i, line in enumerate(lines):
        try:
            check_quantity(line.quantity)
            product, version = await product_in_channel(uow, channel, line.product_id)
        except DomainError as exc:
            errors.details.extend(
                d.__class__(d.code, d.message, ("lines", str(i), *(d.field or ())))
                for d in exc.details
            )
            continue
        request = LineRequest(LineKind.PRODUCT, channel.id, product.id, line.quantity, line.values)
        one = version_line(request, product, version, ctx)
        if not one.orderable:
            errors.details.extend(line_errors(one, ("lines", str(i))))
            continue
        assert one.result is not None and one.result.net is not None
        priced.append(LineToPlace(one, one.result.net.amount, line.remarks))
    errors.raise_if_any()
    return priced


async def order_reorder(uow: UnitOfWork, viewer: Viewer, order_id: int) -> list[CartLine]:
    """Requires PLACE_ORDERS or REQUEST_ORDERS and sight of the order: its lines go into the
    cart with today's prices (the cart shows them; checkout confirms them)."""
    require_ordering(viewer)
    assert viewer.user_id is not None and viewer.company_id is not None
    async with uow:
        order: Order | None = await uow.scalar(
            select(Order).where(Order.id == order_id, order_scope(viewer))
        )
        if order is None or order.channel_id is None:
            raise DomainError.single(OrderErrorCode.NOT_FOUND, "Order not found.", "id")
        old_lines = await uow.scalars(
            select(OrderLine).where(OrderLine.order_id == order.id).order_by(OrderLine.position)
        )
        added: list[CartLine] = []
        for old in old_lines:
            if old.product_id is None:
                continue
            line = CartLine(
                portal_user_id=viewer.user_id,
                company_id=viewer.company_id,
                channel_id=order.channel_id,
                product_id=old.product_id,
                part_id=old.part_id,
                configuration_id=None,
                values=dict((old.specification or {}).get("values", {})),
                quantity=old.quantity,
                remarks=old.remarks,
                personalisation=old.personalisation,
            )
            if line.part_id is None and not line.values and old.product_version_id is None:
                continue
            uow.session.add(line)
            await uow.session.flush()
            priced = await price_cart_line(uow, viewer, line)
            if priced.result is not None and priced.result.net is not None:
                line.quoted_net = priced.result.net.amount
                line.quoted_version_id = priced.version_id
            added.append(line)
        if not added:
            raise DomainError.single(
                OrderErrorCode.PRODUCT_UNAVAILABLE,
                "Nothing of this order can be ordered again.",
                "id",
            )
        cart_changed(uow, viewer)
        await uow.commit()
        return added
