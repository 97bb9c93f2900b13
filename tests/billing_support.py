"""Orders ready to invoice, made directly in the database (the order flow itself is tested
elsewhere), and moved on through the real state machine so billing hears of it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import select, text, update

from adapters.db import SqlUnitOfWork
from domain.accounts.models import Address, Company, StaffUser
from domain.accounts.rights import StaffRole
from domain.accounts.viewer import Viewer, ViewerKind
from domain.orders.lifecycle import transition
from domain.orders.models import Order, OrderLine, OrderStatusChange
from domain.orders.state import OrderStatus
from domain.pricing.lines import vat_on
from domain.shared.money import Money


async def staff(uow: SqlUnitOfWork) -> Viewer:
    admin = await uow.scalar(select(StaffUser).where(StaffUser.role == StaffRole.ADMIN))
    return Viewer(ViewerKind.STAFF, user_id=admin.id, role=StaffRole.ADMIN)


async def company_id(uow: SqlUnitOfWork, code: str) -> int:
    return int(await uow.scalar(select(Company.id).where(Company.code == code)))


async def make_order(
    uow: SqlUnitOfWork,
    company: int,
    lines: Sequence[tuple[int, str]] = ((10000, "19.00"), (5000, "7.00")),
    status: OrderStatus = OrderStatus.COMPLETED,
) -> Order:
    """An order in ``status`` with lines of (net, VAT rate); the caller commits."""
    number = await uow.scalar(select(text("nextval('order_number_seq')")))
    order = Order(
        number=f"o-{number}",
        kind="STAFF",
        company_id=company,
        status=status,
        currency="EUR",
        net_amount=0,
        vat_amount=0,
        gross_amount=0,
    )
    uow.session.add(order)
    await uow.session.flush()
    rows = []
    for position, (net, rate) in enumerate(lines, start=1):
        vat = vat_on(Money(net, "EUR"), Decimal(rate)).amount
        rows.append(
            OrderLine(
                order_id=order.id,
                position=position,
                title=f"Line {position} of {order.number}",
                quantity=100 * position,
                net_amount=net,
                vat_amount=vat,
                vat_rate_percent=Decimal(rate),
            )
        )
    uow.session.add_all(rows)
    order.net_amount = sum(r.net_amount for r in rows)
    order.vat_amount = sum(r.vat_amount for r in rows)
    order.gross_amount = order.net_amount + order.vat_amount
    await uow.session.flush()
    return order


async def deliver(uow: SqlUnitOfWork, order: Order) -> None:
    """COMPLETED -> DELIVERED by staff, through the state machine (billing subscribes)."""
    async with uow:
        await transition(uow, await staff(uow), order, OrderStatus.DELIVERED, "shipped")
        await uow.commit()


async def backdate_delivery(uow: SqlUnitOfWork, order_id: int, at: dt.datetime) -> None:
    async with uow:
        await uow.session.execute(
            update(OrderStatusChange).where(OrderStatusChange.order_id == order_id).values(at=at)
        )
        await uow.commit()


async def move_company(uow: SqlUnitOfWork, company: int, country: str, vat_id: str | None) -> None:
    async with uow:
        await uow.session.execute(
            update(Address).where(Address.company_id == company).values(country=country)
        )
        await uow.session.execute(
            update(Company).where(Company.id == company).values(vat_id=vat_id)
        )
        await uow.commit()
