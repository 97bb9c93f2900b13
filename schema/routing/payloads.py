"""Payloads of the routing mutations."""

from __future__ import annotations

import strawberry

from schema.routing.types import RoutingError, RoutingRule, SupplierChannel, SupplierJob


@strawberry.type
class RoutingRulePayload:
    rule: RoutingRule | None = None
    errors: list[RoutingError]


@strawberry.type
class RoutingRuleDeletePayload:
    deleted_id: strawberry.ID | None = None
    errors: list[RoutingError]


@strawberry.type
class SupplierChannelPayload:
    channel: SupplierChannel | None = None
    errors: list[RoutingError]


@strawberry.type
class OrderLineRoutePayload:
    ok: bool = False
    errors: list[RoutingError]


@strawberry.type
class SupplierJobPayload:
    supplier_job: SupplierJob | None = None
    errors: list[RoutingError]
