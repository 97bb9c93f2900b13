"""The cart of a portal user: lines from a configuration or a saved part, priced through the
line-pricing seam (domain/pricing/lines.py), re-validated at checkout."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select

from domain.accounts.viewer import Viewer
from domain.catalog.configurations import get_configuration
from domain.catalog.models import Channel
from domain.catalog.services import channel_for
from domain.orders.errors import OrderErrorCode
from domain.orders.models import CartLine
from domain.orders.policies import may_order
from domain.pricing.lines import (
    LineKind,
    LineProblem,
    LineProblemCode,
    LineRequest,
    PricedLine,
    line_pricing,
    price_line,
)
from domain.shared.errors import DomainError, ErrorDetail
from domain.shared.uow import UnitOfWork

MAX_QUANTITY = 10_000_000
MAX_CART_LINES = 200


def require_ordering(viewer: Viewer) -> None:
    if not may_order(viewer):
        raise DomainError.single(
            OrderErrorCode.PERMISSION_DENIED,
            "You need PLACE_ORDERS or REQUEST_ORDERS to use a cart.",
        )


def check_quantity(quantity: int, field: str | tuple[str, ...] = "quantity") -> None:
    if not 1 <= quantity <= MAX_QUANTITY:
        raise DomainError.single(
            OrderErrorCode.INVALID_QUANTITY,
            f"The quantity is a whole number from 1 to {MAX_QUANTITY:,}.",
            field,
        )


async def _line_owned(uow: UnitOfWork, viewer: Viewer, line_id: int) -> CartLine:
    line: CartLine | None = await uow.scalar(
        select(CartLine).where(CartLine.id == line_id, CartLine.portal_user_id == viewer.user_id)
    )
    if line is None:
        raise DomainError.single(OrderErrorCode.NOT_FOUND, "Cart line not found.", "id")
    return line


@dataclass(frozen=True, slots=True)
class CartLineAdd:
    quantity: int
    configuration_id: uuid.UUID | None = None
    part_id: int | None = None
    channel: str | None = None
    remarks: str = ""
    personalisation: Mapping[str, Any] | None = None


async def cart_line_add(uow: UnitOfWork, viewer: Viewer, cmd: CartLineAdd) -> CartLine:
    """Requires PLACE_ORDERS or REQUEST_ORDERS. The configuration's values are copied, so
    later edits of the draft do not change the cart."""
    require_ordering(viewer)
    check_quantity(cmd.quantity)
    if (cmd.configuration_id is None) == (cmd.part_id is None):
        raise DomainError.single(
            OrderErrorCode.REQUIRED, "Give either a configuration or a part.", "configurationId"
        )
    async with uow:
        count = len(
            await uow.scalars(select(CartLine.id).where(CartLine.portal_user_id == viewer.user_id))
        )
        if count >= MAX_CART_LINES:
            raise DomainError.single(OrderErrorCode.INVALID, "The cart is full.", "quantity")
        assert viewer.user_id is not None and viewer.company_id is not None
        if cmd.configuration_id is not None:
            config = await get_configuration(uow, viewer, cmd.configuration_id, "configurationId")
            request = LineRequest(
                LineKind.PRODUCT,
                config.channel_id,
                config.product_id,
                cmd.quantity,
                dict(config.values),
            )
        else:
            channel = await channel_for(uow, viewer, cmd.channel)
            request = await line_pricing(LineKind.LASER_PART).admit(
                uow,
                viewer,
                LineRequest(LineKind.LASER_PART, channel.id, None, cmd.quantity, {}, cmd.part_id),
            )
        line = CartLine(
            portal_user_id=viewer.user_id,
            company_id=viewer.company_id,
            channel_id=request.channel_id,
            product_id=request.product_id,
            configuration_id=cmd.configuration_id,
            part_id=request.item_id,
            values=dict(request.values),
            quantity=cmd.quantity,
            remarks=cmd.remarks.strip(),
            personalisation=dict(cmd.personalisation or {}),
        )
        uow.session.add(line)
        await uow.session.flush()
        priced = await price_cart_line(uow, viewer, line)
        if priced.result is not None and priced.result.valid and priced.result.net is not None:
            line.quoted_net = priced.result.net.amount
            line.quoted_version_id = priced.version_id
        cart_changed(uow, viewer)
        await uow.commit()
        return line


@dataclass(slots=True)
class CartLineUpdate:
    quantity: int | None = None
    remarks: str | None = None
    personalisation: Mapping[str, Any] | None = None


async def cart_line_update(
    uow: UnitOfWork, viewer: Viewer, line_id: int, cmd: CartLineUpdate
) -> CartLine:
    require_ordering(viewer)
    if cmd.quantity is not None:
        check_quantity(cmd.quantity)
    async with uow:
        line = await _line_owned(uow, viewer, line_id)
        if cmd.quantity is not None:
            line.quantity = cmd.quantity
        if cmd.remarks is not None:
            line.remarks = cmd.remarks.strip()
        if cmd.personalisation is not None:
            line.personalisation = dict(cmd.personalisation)
        priced = await price_cart_line(uow, viewer, line)
        if priced.result is not None and priced.result.valid and priced.result.net is not None:
            line.quoted_net = priced.result.net.amount
            line.quoted_version_id = priced.version_id
        cart_changed(uow, viewer)
        await uow.commit()
        return line


async def cart_line_remove(uow: UnitOfWork, viewer: Viewer, line_id: int) -> int:
    require_ordering(viewer)
    async with uow:
        line = await _line_owned(uow, viewer, line_id)
        await uow.session.delete(line)
        cart_changed(uow, viewer)
        await uow.commit()
        return line_id


async def cart_lines(uow: UnitOfWork, viewer: Viewer) -> Sequence[CartLine]:
    if not viewer.is_portal:
        return []
    return await uow.scalars(
        select(CartLine).where(CartLine.portal_user_id == viewer.user_id).order_by(CartLine.id)
    )


def cart_changed(uow: UnitOfWork, viewer: Viewer) -> None:
    """Inside a command that changed the viewer's cart: the event other tabs and devices of
    the same user refetch on (the `cartChanged` subscription)."""
    uow.record_event("cart.changed", viewer.company_id, {"portalUserId": viewer.user_id})


async def clear_cart(uow: UnitOfWork, viewer: Viewer, line_ids: Sequence[int]) -> None:
    cart_changed(uow, viewer)
    await uow.session.execute(
        delete(CartLine).where(CartLine.portal_user_id == viewer.user_id, CartLine.id.in_(line_ids))
    )


def line_request(line: CartLine) -> LineRequest:
    """What a cart line asks the line-pricing strategy of its kind (a cart holds catalog
    products and saved laser parts; another kind of cart line names its kind here)."""
    kind = LineKind.LASER_PART if line.part_id is not None else LineKind.PRODUCT
    return LineRequest(
        kind, line.channel_id, line.product_id, line.quantity, line.values, line.part_id
    )


async def price_cart_line(uow: UnitOfWork, viewer: Viewer, line: CartLine) -> PricedLine:
    """The line's price now, through its kind's strategy, with what may have changed since."""
    request = line_request(line)
    if await uow.session.get(Channel, line.channel_id) is None:
        problem = LineProblem(LineProblemCode.PRODUCT_UNAVAILABLE, "The channel is closed.")
        return PricedLine(request, None, None, "", {}, None, (problem,))
    return await price_line(uow, viewer, request)


_PROBLEM_CODES = {
    LineProblemCode.PRODUCT_UNAVAILABLE: OrderErrorCode.PRODUCT_UNAVAILABLE,
    LineProblemCode.INVALID_CONFIGURATION: OrderErrorCode.INVALID_CONFIGURATION,
}


def line_errors(priced: PricedLine, path: tuple[str, ...] = ()) -> list[ErrorDetail]:
    """A priced line's problems as order errors, under ``path``."""
    return [
        ErrorDetail(_PROBLEM_CODES[p.code], p.message, (*path, *(p.field or ())) or None)
        for p in priced.problems
    ]
