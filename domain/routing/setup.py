"""Staff manage routing: rules per product or laser material, channels per supplier, and the
override on an order line not yet released."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import delete, select

from domain.accounts.viewer import Viewer
from domain.catalog.models import Product
from domain.orders.models import Order, OrderLine
from domain.orders.state import OrderStatus
from domain.routing.errors import RoutingErrorCode
from domain.routing.models import RoutingRule, SupplierChannel
from domain.routing.policies import ROUTING_ROLES, require_routing_role
from domain.routing.state import Automation, ChannelKind
from domain.shared.errors import DomainError, ErrorCollector
from domain.shared.unset import UNSET, Unset
from domain.shared.uow import UnitOfWork
from domain.stock.models import Supplier

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_DELAY_S = 7 * 24 * 3600


async def require_active_supplier(uow: UnitOfWork, supplier_id: int | None, field: str) -> None:
    """A supplier given by id must exist and be active (None: no supplier, nothing to check)."""
    if supplier_id is None:
        return
    supplier = await uow.session.get(Supplier, supplier_id)
    if supplier is None:
        raise DomainError.single(RoutingErrorCode.NOT_FOUND, "Supplier not found.", field)
    if not supplier.is_active:
        raise DomainError.single(
            RoutingErrorCode.SUPPLIER_INACTIVE, "The supplier is inactive.", field
        )


async def routing_rule_set(
    uow: UnitOfWork,
    viewer: Viewer,
    *,
    product_id: int | None,
    laser_material_code: str | None,
    supplier_id: int | None,
) -> RoutingRule:
    """Requires staff role ADMIN or SALES. Routes a product's (or a laser material's) lines to
    a supplier, or to own production with no supplier; replaces the subject's rule."""
    require_routing_role(viewer, ROUTING_ROLES)
    code = (laser_material_code or "").strip() or None
    if (product_id is None) == (code is None):
        raise DomainError.single(
            RoutingErrorCode.REQUIRED, "Give a product or a laser material code.", "productId"
        )
    async with uow:
        if product_id is not None and await uow.session.get(Product, product_id) is None:
            raise DomainError.single(RoutingErrorCode.NOT_FOUND, "Product not found.", "productId")
        await require_active_supplier(uow, supplier_id, "supplierId")
        subject = (
            RoutingRule.product_id == product_id
            if product_id is not None
            else RoutingRule.laser_material_code == code
        )
        rule: RoutingRule | None = await uow.scalar(
            select(RoutingRule).where(subject).with_for_update()
        )
        if rule is None:
            rule = RoutingRule(product_id=product_id, laser_material_code=code)
            uow.session.add(rule)
        rule.supplier_id = supplier_id
        await uow.session.flush()
        await uow.commit()
        return rule


async def routing_rule_delete(uow: UnitOfWork, viewer: Viewer, rule_id: int) -> int:
    """Requires staff role ADMIN or SALES. The subject goes back to the default (own
    production)."""
    require_routing_role(viewer, ROUTING_ROLES)
    async with uow:
        deleted = await uow.scalar(
            delete(RoutingRule).where(RoutingRule.id == rule_id).returning(RoutingRule.id)
        )
        if deleted is None:
            raise DomainError.single(RoutingErrorCode.NOT_FOUND, "Rule not found.", "id")
        await uow.commit()
        return rule_id


@dataclass(frozen=True, slots=True)
class ChannelSet:
    supplier_id: int
    kind: ChannelKind
    settings: Mapping[str, Any]
    automation: Automation = Automation.IMMEDIATE
    delay_s: int = 0
    secret: str | Unset | None = UNSET  # UNSET: keep the stored one; None: remove it


