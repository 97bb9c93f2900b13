"""Checkout: re-price the cart, refuse what changed (line by line), and place the order as a
binding order (PLACE_ORDERS) or a proposal for approval (REQUEST_ORDERS). Idempotent by key.

`order_place` reads as its steps: validate, lock the key, take the cart lines, price and
check each line (`_checked_lines`), add the order through the shared placement service
(domain/orders/placing.py), clear the cart, commit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from domain.accounts.viewer import Viewer
from domain.orders.cart import (
    cart_lines,
    clear_cart,
    line_errors,
    price_cart_line,
    require_ordering,
)
from domain.orders.delivery import DeliveryAddress, check_delivery_address, delivery_address
from domain.orders.errors import OrderErrorCode
from domain.orders.models import CartLine, Order
from domain.orders.payment_methods import OrderPaymentMethod, decide_payment, method_or_default
from domain.orders.placing import (
    LineToPlace,
    OrderDraft,
    add_order,
    check_delivery_date,
    check_idempotency_key,
    record_placed,
)
from domain.orders.policies import places_binding
from domain.orders.shipping_line import shipping_line
from domain.orders.state import OrderKind, OrderStatus
from domain.pricing.errors import PricingErrorCode
from domain.pricing.lines import PricedLine
from domain.pricing.tokens import PriceTokenConfig, verify_price_token
from domain.shared.errors import DomainError, ErrorCollector
from domain.shared.idempotency import request_fingerprint
from domain.shared.models import utcnow
from domain.shared.uow import UnitOfWork


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
    shipping_method_id: int | None = None  # the channel's method, priced as a shipping line


def _validate(cmd: OrderPlace, today: dt.date) -> None:
    errors = ErrorCollector()
    check_idempotency_key(errors, cmd.idempotency_key, OrderErrorCode.REQUIRED)
    check_delivery_date(errors, cmd.desired_delivery_date, today, OrderErrorCode.INVALID_DATE)
    if len(cmd.customer_reference) > 100:
        errors.add(OrderErrorCode.INVALID, "At most 100 characters.", "customerReference")
    check_delivery_address(errors, cmd.delivery_address, OrderErrorCode.INVALID_ADDRESS)
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


def _check_token(
    tokens: PriceTokenConfig,
    priced: PricedLine,
    token: str,
    viewer: Viewer,
    index: int,
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
    subject, spec_hash = priced.token_subject, priced.token_config_hash
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
        claim.quantity != priced.request.quantity
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
        await _lock_key(uow, viewer.company_id, cmd.idempotency_key)
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
        lines = await _chosen_lines(uow, viewer, cmd.cart_line_ids)
        method = await _offered_method(uow, viewer, cmd.payment_method, lines[0].channel_id)
        to_place = await _checked_lines(uow, viewer, tokens, cmd, lines)
        binding = places_binding(viewer)
        draft = await _draft(uow, viewer, cmd, lines, to_place)
        if cmd.shipping_method_id is not None:
            country = str(draft.delivery_address.get("country", ""))
            to_place.append(
                await shipping_line(
                    uow, viewer, draft.channel_id, cmd.shipping_method_id, country, to_place
                )
            )
        order = await add_order(uow, draft, to_place)
        reason = "proposed"
        if binding:
            # after the shipping line: the method sees the order's full gross (credit limit,
            # payment intent amount).
            reason = (await decide_payment(uow, viewer, order, method)).reason
        await record_placed(uow, viewer, order, reason)
        await clear_cart(uow, viewer, [line.id for line in lines])
        return await _commit_or_winner(uow, viewer.company_id, cmd.idempotency_key, order)


async def _offered_method(
    uow: UnitOfWork, viewer: Viewer, code: str, channel_id: int | None
) -> OrderPaymentMethod:
    """The payment method chosen, if it is offered to this viewer in this channel."""
    method = method_or_default(code)
    if method is None or not await method.offered(uow, viewer, channel_id):
        raise DomainError.single(
            OrderErrorCode.UNSUPPORTED_PAYMENT_METHOD,
            f"The payment method {code!r} is not available to you here.",
            "paymentMethod",
        )
    return method


async def _lock_key(uow: UnitOfWork, company_id: int, key: str) -> None:
    """Placements with the same key wait for each other; the later one finds the order."""
    await uow.session.execute(
        select(func.pg_advisory_xact_lock(func.hashtext(f"order:{company_id}:{key}")))
    )


async def _chosen_lines(
    uow: UnitOfWork, viewer: Viewer, line_ids: Sequence[int] | None
) -> list[CartLine]:
    """The cart lines to order: the whole cart, or the named lines (each must be there)."""
    lines = list(await cart_lines(uow, viewer))
    if line_ids is not None:
        wanted = set(line_ids)
        lines = [line for line in lines if line.id in wanted]
        if len(lines) != len(wanted):
            raise DomainError.single(
                OrderErrorCode.NOT_FOUND, "Cart line not found.", "cartLineIds"
            )
    if not lines:
        raise DomainError.single(OrderErrorCode.CART_EMPTY, "The cart is empty.", "cartLineIds")
    return lines


async def _checked_lines(
    uow: UnitOfWork,
    viewer: Viewer,
    tokens: PriceTokenConfig,
    cmd: OrderPlace,
    lines: Sequence[CartLine],
) -> list[LineToPlace]:
    """Every line priced now and checked; all problems of all lines at once, or none."""
    errors = ErrorCollector()
    checked: list[LineToPlace] = []
    for index, line in enumerate(lines):
        priced = await price_cart_line(uow, viewer, line)
        errors.details.extend(line_errors(priced, ("lines", str(index))))
        if not priced.orderable:
            if not priced.problems:  # a strategy that gave no price and no reason
                errors.add(
                    OrderErrorCode.PRODUCT_UNAVAILABLE,
                    "This line has no price.",
                    ("lines", str(index)),
                )
            continue
        try:
            net = _charged_net(tokens, viewer, cmd, line, priced, index)
        except DomainError as exc:
            errors.details.extend(exc.details)
            continue
        checked.append(LineToPlace(priced, net, line.remarks, line.personalisation))
    errors.raise_if_any()
    return checked


def _charged_net(
    tokens: PriceTokenConfig,
    viewer: Viewer,
    cmd: OrderPlace,
    line: CartLine,
    priced: PricedLine,
    index: int,
) -> int:
    """The net a valid price token honours, else today's net unless it moved since the cart
    showed it and the buyer did not accept the change."""
    assert priced.result is not None and priced.result.net is not None
    net = priced.result.net.amount
    token = cmd.price_tokens.get(line.id)
    if token is not None:
        honoured = _check_token(tokens, priced, token, viewer, index)
        return net if honoured is None else honoured
    if line.quoted_net is not None and line.quoted_net != net and not cmd.accept_price_changes:
        raise DomainError.single(
            OrderErrorCode.PRICE_CHANGED,
            f"The price of '{priced.title}' changed from {line.quoted_net / 100:.2f} to "
            f"{net / 100:.2f} {priced.result.currency}; confirm the new price.",
            ("lines", str(index)),
        )
    return net


async def _draft(
    uow: UnitOfWork,
    viewer: Viewer,
    cmd: OrderPlace,
    lines: Sequence[CartLine],
    to_place: Sequence[LineToPlace],
) -> OrderDraft:
    """The order's head: binding or a proposal, in the currency of its lines."""
    assert viewer.company_id is not None
    result = to_place[0].priced.result
    assert result is not None
    return OrderDraft(
        kind=OrderKind.WEB,
        company_id=viewer.company_id,
        orderer_id=viewer.user_id,
        channel_id=lines[0].channel_id,
        status=OrderStatus.RELEASED if places_binding(viewer) else OrderStatus.PENDING_APPROVAL,
        idempotency_key=cmd.idempotency_key,
        idempotency_fingerprint=_fingerprint(cmd),
        customer_reference=cmd.customer_reference,
        desired_delivery_date=cmd.desired_delivery_date,
        delivery_address=await delivery_address(
            uow, viewer.company_id, cmd.delivery_address, cmd.delivery_address_id
        ),
        payment_method=cmd.payment_method,
        remarks=cmd.remarks,
        currency=result.currency,
    )


async def _commit_or_winner(uow: UnitOfWork, company_id: int, key: str, order: Order) -> Order:
    """Commit; when the same key was placed concurrently, answer with the order that won."""
    try:
        await uow.commit()
    except IntegrityError:
        await uow.rollback()
        winner = await _existing(uow, company_id, key)
        if winner is None:
            raise
        return winner
    return order
