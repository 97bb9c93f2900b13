"""The cart of a portal user: lines from a configuration or a saved part, priced by the one
engine, re-validated at checkout."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select

from domain.accounts.viewer import Viewer
from domain.catalog.configurations import get_configuration
from domain.catalog.models import Channel, Product, ProductVersion
from domain.catalog.services import channel_for
from domain.orders.errors import OrderErrorCode
from domain.orders.models import CartLine
from domain.orders.policies import may_order
from domain.pricing.result import PriceResult
from domain.pricing.service import price_context, price_version, product_in_channel
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


@dataclass(frozen=True, slots=True)
class PricedLine:
    line: CartLine
    product: Product | None
    version_id: int | None
    title: str
    specification: dict[str, Any]
    result: PriceResult | None
    problems: tuple[ErrorDetail, ...]


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
            channel_id, product_id, values = (
                config.channel_id,
                config.product_id,
                dict(config.values),
            )
            part_id = None
        else:
            from domain.laser.parts import get_part

            part = await get_part(uow, viewer, cmd.part_id)  # type: ignore[arg-type]
            channel = await channel_for(uow, viewer, cmd.channel)
            product_id = await laser_product_id(uow, channel)
            channel_id, values, part_id = channel.id, {}, part.id
        line = CartLine(
            portal_user_id=viewer.user_id,
            company_id=viewer.company_id,
            channel_id=channel_id,
            product_id=product_id,
            configuration_id=cmd.configuration_id,
            part_id=part_id,
            values=values,
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
        await uow.commit()
        return line


async def laser_product_id(uow: UnitOfWork, channel: Channel) -> int:
    from domain.catalog.models import ProductKind, channel_product

    pid = await uow.scalar(
        select(Product.id)
        .join(channel_product, channel_product.c.product_id == Product.id)
        .where(
            channel_product.c.channel_id == channel.id,
            Product.kind == ProductKind.LASER_PART,
            Product.is_active.is_(True),
        )
        .order_by(Product.id)
        .limit(1)
    )
    if pid is None:
        raise DomainError.single(
            OrderErrorCode.PRODUCT_UNAVAILABLE, "This channel does not sell laser parts.", "channel"
        )
    return int(pid)


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
        await uow.commit()
        return line


async def cart_line_remove(uow: UnitOfWork, viewer: Viewer, line_id: int) -> int:
    require_ordering(viewer)
    async with uow:
        line = await _line_owned(uow, viewer, line_id)
        await uow.session.delete(line)
        await uow.commit()
        return line_id


async def cart_lines(uow: UnitOfWork, viewer: Viewer) -> Sequence[CartLine]:
    if not viewer.is_portal:
        return []
    return await uow.scalars(
        select(CartLine).where(CartLine.portal_user_id == viewer.user_id).order_by(CartLine.id)
    )


async def clear_cart(uow: UnitOfWork, viewer: Viewer, line_ids: Sequence[int]) -> None:
    await uow.session.execute(
        delete(CartLine).where(CartLine.portal_user_id == viewer.user_id, CartLine.id.in_(line_ids))
    )


async def price_cart_line(uow: UnitOfWork, viewer: Viewer, line: CartLine) -> PricedLine:
    """The line's price now, through the one engine, with what may have changed since."""
    channel = await uow.session.get(Channel, line.channel_id)
    problems: list[ErrorDetail] = []
    if channel is None:
        problem = ErrorDetail(OrderErrorCode.PRODUCT_UNAVAILABLE, "The channel is closed.", None)
        return PricedLine(line, None, None, "", {}, None, (problem,))
    if line.part_id is not None:
        from domain.laser.parts import part_line_price

        return await part_line_price(uow, viewer, channel, line)
    try:
        product, version = await product_in_channel(uow, channel, line.product_id)
    except DomainError:
        gone = await uow.session.get(Product, line.product_id)
        problem = ErrorDetail(
            OrderErrorCode.PRODUCT_UNAVAILABLE,
            "This product is no longer available.",
            None,
        )
        return PricedLine(line, gone, None, gone.name if gone else "", {}, None, (problem,))
    ctx = await price_context(uow, viewer, channel)
    result = price_version(version, line.values, line.quantity, ctx)
    if not result.valid:
        problems.extend(
            ErrorDetail(OrderErrorCode.INVALID_CONFIGURATION, m.message, m.field)
            for m in result.messages
        )
    spec = await specification_for(uow, version, line.values)
    return PricedLine(line, product, version.id, product.name, spec, result, tuple(problems))


async def specification_for(
    uow: UnitOfWork, version: ProductVersion, values: Mapping[str, Any]
) -> dict[str, Any]:
    """What production needs to read: every parameter with its label and the chosen value."""
    from domain.catalog.services import spec_for

    spec = spec_for(version.id, version.spec)
    check = spec.check(values)
    params = []
    for p in spec.parameters:
        value = check.values.get(p.key)
        params.append(
            {
                "key": p.key,
                "label": p.label,
                "value": str(value) if value is not None else None,
                "display": p.describe(value) if value is not None else None,
            }
        )
    return {"productVersion": version.version, "parameters": params, "values": dict(values)}
