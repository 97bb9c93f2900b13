"""Other ways an order comes in: staff entering one on a customer's behalf (o- numbers), and a
customer reordering from history (a new cart from an old order)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, text

from domain.accounts.models import Company
from domain.accounts.policies import require_staff_role
from domain.accounts.viewer import Viewer
from domain.catalog.services import channel_for
from domain.orders.cart import check_quantity, price_cart_line, require_ordering, specification_for
from domain.orders.errors import OrderErrorCode
from domain.orders.models import CartLine, Order, OrderLine
from domain.orders.placing import price_lines_json, record_placed
from domain.orders.policies import ORDER_DESK_ROLES, order_scope
from domain.orders.state import OrderStatus
from domain.pricing.service import price_context, price_version, product_in_channel
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
        errors = ErrorCollector()
        priced = []
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
            result = price_version(version, line.values, line.quantity, ctx)
            if not result.valid:
                for m in result.messages:
                    errors.add(
                        OrderErrorCode.INVALID_CONFIGURATION,
                        m.message,
                        ("lines", str(i), *(m.field or ())),
                    )
                continue
            priced.append((line, product, version, result))
        errors.raise_if_any()
        number = await uow.scalar(select(text("nextval('order_number_seq')")))
        order = Order(
            number=f"o-{number}",
            kind="STAFF",
            company_id=company.id,
            orderer_id=None,
            entered_by_staff_id=viewer.user_id,
            channel_id=channel.id,
            status=OrderStatus.RELEASED,
            customer_reference=customer_reference.strip(),
            desired_delivery_date=desired_delivery_date,
            delivery_address={},
            remarks=remarks.strip(),
            currency=channel.currency,
            net_amount=0,
            vat_amount=0,
            gross_amount=0,
        )
        uow.session.add(order)
        await uow.session.flush()
        net_total = vat_total = 0
        for position, (line, product, version, result) in enumerate(priced, start=1):
            assert result.net is not None and result.vat is not None
            net_total += result.net.amount
            vat_total += result.vat.amount
            uow.session.add(
                OrderLine(
                    order_id=order.id,
                    position=position,
                    product_id=product.id,
                    product_version_id=version.id,
                    title=product.name,
                    specification=await specification_for(uow, version, line.values),
                    remarks=line.remarks,
                    quantity=line.quantity,
                    net_amount=result.net.amount,
                    vat_amount=result.vat.amount,
                    vat_rate_percent=result.vat_rate_percent,
                    price_lines=price_lines_json(result),
                )
            )
        order.net_amount, order.vat_amount = net_total, vat_total
        order.gross_amount = net_total + vat_total
        await record_placed(uow, viewer, order, "entered by staff")
        await uow.commit()
        return order


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
        await uow.commit()
        return added
