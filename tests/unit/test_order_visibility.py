"""The order-visibility rule in its three forms (domain/orders/policies.py): `order_scope` for
queries, `sees_order` for one event or row, `order_audience` for sharing loads between
viewers. They must agree; the order subscriptions' tenant filter is `sees_order` itself."""

from __future__ import annotations

import itertools
import uuid

from sqlalchemy.dialects import postgresql

from domain.accounts.rights import Right, StaffRole
from domain.accounts.viewer import Viewer, ViewerKind
from domain.events.ports import StoredEvent
from domain.orders.policies import order_audience, order_scope, sees_order
from resolvers.orders.subscriptions import ORDER_TOPICS, tenant_filter

RIGHT_SETS = (frozenset(), frozenset({Right.VIEW_COMPANY_ORDERS}), frozenset({Right.VIEW_FINANCES}))


def viewers() -> list[Viewer]:
    out = []
    for kind, company, user, rights in itertools.product(
        ViewerKind, (None, 1, 2), (None, 10, 11), RIGHT_SETS
    ):
        role = StaffRole.SALES if kind is ViewerKind.STAFF else None
        out.append(Viewer(kind, user, company, rights, role, uuid.uuid4()))
    return out


ORDERS = list(itertools.product((None, 1, 2), (None, 10, 11)))  # (company, orderer)


def test_viewers_with_one_audience_see_the_same_orders() -> None:
    by_audience: dict[object, set[tuple[bool, ...]]] = {}
    for viewer in viewers():
        seen = tuple(sees_order(viewer, c, o) for c, o in ORDERS)
        by_audience.setdefault(order_audience(viewer), set()).add(seen)
    assert all(len(answers) == 1 for answers in by_audience.values()), by_audience


def test_sees_order_is_order_scope_row_by_row() -> None:
    for viewer in viewers():
        sql = str(
            order_scope(viewer).compile(
                dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}
            )
        )
        if sql == "true":
            assert all(sees_order(viewer, c, o) for c, o in ORDERS if c is not None)
        elif sql == "false":
            assert not any(sees_order(viewer, c, o) for c, o in ORDERS)
        else:
            for c, o in ORDERS:
                if c is None:
                    continue
                expected = c == viewer.company_id and (
                    "orderer_id" not in sql or o == viewer.user_id
                )
                assert sees_order(viewer, c, o) == expected, (viewer, c, o, sql)


def test_the_subscription_filter_is_sees_order() -> None:
    for viewer in viewers():
        accept = tenant_filter(viewer, ORDER_TOPICS)
        for (company, orderer), topic in itertools.product(ORDERS, (*ORDER_TOPICS, "job.x")):
            event = StoredEvent(1, topic, company, {"ordererId": orderer})
            expected = topic in ORDER_TOPICS and sees_order(viewer, company, orderer)
            assert accept(event) == expected
