"""The order services against an in-memory unit of work: placing, approving, the state
machine and production progress, and the two seams (line pricing, order events). No
database; the same flows run against PostgreSQL in tests/api/test_order_*.py."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from domain.accounts.models import PortalUser
from domain.accounts.rights import Right
from domain.accounts.viewer import Viewer, ViewerKind
from domain.catalog.models import Channel
from domain.notifications.kinds import NotificationEvent, Recipients, kinds_for
from domain.orders import checkout
from domain.orders.errors import OrderErrorCode
from domain.orders.lifecycle import approve, transition
from domain.orders.models import CartLine, Order, OrderLine, OrderStatusChange
from domain.orders.placing import LineToPlace, OrderDraft, add_order, record_placed
from domain.orders.progress import order_follow_production
from domain.orders.signals import OrderStatusChanged
from domain.orders.state import OrderKind, OrderStatus
from domain.pricing import lines as line_seam
from domain.pricing.lines import LineKind, LineRequest, PricedLine
from domain.pricing.result import PriceResult
from domain.pricing.tokens import PriceTokenConfig
from domain.production.state import JobStatus, production_progress
from domain.shared import domain_events
from domain.shared.errors import DomainError
from domain.shared.money import Money
from tests.unit.orders.fake_uow import FakeUnitOfWork

COMPANY = 7
BUYER = Viewer(ViewerKind.PORTAL, 1, COMPANY, frozenset({Right.PLACE_ORDERS}))
REQUESTER = Viewer(ViewerKind.PORTAL, 2, COMPANY, frozenset({Right.REQUEST_ORDERS}))
APPROVER = Viewer(ViewerKind.PORTAL, 3, COMPANY, frozenset({Right.APPROVE_ORDERS}))


@pytest.fixture
def heard(monkeypatch: pytest.MonkeyPatch) -> list[OrderStatusChanged]:
    """Fresh seams for each test: no registered strategies, one recording subscriber."""
    monkeypatch.setattr(domain_events, "_HANDLERS", {})
    monkeypatch.setattr(line_seam, "_STRATEGIES", {})
    events: list[OrderStatusChanged] = []

    async def record(uow: Any, event: OrderStatusChanged) -> None:
        events.append(event)

    domain_events.subscribe(OrderStatusChanged, record)
    return events


def priced(net: int, rate: str = "19", *, kind: str = LineKind.PRODUCT) -> PricedLine:
    request = LineRequest(kind, 5, 11, 100, {"paper": "matt"}, None)
    result = PriceResult(100, "EUR", Decimal(rate), net=Money(net, "EUR"))
    return PricedLine(request, 11, 21, "Leaflet", {"values": {}}, result, token_subject="pv:21")


def draft(status: OrderStatus) -> OrderDraft:
    return OrderDraft(
        kind=OrderKind.WEB, company_id=COMPANY, status=status, currency="EUR", orderer_id=2
    )


async def place(uow: FakeUnitOfWork, viewer: Viewer, status: OrderStatus, *nets: int) -> Order:
    lines = [LineToPlace(priced(net), net) for net in nets]
    order = await add_order(uow, draft(status), lines)
    await record_placed(uow, viewer, order, "placed")
    return order


async def test_placing_adds_lines_and_totals_and_tells_subscribers_of_the_release(
    heard: list[OrderStatusChanged],
) -> None:
    uow = FakeUnitOfWork()
    order = await place(uow, BUYER, OrderStatus.RELEASED, 10_000, 2_550)
    assert order.number == "i-1000"
    assert (order.net_amount, order.vat_amount, order.gross_amount) == (12_550, 2_385, 14_935)
    lines = uow.session.all(OrderLine)
    assert [(ln.position, ln.net_amount, ln.vat_amount) for ln in lines] == [
        (1, 10_000, 1_900),
        (2, 2_550, 485),
    ]
    assert lines[0].product_version_id == 21 and lines[0].price_lines == []
    [history] = uow.session.all(OrderStatusChange)
    assert (history.from_status, history.to_status, history.actor_kind) == (
        None,
        "RELEASED",
        "CUSTOMER",
    )
    assert [(e.previous, e.status, e.released) for e in heard] == [
        (None, OrderStatus.RELEASED, True)
    ]
    assert [topic for topic, _, _ in uow.events] == ["order.placed"]


async def test_vat_uses_the_exact_rate_rounded_once(heard: list[OrderStatusChanged]) -> None:
    """8.125 % of 100.01 is 8.1258: 8.13, where the rate truncated to 8.12 % gave 8.12."""
    uow = FakeUnitOfWork()
    order = await add_order(
        uow, draft(OrderStatus.RELEASED), [LineToPlace(priced(10_001, "8.125"), 10_001)]
    )
    assert order.vat_amount == 813


async def test_a_proposal_is_not_released(heard: list[OrderStatusChanged]) -> None:
    uow = FakeUnitOfWork()
    order = await place(uow, REQUESTER, OrderStatus.PENDING_APPROVAL, 1_000)
    assert order.status is OrderStatus.PENDING_APPROVAL
    assert [e.released for e in heard] == [False]


async def test_approving_releases_the_order_and_tells_the_proposer(
    heard: list[OrderStatusChanged],
) -> None:
    uow = FakeUnitOfWork()
    order = await place(uow, REQUESTER, OrderStatus.PENDING_APPROVAL, 1_000)
    uow.session.add(PortalUser(id=2, email="buyer@acme.example", full_name="Bea Buyer"))
    await uow.session.flush()
    await approve(uow, APPROVER, order)
    assert order.status is OrderStatus.RELEASED and order.approved_by_id == APPROVER.user_id
    assert heard[-1].previous is OrderStatus.PENDING_APPROVAL and heard[-1].released
    assert [t for t, _, _ in uow.events] == ["order.placed", "order.status_changed"]
    # The proposer is told by domain/notifications, which follows this event (the mail itself
    # is tested through the API in tests/api/test_notifications.py).
    _, _, payload = uow.events[-1]
    assert payload["from"] == "PENDING_APPROVAL" and payload["status"] == "RELEASED"
    assert payload["ordererId"] == order.orderer_id
    [kind] = kinds_for("order.status_changed", payload)
    assert kind.event is NotificationEvent.ORDER_APPROVED
    assert kind.recipients is Recipients.ORDERER


@pytest.mark.parametrize(
    ("viewer", "status", "code"),
    [
        (BUYER, OrderStatus.PENDING_APPROVAL, OrderErrorCode.PERMISSION_DENIED),
        (
            Viewer(ViewerKind.PORTAL, 2, COMPANY, frozenset({Right.APPROVE_ORDERS})),
            OrderStatus.PENDING_APPROVAL,
            OrderErrorCode.OWN_PROPOSAL,
        ),
        (APPROVER, OrderStatus.RELEASED, OrderErrorCode.ALREADY_DECIDED),
    ],
)
async def test_approving_is_refused(
    heard: list[OrderStatusChanged], viewer: Viewer, status: OrderStatus, code: OrderErrorCode
) -> None:
    uow = FakeUnitOfWork()
    order = await place(uow, REQUESTER, status, 1_000)
    heard.clear()
    with pytest.raises(DomainError) as exc:
        await approve(uow, viewer, order)
    assert exc.value.details[0].code is code
    assert order.status is status and heard == []


async def test_the_state_machine_refuses_a_move_it_has_no_edge_for(
    heard: list[OrderStatusChanged],
) -> None:
    uow = FakeUnitOfWork()
    order = await place(uow, BUYER, OrderStatus.RELEASED, 1_000)
    heard.clear()
    staff = Viewer(ViewerKind.STAFF, 9)
    with pytest.raises(DomainError) as exc:
        await transition(uow, staff, order, OrderStatus.DELIVERED, "")
    assert exc.value.details[0].code is OrderErrorCode.INVALID_TRANSITION
    assert order.status is OrderStatus.RELEASED and heard == []
    # A customer may not start production either; the system may.
    with pytest.raises(DomainError):
        await transition(uow, BUYER, order, OrderStatus.IN_PRODUCTION, "")
    await transition(uow, BUYER, order, OrderStatus.IN_PRODUCTION, "", system=True)
    assert order.status.value == "IN_PRODUCTION" and heard[-1].system


async def test_production_progress_moves_the_order_through_the_state_machine(
    heard: list[OrderStatusChanged],
) -> None:
    uow = FakeUnitOfWork()
    order = await place(uow, BUYER, OrderStatus.RELEASED, 1_000)
    held = production_progress([JobStatus.ON_HOLD, JobStatus.WAITING])
    await order_follow_production(uow, BUYER, order, held)
    assert order.status is OrderStatus.RELEASED  # a held job is no work begun
    done = production_progress([JobStatus.DONE, JobStatus.CANCELLED])
    await order_follow_production(uow, BUYER, order, done)
    assert order.status.value == "COMPLETED"  # (mypy keeps the RELEASED it narrowed to)
    moves = [(h.from_status, h.to_status) for h in uow.session.all(OrderStatusChange)]
    assert moves[1:] == [("RELEASED", "IN_PRODUCTION"), ("IN_PRODUCTION", "COMPLETED")]
    assert {h.actor_kind for h in uow.session.all(OrderStatusChange)[1:]} == {"SYSTEM"}


class QuoteLinePricing:
    """What a new kind of line looks like to checkout: a strategy registered for its kind."""

    kind: str = LineKind.PRODUCT

    def __init__(self, net: int) -> None:
        self.net = net

    async def admit(self, uow: Any, viewer: Viewer, request: LineRequest) -> LineRequest:
        return request

    async def price(self, uow: Any, viewer: Viewer, request: LineRequest) -> PricedLine:
        return priced(self.net)


async def test_checkout_prices_lines_through_the_registered_strategy(
    heard: list[OrderStatusChanged],
) -> None:
    uow = FakeUnitOfWork()
    uow.session.add(Channel(id=5, code="web", name="Web", currency="EUR"))
    await uow.session.flush()
    line_seam.register_line_pricing(QuoteLinePricing(net=1_200))
    line = CartLine(id=40, channel_id=5, product_id=11, values={}, quantity=100, quoted_net=1_000)
    line.remarks, line.personalisation = "", {}
    tokens = PriceTokenConfig(secret=b"x" * 32)
    cmd = checkout.OrderPlace(idempotency_key="k")
    with pytest.raises(DomainError) as exc:
        await checkout._checked_lines(uow, BUYER, tokens, cmd, [line])
    assert [d.code for d in exc.value.details] == [OrderErrorCode.PRICE_CHANGED]
    accepted = checkout.OrderPlace(idempotency_key="k", accept_price_changes=True)
    [checked] = await checkout._checked_lines(uow, BUYER, tokens, accepted, [line])
    assert checked.net == 1_200 and checked.priced.title == "Leaflet"


async def test_an_unregistered_kind_of_line_fails_loudly(heard: list[OrderStatusChanged]) -> None:
    with pytest.raises(LookupError, match="server registers them"):
        line_seam.line_pricing(LineKind.LASER_PART)


class PricelessLinePricing(QuoteLinePricing):
    async def price(self, uow: Any, viewer: Viewer, request: LineRequest) -> PricedLine:
        return PricedLine(request, None, None, "Mystery", {}, None)


async def test_checkout_refuses_a_line_without_price_or_reason(
    heard: list[OrderStatusChanged],
) -> None:
    """A strategy that answers neither a price nor a problem does not drop the line."""
    uow = FakeUnitOfWork()
    uow.session.add(Channel(id=5, code="web", name="Web", currency="EUR"))
    await uow.session.flush()
    line_seam.register_line_pricing(PricelessLinePricing(net=0))
    line = CartLine(id=41, channel_id=5, product_id=11, values={}, quantity=1)
    cmd = checkout.OrderPlace(idempotency_key="k")
    with pytest.raises(DomainError) as exc:
        await checkout._checked_lines(uow, BUYER, PriceTokenConfig(b"x" * 32), cmd, [line])
    assert [(d.code, d.field) for d in exc.value.details] == [
        (OrderErrorCode.PRODUCT_UNAVAILABLE, ("lines", "0"))
    ]