def check_channel(cmd: ChannelSet) -> dict[str, Any]:
    """The settings a channel kind needs, validated and normalised."""
    errors = ErrorCollector()
    s = {k: v for k, v in cmd.settings.items() if v not in (None, "")}
    out: dict[str, Any] = {}
    if cmd.kind is ChannelKind.HTTP:
        url = str(s.get("url", ""))
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            errors.add(RoutingErrorCode.INVALID_URL, "An http(s) URL is required.", "url")
        out["url"] = url
    elif cmd.kind in (ChannelKind.FTP, ChannelKind.SFTP):
        if not str(s.get("host", "")).strip():
            errors.add(RoutingErrorCode.REQUIRED, "A host is required.", "host")
        port = s.get("port") or (21 if cmd.kind is ChannelKind.FTP else 22)
        if not isinstance(port, int) or not 0 < port < 65536:
            errors.add(RoutingErrorCode.INVALID, "A port from 1 to 65535.", "port")
        out |= {
            "host": str(s.get("host", "")).strip(),
            "port": port,
            "username": str(s.get("username", "")),
            "folder": str(s.get("folder", "/")) or "/",
        }
        if cmd.kind is ChannelKind.FTP:
            out["tls"] = bool(s.get("tls", False))
        if cmd.kind is ChannelKind.SFTP and s.get("knownHosts"):
            out["knownHosts"] = str(s["knownHosts"])
    else:
        email = str(s.get("email", "")).strip()
        if not EMAIL.match(email):
            errors.add(RoutingErrorCode.INVALID, "A valid e-mail address is required.", "email")
        out["email"] = email
    if not 0 <= cmd.delay_s <= MAX_DELAY_S:
        errors.add(RoutingErrorCode.INVALID, "A delay from 0 to 7 days.", "delaySeconds")
    errors.raise_if_any()
    return out


async def supplier_channel_set(uow: UnitOfWork, viewer: Viewer, cmd: ChannelSet) -> SupplierChannel:
    """Requires staff role ADMIN or SALES. Sets how a supplier receives its jobs and when
    (automation); the secret (signing key or password) is write-only."""
    require_routing_role(viewer, ROUTING_ROLES)
    settings = check_channel(cmd)
    async with uow:
        await require_active_supplier(uow, cmd.supplier_id, "supplierId")
        channel: SupplierChannel | None = await uow.scalar(
            select(SupplierChannel)
            .where(SupplierChannel.supplier_id == cmd.supplier_id)
            .with_for_update()
        )
        if channel is None:
            channel = SupplierChannel(supplier_id=cmd.supplier_id)
            uow.session.add(channel)
        channel.kind = cmd.kind
        channel.settings = settings
        channel.automation = cmd.automation
        channel.delay_s = cmd.delay_s
        if cmd.secret is not UNSET:
            channel.secret = cmd.secret or None
        await uow.session.flush()
        await uow.commit()
        return channel


async def order_line_route_set(
    uow: UnitOfWork,
    viewer: Viewer,
    line_id: int,
    *,
    supplier_id: int | None,
    own_production: bool,
) -> OrderLine:
    """Requires staff role ADMIN or SALES. Overrides the rules for one line of an order not
    yet released: a supplier, own production, or neither (the rules decide)."""
    require_routing_role(viewer, ROUTING_ROLES)
    if supplier_id is not None and own_production:
        raise DomainError.single(
            RoutingErrorCode.INVALID, "A supplier or own production, not both.", "ownProduction"
        )
    async with uow:
        line = await uow.session.get(OrderLine, line_id, with_for_update=True)
        order = await uow.session.get(Order, line.order_id) if line else None
        if line is None or order is None:
            raise DomainError.single(RoutingErrorCode.NOT_FOUND, "Order line not found.", "id")
        if order.status is not OrderStatus.PENDING_APPROVAL:
            raise DomainError.single(
                RoutingErrorCode.INVALID_TRANSITION,
                "The order is released: re-route its supplier job instead.",
                "id",
            )
        await require_active_supplier(uow, supplier_id, "supplierId")
        line.route_supplier_id = supplier_id
        line.route_own_production = own_production
        await uow.session.flush()
        await uow.commit()
        return line


async def routing_rules(uow: UnitOfWork, viewer: Viewer) -> list[RoutingRule]:
    """Requires staff role ADMIN or SALES."""
    require_routing_role(viewer, ROUTING_ROLES)
    return list(await uow.scalars(select(RoutingRule).order_by(RoutingRule.id)))


async def supplier_channel(
    uow: UnitOfWork, viewer: Viewer, supplier_id: int
) -> SupplierChannel | None:
    """Requires staff role ADMIN or SALES."""
    require_routing_role(viewer, ROUTING_ROLES)
    channel: SupplierChannel | None = await uow.scalar(
        select(SupplierChannel).where(SupplierChannel.supplier_id == supplier_id)
    )
    return channel


async def order_line_id(uow: UnitOfWork, order_id: int, position: int) -> int | None:
    line_id: int | None = await uow.scalar(
        select(OrderLine.id).where(OrderLine.order_id == order_id, OrderLine.position == position)
    )
    return line_id
