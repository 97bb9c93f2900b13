"""Query fields of routing: supplier jobs (staff; a supplier system its own), rules, channels."""

from __future__ import annotations

import strawberry
from strawberry import relay

from domain.routing import setup
from domain.routing.supplier_jobs import supplier_jobs_list
from resolvers.pagination import page_window
from schema.context import Info
from schema.core import Connection, build_connection, decode_gid
from schema.orders.types import Order
from schema.permissions import IsAuthenticated, IsStaff
from schema.routing.types import RoutingRule, SupplierChannel, SupplierJob, SupplierJobStatus
from schema.stock.types import Supplier


@strawberry.type
class RoutingQuery:
    @strawberry.field(
        description="Supplier jobs, newest first, optionally of one status or order, with their "
        "lines and hand-off attempts. Staff see all; a supplier system (its API key) its own; "
        "anyone else none.",
        permission_classes=[IsAuthenticated],
    )
    async def supplier_jobs(
        self,
        info: Info,
        status: SupplierJobStatus | None = None,
        order_id: relay.GlobalID | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[SupplierJob]:
        offset, limit = page_window(info, first, after)
        ctx = info.context
        order_pk = decode_gid(order_id, Order) if order_id is not None else None
        if order_id is not None and order_pk is None:
            order_pk = -1
        views, total = await supplier_jobs_list(
            ctx.uow, ctx.viewer, status, order_pk, offset, limit
        )
        staff = ctx.viewer.is_staff
        return build_connection(
            views, offset, total, lambda v: SupplierJob.from_view(v, staff=staff)
        )

    @strawberry.field(
        description="The routing rules. Requires staff role ADMIN or SALES.",
        permission_classes=[IsAuthenticated, IsStaff],
    )
    async def routing_rules(self, info: Info) -> list[RoutingRule]:
        ctx = info.context
        return [RoutingRule.from_model(r) for r in await setup.routing_rules(ctx.uow, ctx.viewer)]

    @strawberry.field(
        description="A supplier's channel (null: none yet). Requires staff role ADMIN or SALES.",
        permission_classes=[IsAuthenticated, IsStaff],
    )
    async def supplier_channel(
        self, info: Info, supplier_id: relay.GlobalID
    ) -> SupplierChannel | None:
        ctx = info.context
        pk = decode_gid(supplier_id, Supplier)
        channel = await setup.supplier_channel(ctx.uow, ctx.viewer, pk) if pk else None
        return SupplierChannel.from_model(channel) if channel else None
