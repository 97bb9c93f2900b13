"""Checkout: re-price the cart, refuse what changed (line by line), and place the order as a
binding order (PLACE_ORDERS) or a proposal for approval (REQUEST_ORDERS). Idempotent by key."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from domain.accounts.models import Address, Company
from domain.accounts.viewer import Viewer
from domain.orders.cart import PricedLine, cart_lines, clear_cart, price_cart_line, require_ordering
from domain.orders.errors import OrderErrorCode
from domain.orders.models import Order, OrderLine
from domain.orders.placing import price_lines_json, record_placed
from domain.orders.policies import places_binding
from domain.orders.state import OrderStatus
from domain.pricing.errors import PricingErrorCode
from domain.pricing.tokens import PriceTokenConfig, configuration_hash, verify_price_token
from domain.shared.errors import DomainError, ErrorCollector
from domain.shared.idempotency import request_fingerprint
from domain.shared.models import utcnow
from domain.shared.uow import UnitOfWork

PAYMENT_METHODS = frozenset({"ON_ACCOUNT"})


@dataclass(frozen=True, slots=True)
class DeliveryAddress:
    name: str
    street: str
    postal_code: str
    city: str
    country: str


@dataclass(frozen=True, slots=True)
class OrderPlace:
    idempotency_key: str
    customer_reference: str = ""
    desired_delivery_date: dt.date | None = None
    delivery_address_id: int | None = None
    delivery_address: DeliveryAddress | None = None
    payment_method: str = "ON_ACCOUNT"
    remarks: str = ""
    cart_line_ids: Sequence[int] | None = None  # None: the whole cart
    price_tokens: Mapping[int, str] = field(default_factory=dict)  # cart line id -> token
    accept_price_changes: bool = False


def _validate(cmd: OrderPlace, today: dt.date) -> None:
    errors = ErrorCollector()
    if not cmd.idempotency_key.strip() or len(cmd.idempotency_key) > 100:
        errors.add(
            OrderErrorCode.REQUIRED,
            "An idempotency key (1-100 characters) is required.",
            "idempotencyKey",
        )
    if cmd.desired_delivery_date is not None and cmd.desired_delivery_date < today:
        errors.add(
            OrderErrorCode.INVALID_DATE,
            "The desired delivery date is in the past.",
            "desiredDeliveryDate",
        )
    if cmd.payment_method not in PAYMENT_METHODS:
        errors.add(
            OrderErrorCode.UNSUPPORTED_PAYMENT_METHOD,
            "Only payment on account is available.",
            "paymentMethod",
        )
    if len(cmd.customer_reference) > 100:
        errors.add(OrderErrorCode.INVALID, "At most 100 characters.", "customerReference")
    if cmd.delivery_address is not None:
        a = cmd.delivery_address
        for name in ("name", "street", "postal_code", "city", "country"):
            if not getattr(a, name).strip():
                errors.add(
                    OrderErrorCode.INVALID_ADDRESS,
                    "This address field is required.",
                    ("deliveryAddress", name),
                )
    errors.raise_if_any()


def _fingerprint(cmd: OrderPlace) -> str:
    """What the order is (lines, reference, date, address, payment, remarks). Price tokens are
    left out: they are short-lived quotes a client may fetch anew before it retries, and a
    token for a line that is not ordered changes nothing."""
    return request_fingerprint(
        cmd, ignore=("idempotency_key", "price_tokens", "accept_price_changes")
    )


async def _existing(uow: UnitOfWork, company_id: int, key: str) -> Order | None:
    order: Order | None = await uow.scalar(
        select(Order).where(Order.company_id == company_id, Order.idempotency_key == key)
    )
    return order


async def _address(uow: UnitOfWork, viewer: Viewer, cmd: OrderPlace) -> dict[str, Any]:
    if cmd.delivery_address is not None:
        a = cmd.delivery_address
        return {
            "name": a.name,
            "street": a.street,
            "postalCode": a.postal_code,
            "city": a.city,
            "country": a.country.upper(),
        }
    stmt = select(Address).where(Address.company_id == viewer.company_id)
    if cmd.delivery_address_id is not None:
        stmt = stmt.where(Address.id == cmd.delivery_address_id)
    else:
        stmt = stmt.order_by(
            (Address.kind == "SHIPPING").desc(), Address.is_default.desc(), Address.id
        )
    address: Address | None = await uow.scalar(stmt.limit(1))
    if address is None:
        if cmd.delivery_address_id is not None:
            raise DomainError.single(
                OrderErrorCode.NOT_FOUND, "Address not found.", "deliveryAddressId"
            )
        raise DomainError.single(
            OrderErrorCode.INVALID_ADDRESS, "Give a delivery address.", "deliveryAddress"
        )
    return {
        "name": address.name,
        "street": address.street,
        "postalCode": address.postal_code,
        "city": address.city,
        "country": address.country,
    }


async def _expected_subject(uow: UnitOfWork, priced: PricedLine) -> tuple[str, str | None]:
    """What a token for this line must name: the product version and the exact values, or
    the saved part at its current revision (drawing, material, thickness)."""
    if priced.line.part_id is None:
        return f"pv:{priced.version_id}", configuration_hash(priced.line.values)
    from domain.laser.models import Part
    from domain.laser.part_quotes import part_revision

    part = await uow.session.get(Part, priced.line.part_id)
    return (f"part:{part.id}:{part_revision(part)}" if part else "part:gone"), None


def _check_token(
    tokens: PriceTokenConfig,
    priced: PricedLine,
    token: str,
    viewer: Viewer,
    index: int,
    expected: tuple[str, str | None],
) -> int | None:
    """The honoured net of a valid token for exactly this line, or a typed error."""
    path = ("lines", str(index), "priceToken")
    try:
        claim = verify_price_token(tokens, token, utcnow())
    except DomainError as exc:
        code = exc.details[0].code
        mapped = (
            OrderErrorCode.PRICE_TOKEN_EXPIRED
            if code is PricingErrorCode.PRICE_TOKEN_EXPIRED
            else OrderErrorCode.INVALID_PRICE_TOKEN
        )
        raise DomainError.single(mapped, exc.details[0].message, path) from None
    line = priced.line
    subject, spec_hash = expected
    if claim.subject != subject:
        same_item = claim.subject.rsplit(":", 1)[0] == subject.rsplit(":", 1)[0]
        if (claim.subject.startswith("pv:") and subject.startswith("pv:")) or same_item:
            raise DomainError.single(
                OrderErrorCode.OUTDATED_PRODUCT_VERSION,
                "The product or part changed since this price was given; get a new quote.",
                path,
            )
        raise DomainError.single(
            OrderErrorCode.INVALID_PRICE_TOKEN, "This token is for another item.", path
        )
    if (
        claim.quantity != line.quantity
        or (spec_hash is not None and claim.config_hash != spec_hash)
        or claim.company_id not in (None, viewer.company_id)
    ):
        raise DomainError.single(
            OrderErrorCode.INVALID_PRICE_TOKEN,
            "This price was given for another specification.",
            path,
        )
    return claim.net


async def order_place(
    uow: UnitOfWork, viewer: Viewer, tokens: PriceTokenConfig, cmd: OrderPlace
) -> Order:
    """Requires PLACE_ORDERS (a binding order, released to production at once) or
    REQUEST_ORDERS (a proposal waiting for a colleague's approval). The same idempotency key
    gives the same order, never two."""
    require_ordering(viewer)
    assert viewer.company_id is not None
    _validate(cmd, utcnow().date())
    async with uow:
        # Placements with the same key wait for each other; the later one finds the order.
        await uow.session.execute(
            select(
                func.pg_advisory_xact_lock(
                    func.hashtext(f"order:{viewer.company_id}:{cmd.idempotency_key}")
                )
            )
        )
        existing = await _existing(uow, viewer.company_id, cmd.idempotency_key)
        if existing is not None:
            if existing.idempotency_fingerprint not in (None, _fingerprint(cmd)):
                raise DomainError.single(
                    OrderErrorCode.IDEMPOTENCY_KEY_REUSED,
                    "This idempotency key was used for a different order; use a new key for a "
                    "new request.",
                    "idempotencyKey",
                )
            return existing
        lines = list(await cart_lines(uow, viewer))
        if cmd.cart_line_ids is not None:
            wanted = set(cmd.cart_line_ids)
            lines = [line for line in lines if line.id in wanted]
            if len(lines) != len(wanted):
                raise DomainError.single(
                    OrderErrorCode.NOT_FOUND, "Cart line not found.", "cartLineIds"
                )
        if not lines:
            raise DomainError.single(OrderErrorCode.CART_EMPTY, "The cart is empty.", "cartLineIds")
        errors = ErrorCollector()
        priced_lines: list[tuple[PricedLine, int]] = []
        for index, line in enumerate(lines):
            priced = await price_cart_line(uow, viewer, line)
            for problem in priced.problems:
                errors.add(
                    problem.code, problem.message, ("lines", str(index), *(problem.field or ()))
                )
            if priced.problems or priced.result is None or priced.result.net is None:
                continue
            net = priced.result.net.amount
            token = cmd.price_tokens.get(line.id)
            if token is not None:
                try:
                    expected = await _expected_subject(uow, priced)
                    honoured = _check_token(tokens, priced, token, viewer, index, expected)
                except DomainError as exc:
                    errors.details.extend(exc.details)
                    continue
                if honoured is not None:
                    net = honoured
            elif (
                line.quoted_net is not None
                and line.quoted_net != net
                and not cmd.accept_price_changes
            ):
                errors.add(
                    OrderErrorCode.PRICE_CHANGED,
                    f"The price of '{priced.title}' changed from {line.quoted_net / 100:.2f} to "
                    f"{net / 100:.2f} {priced.result.currency}; confirm the new price.",
                    ("lines", str(index)),
                )
                continue
            priced_lines.append((priced, net))
        errors.raise_if_any()

        company = await uow.session.get(Company, viewer.company_id)
        assert company is not None
        number_value = await uow.scalar(select(text("nextval('order_number_seq')")))
        binding = places_binding(viewer)
        currency = priced_lines[0][0].result.currency  # type: ignore[union-attr]
        order = Order(
            number=f"i-{number_value}",
            kind="WEB",
            company_id=company.id,
            orderer_id=viewer.user_id,
            channel_id=lines[0].channel_id,
            status=OrderStatus.RELEASED if binding else OrderStatus.PENDING_APPROVAL,
            idempotency_key=cmd.idempotency_key,
            idempotency_fingerprint=_fingerprint(cmd),
            customer_reference=cmd.customer_reference.strip(),
            desired_delivery_date=cmd.desired_delivery_date,
            delivery_address=await _address(uow, viewer, cmd),
            payment_method=cmd.payment_method,
            remarks=cmd.remarks.strip(),
            currency=currency,
            net_amount=0,
            vat_amount=0,
            gross_amount=0,
        )
        uow.session.add(order)
        await uow.session.flush()
        net_total = vat_total = 0
        for position, (priced, net) in enumerate(priced_lines, start=1):
            result = priced.result
            assert result is not None
            vat = (net * int(result.vat_rate_percent * 100) + 5000) // 10000
            net_total += net
            vat_total += vat
            uow.session.add(
                OrderLine(
                    order_id=order.id,
                    position=position,
                    product_id=priced.product.id if priced.product else None,
                    product_version_id=priced.version_id,
                    part_id=priced.line.part_id,
                    title=priced.title,
                    specification=priced.specification,
                    personalisation=priced.line.personalisation,
                    remarks=priced.line.remarks,
                    quantity=priced.line.quantity,
                    net_amount=net,
                    vat_amount=vat,
                    vat_rate_percent=result.vat_rate_percent,
                    price_lines=price_lines_json(result),
                )
            )
        order.net_amount, order.vat_amount = net_total, vat_total
        order.gross_amount = net_total + vat_total
        await record_placed(uow, viewer, order, "placed" if binding else "proposed")
        await clear_cart(uow, viewer, [p.line.id for p, _ in priced_lines])
        try:
            await uow.commit()
        except IntegrityError:
            # The same key placed concurrently: answer with the order that won.
            await uow.rollback()
            winner = await _existing(uow, viewer.company_id, cmd.idempotency_key)
            if winner is None:
                raise
            return winner
        return order
