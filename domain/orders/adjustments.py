"""The final price after execution: staff adjust a produced order's lines (quantity
delivered, extra lines, a price set by hand or re-priced by the engine), a reason for each
change. Within the tolerance of the company's customer group (in % of the gross) the change
applies at once; above it the customer approves or declines it in the portal. Every
adjustment is kept (who, what, why, original and final totals): the order's price history."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from domain.accounts.models import Company, CustomerGroup, PortalUser
from domain.accounts.policies import require_staff_role
from domain.accounts.rights import Right
from domain.accounts.viewer import Viewer
from domain.catalog.line_pricing import version_line
from domain.catalog.models import Channel, Product, ProductVersion
from domain.catalog.prices import price_context
from domain.orders.cart import check_quantity
from domain.orders.errors import OrderErrorCode
from domain.orders.lifecycle import order_for_update
from domain.orders.models import Order, OrderAdjustment, OrderLine
from domain.orders.placing import line_charge
from domain.orders.policies import ORDER_DESK_ROLES, PRODUCTION_ROLES
from domain.orders.state import OrderStatus
from domain.pricing.lines import LineKind, LineRequest, vat_on
from domain.shared.errors import DomainError, ErrorCollector
from domain.shared.models import utcnow
from domain.shared.money import Money
from domain.shared.uow import UnitOfWork

OrderAdjustmentRow = OrderAdjustment

ADJUSTABLE = frozenset({OrderStatus.COMPLETED, OrderStatus.DELIVERED})
APPLIED, PENDING, REJECTED = "APPLIED", "PENDING_CUSTOMER", "REJECTED"


@dataclass(frozen=True, slots=True)
class LineAdjustment:
    """One change: of an existing line (`position`) or an extra line (`position` None)."""

    reason: str
    position: int | None = None
    quantity: int | None = None  # delivered; an extra line defaults to 1
    net: int | None = None  # set by hand; None: re-priced by the engine (product lines)
    title: str = ""  # an extra line's title
    vat_rate_percent: Decimal | None = None  # an extra line's rate; the first line's if None


def _validate(changes: Sequence[LineAdjustment]) -> None:
    errors = ErrorCollector()
    if not changes:
        errors.add(OrderErrorCode.REQUIRED, "Give at least one change.", "changes")
    for i, c in enumerate(changes):
        path = ("changes", str(i))
        if not c.reason.strip():
            errors.add(OrderErrorCode.REQUIRED, "Each change needs a reason.", (*path, "reason"))
        if c.quantity is not None and not 1 <= c.quantity <= 10_000_000:
            errors.add(OrderErrorCode.INVALID_QUANTITY, "1 to 10,000,000.", (*path, "quantity"))
        if c.net is not None and c.net < 0:
            errors.add(OrderErrorCode.INVALID, "A net of 0 or more.", (*path, "net"))
        if c.position is None and (not c.title.strip() or c.net is None):
            errors.add(
                OrderErrorCode.REQUIRED, "An extra line needs a title and a net.", (*path, "title")
            )
    errors.raise_if_any()


async def _repriced_net(
    uow: UnitOfWork, viewer: Viewer, order: Order, line: OrderLine, quantity: int, path: str
) -> tuple[int, int]:
    """The line at a new quantity, priced by the engine with the customer's terms at the
    product version it was ordered in."""
    version = (
        await uow.session.get(ProductVersion, line.product_version_id)
        if line.product_version_id
        else None
    )
    product = await uow.session.get(Product, line.product_id) if line.product_id else None
    channel = await uow.session.get(Channel, order.channel_id) if order.channel_id else None
    if version is None or product is None or channel is None:
        raise DomainError.single(
            OrderErrorCode.PRICE_REQUIRED,
            "This line cannot be re-priced by the engine; set its net.",
            ("changes", path, "net"),
        )
    ctx = await price_context(uow, viewer, channel, order.company_id)
    values = line.specification.get("values", {})
    request = LineRequest(LineKind.PRODUCT, channel.id, product.id, quantity, values)
    priced = version_line(request, product, version, ctx)
    if not priced.orderable or priced.result is None or priced.result.net is None:
        raise DomainError.single(
            OrderErrorCode.PRICE_REQUIRED,
            "The engine cannot price this quantity; set the net.",
            ("changes", path, "net"),
        )
    return line_charge(priced, priced.result.net.amount, order.currency)


async def _planned(
    uow: UnitOfWork,
    viewer: Viewer,
    order: Order,
    lines: Sequence[OrderLine],
    changes: Sequence[LineAdjustment],
) -> list[dict[str, Any]]:
    by_position = {line.position: line for line in lines}
    planned: list[dict[str, Any]] = []
    for i, c in enumerate(changes):
        if c.position is None:
            rate = c.vat_rate_percent
            if rate is None:
                rate = lines[0].vat_rate_percent if lines else Decimal(0)
            assert c.net is not None
            vat = vat_on(Money(c.net, order.currency), rate).amount
            planned.append(_change(None, c.title.strip(), 0, c.quantity or 1, 0, c.net, vat, rate))
        else:
            line = by_position.get(c.position)
            if line is None:
                raise DomainError.single(
                    OrderErrorCode.NOT_FOUND, "No such line.", ("changes", str(i), "position")
                )
            quantity = c.quantity or line.quantity
            if c.net is not None:
                net = c.net
                vat = vat_on(Money(net, order.currency), line.vat_rate_percent).amount
            else:
                check_quantity(quantity)
                net, vat = await _repriced_net(uow, viewer, order, line, quantity, str(i))
            planned.append(
                _change(
                    line.position,
                    line.title,
                    line.quantity,
                    quantity,
                    line.net_amount,
                    net,
                    vat,
                    line.vat_rate_percent,
                )
            )
        planned[-1].update(reason=c.reason.strip(), repriced=c.net is None)
    return planned


def _change(
    position: int | None,
    title: str,
    q_before: int,
    q_after: int,
    net_before: int,
    net_after: int,
    vat: int,
    rate: Decimal,
) -> dict[str, Any]:
    return {
        "position": position,
        "title": title,
        "quantityBefore": q_before,
        "quantityAfter": q_after,
        "netBefore": net_before,
        "netAfter": net_after,
        "vat": vat,
        "vatRatePercent": str(rate),
    }


def _final_totals(lines: Sequence[OrderLine], planned: Sequence[dict[str, Any]]) -> tuple[int, int]:
    changed = {c["position"]: c for c in planned if c["position"] is not None}
    net = vat = 0
    for line in lines:
        c = changed.get(line.position)
        net += c["netAfter"] if c else line.net_amount
        vat += c["vat"] if c else line.vat_amount
    for c in planned:
        if c["position"] is None:
            net += c["netAfter"]
            vat += c["vat"]
    return net, vat


async def _tolerance(uow: UnitOfWork, company_id: int) -> Decimal:
    tolerance = await uow.scalar(
        select(CustomerGroup.price_change_tolerance_percent)
        .join(Company, Company.customer_group_id == CustomerGroup.id)
        .where(Company.id == company_id)
    )
    return Decimal(tolerance or 0)


async def _lines(uow: UnitOfWork, order_id: int) -> list[OrderLine]:
    return list(
        await uow.scalars(
            select(OrderLine).where(OrderLine.order_id == order_id).order_by(OrderLine.position)
        )
    )


async def order_adjust(
    uow: UnitOfWork, viewer: Viewer, order_id: int, changes: Sequence[LineAdjustment]
) -> OrderAdjustment:
    """Requires staff role ADMIN, SALES or PRODUCTION; the order is COMPLETED or DELIVERED."""
    require_staff_role(viewer, ORDER_DESK_ROLES | PRODUCTION_ROLES)
    _validate(changes)
    async with uow:
        order = await order_for_update(uow, viewer, order_id)
        if order.status not in ADJUSTABLE:
            raise DomainError.single(
                OrderErrorCode.INVALID_TRANSITION,
                "Only a completed or delivered order gets its final price.",
                "id",
            )
        pending = await uow.scalar(
            select(OrderAdjustment.id).where(
                OrderAdjustment.order_id == order.id, OrderAdjustment.status == PENDING
            )
        )
        if pending is not None:
            raise DomainError.single(
                OrderErrorCode.ADJUSTMENT_PENDING,
                "An earlier change waits for the customer's approval.",
                "id",
            )
        lines = await _lines(uow, order.id)
        planned = await _planned(uow, viewer, order, lines, changes)
        net, vat = _final_totals(lines, planned)
        within = (
            abs(net + vat - order.gross_amount) * 100
            <= (await _tolerance(uow, order.company_id)) * order.gross_amount
        )
        adjustment = OrderAdjustment(
            order_id=order.id,
            company_id=order.company_id,
            status=APPLIED if within else PENDING,
            staff_user_id=viewer.user_id,
            original_net=order.net_amount,
            original_gross=order.gross_amount,
            final_net=net,
            final_vat=vat,
            final_gross=net + vat,
            changes=planned,
        )
        uow.session.add(adjustment)
        if within:
            await _apply(uow, order, lines, adjustment)
        else:
            await _ask_customer(uow, order, adjustment)
        await uow.session.flush()
        _event(uow, order, adjustment)
        await uow.commit()
        return adjustment


async def _apply(
    uow: UnitOfWork, order: Order, lines: Sequence[OrderLine], adjustment: OrderAdjustment
) -> None:
    by_position = {line.position: line for line in lines}
    next_position = max(by_position, default=0) + 1
    changes = []
    for c in adjustment.changes:
        c = dict(c)
        if c["position"] is None:
            uow.session.add(
                OrderLine(
                    order_id=order.id,
                    position=next_position,
                    title=c["title"],
                    quantity=c["quantityAfter"],
                    net_amount=c["netAfter"],
                    vat_amount=c["vat"],
                    vat_rate_percent=Decimal(c["vatRatePercent"]),
                    specification={},
                    personalisation={},
                    remarks=c["reason"],
                    price_lines=[],
                )
            )
            c["position"] = next_position
            next_position += 1
        else:
            line = by_position[c["position"]]
            line.quantity = c["quantityAfter"]
            line.net_amount = c["netAfter"]
            line.vat_amount = c["vat"]
        changes.append(c)
    adjustment.changes = changes
    order.net_amount = adjustment.final_net
    order.vat_amount = adjustment.final_vat
    order.gross_amount = adjustment.final_gross


async def _ask_customer(uow: UnitOfWork, order: Order, adjustment: OrderAdjustment) -> None:
    if order.orderer_id is None:
        return
    user = await uow.session.get(PortalUser, order.orderer_id)
    if user is not None:
        uow.send_mail(
            user.email,
            f"Order {order.number}: please approve the final price",
            f"Hello {user.full_name},\n\nthe final price of order {order.number} is "
            f"{adjustment.final_gross / 100:.2f} {order.currency} instead of "
            f"{adjustment.original_gross / 100:.2f}. Please approve or decline it in the "
            "portal; the reasons are listed there.\n",
        )


def _event(uow: UnitOfWork, order: Order, adjustment: OrderAdjustment) -> None:
    uow.record_event(
        "order.adjusted",
        order.company_id,
        {
            "orderId": order.id,
            "adjustmentId": adjustment.id,
            "status": adjustment.status,
            "ordererId": order.orderer_id,
        },
    )


async def order_adjustment_decide(
    uow: UnitOfWork, viewer: Viewer, adjustment_id: int, accept: bool
) -> OrderAdjustment:
    """Requires PLACE_ORDERS or APPROVE_ORDERS in the ordering company, or being its orderer:
    accept (the final price applies) or decline (the shop follows up) a change above the
    tolerance."""
    async with uow:
        adjustment: OrderAdjustment | None = await uow.scalar(
            select(OrderAdjustment).where(OrderAdjustment.id == adjustment_id).with_for_update()
        )
        order = (
            await uow.session.get(Order, adjustment.order_id) if adjustment is not None else None
        )
        if (
            adjustment is None
            or order is None
            or not viewer.is_portal
            or (viewer.company_id != order.company_id)
        ):
            raise DomainError.single(OrderErrorCode.NOT_FOUND, "Adjustment not found.", "id")
        if order.orderer_id != viewer.user_id and not (
            {Right.PLACE_ORDERS, Right.APPROVE_ORDERS} & viewer.rights
        ):
            raise DomainError.single(
                OrderErrorCode.PERMISSION_DENIED, "You need PLACE_ORDERS or APPROVE_ORDERS."
            )
        if adjustment.status != PENDING:
            raise DomainError.single(
                OrderErrorCode.ALREADY_DECIDED, "This change was decided already.", "id"
            )
        order = await order_for_update(uow, viewer, order.id)
        adjustment.status = APPLIED if accept else REJECTED
        adjustment.decided_by_id = viewer.user_id
        adjustment.decided_at = utcnow()
        if accept:
            await _apply(uow, order, await _lines(uow, order.id), adjustment)
        _event(uow, order, adjustment)
        await uow.commit()
        return adjustment
