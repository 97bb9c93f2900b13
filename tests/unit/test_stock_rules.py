"""Pure stock rules and policies: availability, reorder suggestions, purchase order status,
input checks, who sees which stock and which events. No database."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from sqlalchemy.dialects import postgresql

from domain.accounts.rights import Right, StaffRole
from domain.accounts.viewer import ANONYMOUS, Viewer, ViewerKind
from domain.events.ports import StoredEvent
from domain.orders.delivery import DeliveryAddress
from domain.shared.errors import DomainError, ErrorCollector
from domain.stock.calloff import CallOffCreate, CallOffLine, validate_call_off
from domain.stock.errors import StockErrorCode
from domain.stock.models import PurchaseOrderStatus
from domain.stock.policies import (
    RECEIVING_ROLES,
    STOCK_DESK_ROLES,
    purchasing_scope,
    require_call_off,
    require_stock_role,
    require_supplier,
    sees_stock_of,
    stock_scope,
)
from domain.stock.rules import (
    SKU_RE,
    available,
    check_lines,
    normalise_sku,
    purchase_order_status,
    suggested_quantity,
)
from domain.stock.supplier_feed import _digest, is_supplier_key

ACME, GLOBEX = 1, 2
TODAY = dt.date(2027, 3, 1)


def portal(company: int = ACME, *rights: Right) -> Viewer:
    return Viewer(
        ViewerKind.PORTAL,
        user_id=10,
        company_id=company,
        rights=frozenset(rights),
        session_id=uuid.uuid4(),
    )


def staff(role: StaffRole) -> Viewer:
    return Viewer(ViewerKind.STAFF, user_id=1, role=role, session_id=uuid.uuid4())


SUPPLIER = Viewer(ViewerKind.SUPPLIER, supplier_id=7)


def sql(expr: object) -> str:
    return str(expr.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}))  # type: ignore[attr-defined]


def codes(exc: pytest.ExceptionInfo[DomainError]) -> list[tuple[str, tuple[str, ...] | None]]:
    return [(d.code.value, d.field) for d in exc.value.details]


def test_available_is_on_hand_minus_reserved_unless_unlimited() -> None:
    assert available(10, 3, False) == 7
    assert available(0, 0, False) == 0
    assert available(0, 25, True) is None


@pytest.mark.parametrize(
    ("available_now", "on_order", "reorder_point", "multiple", "expected"),
    [
        (500, 0, 200, 100, 0),  # well above
        (200, 0, 200, 100, 0),  # at the reorder point: not under it
        (199, 0, 200, 100, 100),  # one under: one multiple
        (0, 0, 1000, 500, 1000),  # shortfall exactly two multiples
        (1, 0, 1000, 500, 1000),  # 999 short rounds up to 1000
        (3, 0, 5, 2, 2),
        (150, 50, 200, 100, 0),  # what is on order counts
        (100, 50, 200, 100, 100),
        (10, 0, 20, 1, 10),
        (10, 0, 20, 0, 10),  # a bad multiple behaves like 1
    ],
)
def test_suggested_quantity(
    available_now: int, on_order: int, reorder_point: int, multiple: int, expected: int
) -> None:
    assert suggested_quantity(available_now, on_order, reorder_point, multiple) == expected
    if expected:
        assert expected % max(multiple, 1) == 0
        assert available_now + on_order + expected >= reorder_point


def test_purchase_order_status_follows_receipts() -> None:
    assert purchase_order_status([(10, 0), (5, 0)]) is PurchaseOrderStatus.OPEN
    assert purchase_order_status([(10, 4), (5, 0)]) is PurchaseOrderStatus.PARTIALLY_RECEIVED
    assert purchase_order_status([(10, 10), (5, 0)]) is PurchaseOrderStatus.PARTIALLY_RECEIVED
    assert purchase_order_status([(10, 10), (5, 5)]) is PurchaseOrderStatus.RECEIVED


def test_check_lines() -> None:
    errors = ErrorCollector()
    check_lines(errors, [(1, 0), (2, -1), (1, 5), (3, 2_000_000)], id_field="stockItemId")
    assert [(d.code, d.field) for d in errors.details] == [
        (StockErrorCode.INVALID_QUANTITY, ("lines", "0", "quantity")),
        (StockErrorCode.INVALID_QUANTITY, ("lines", "1", "quantity")),
        (StockErrorCode.DUPLICATE_LINE, ("lines", "2", "stockItemId")),
        (StockErrorCode.INVALID_QUANTITY, ("lines", "3", "quantity")),
    ]
    errors = ErrorCollector()
    check_lines(errors, [], id_field="stockItemId")
    assert [(d.code, d.field) for d in errors.details] == [(StockErrorCode.REQUIRED, ("lines",))]
    errors = ErrorCollector()
    check_lines(errors, [(i, 1) for i in range(101)], id_field="stockItemId")
    assert [d.code for d in errors.details] == [StockErrorCode.INVALID]


def test_skus_are_normalised_and_checked() -> None:
    assert normalise_sku("  lh-a4 ") == "LH-A4"
    assert SKU_RE.fullmatch("PEN-BLUE.2/XL_1")
    for bad in ("", "-LEADING", "WITH SPACE", "Ü-UMLAUT", "X" * 41):
        assert not SKU_RE.fullmatch(normalise_sku(bad)), bad


def test_call_off_validation_reports_everything_at_once() -> None:
    cmd = CallOffCreate(
        idempotency_key=" ",
        lines=[CallOffLine(1, 0), CallOffLine(1, 2)],
        desired_delivery_date=TODAY - dt.timedelta(days=1),
        customer_reference="x" * 101,
        delivery_address=DeliveryAddress(
            name="", street="s", postal_code="1", city="c", country="DE"
        ),
    )
    with pytest.raises(DomainError) as exc:
        validate_call_off(cmd, TODAY)
    assert codes(exc) == [
        ("REQUIRED", ("idempotencyKey",)),
        ("INVALID_QUANTITY", ("lines", "0", "quantity")),
        ("DUPLICATE_LINE", ("lines", "1", "stockItemId")),
        ("INVALID_DATE", ("desiredDeliveryDate",)),
        ("INVALID", ("customerReference",)),
        ("INVALID_ADDRESS", ("deliveryAddress", "name")),
    ]
    validate_call_off(
        CallOffCreate(idempotency_key="k", lines=[CallOffLine(1, 1)], desired_delivery_date=TODAY),
        TODAY,
    )


def test_stock_scope() -> None:
    assert sql(stock_scope(staff(StaffRole.PRODUCTION))) == "true"
    assert sql(stock_scope(portal(ACME))) == "stock_item.company_id = 1"
    assert sql(stock_scope(ANONYMOUS)) == "false"
    assert sql(stock_scope(SUPPLIER)) == "false"
    assert sql(purchasing_scope(staff(StaffRole.SALES))) == "true"
    for viewer in (portal(ACME, *Right), SUPPLIER, ANONYMOUS):
        assert sql(purchasing_scope(viewer)) == "false"


def test_who_sees_which_level_events() -> None:
    from resolvers.stock.subscriptions import stock_filter

    def event(
        company: int | None, item: int = 5, topic: str = "stock.level_changed"
    ) -> StoredEvent:
        return StoredEvent(id=1, topic=topic, company_id=company, payload={"stockItemId": item})

    assert sees_stock_of(staff(StaffRole.PRODUCTION), GLOBEX)
    assert sees_stock_of(portal(ACME), ACME) and not sees_stock_of(portal(ACME), GLOBEX)
    assert not sees_stock_of(portal(ACME), None)
    assert not sees_stock_of(SUPPLIER, ACME) and not sees_stock_of(ANONYMOUS, ACME)
    accept = stock_filter(portal(ACME), None)
    assert accept(event(ACME)) and not accept(event(GLOBEX))
    assert not accept(event(ACME, topic="order.placed"))
    one_item = stock_filter(portal(ACME), 5)
    assert one_item(event(ACME, 5)) and not one_item(event(ACME, 6))


def test_rights_and_roles() -> None:
    for rights in ((Right.PLACE_ORDERS,), (Right.REQUEST_ORDERS,)):
        require_call_off(portal(ACME, *rights))
    for viewer in (
        portal(ACME, Right.APPROVE_ORDERS, Right.VIEW_COMPANY_ORDERS),
        staff(StaffRole.ADMIN),
        SUPPLIER,
        ANONYMOUS,
    ):
        with pytest.raises(DomainError) as exc:
            require_call_off(viewer)
        assert codes(exc) == [("PERMISSION_DENIED", None)]
    require_stock_role(staff(StaffRole.SALES), STOCK_DESK_ROLES)
    require_stock_role(staff(StaffRole.PRODUCTION), RECEIVING_ROLES)
    for viewer, roles in (
        (staff(StaffRole.PRODUCTION), STOCK_DESK_ROLES),
        (staff(StaffRole.ACCOUNTING), RECEIVING_ROLES),
        (portal(ACME, *Right), RECEIVING_ROLES),
    ):
        with pytest.raises(DomainError) as exc:
            require_stock_role(viewer, roles)
        assert codes(exc)[0][0] == "PERMISSION_DENIED"
    assert require_supplier(SUPPLIER) == 7
    with pytest.raises(DomainError):
        require_supplier(staff(StaffRole.ADMIN))


def test_supplier_keys_and_message_digests() -> None:
    assert (
        is_supplier_key("prs_sup_abc")
        and not is_supplier_key("eyJhbGciOi...")
        and not is_supplier_key(None)
    )
    # The same items in another order are the same message; other counts are not.
    assert _digest([("A", 1), ("B", 2)]) == _digest([("B", 2), (" A ", 1)])
    assert _digest([("A", 1)]) != _digest([("A", 2)])
