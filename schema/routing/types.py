"""Routing rules, supplier channels and supplier jobs (staff; a supplier system sees its own
jobs)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TypeAlias

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from domain.routing import models as rm
from domain.routing import state as rs
from domain.routing.errors import RoutingErrorCode as _RoutingErrorCode
from domain.routing.supplier_jobs import SupplierJobView, supplier_jobs_by_ids
from schema.context import Info
from schema.core import UserError, to_gid

SupplierJobStatus: TypeAlias = rs.SupplierJobStatus
strawberry.enum(
    SupplierJobStatus,
    description="Where a supplier job stands: AWAITING_RELEASE (manual, or no channel), "
    "SCHEDULED (a hand-off is queued, maybe after a delay), SENT, then what the supplier "
    "reports (ACCEPTED, IN_PRODUCTION, SHIPPED, PROBLEM); ON_HOLD after a failed hand-off; "
    "CANCELLED.",
)
SupplierChannelKind: TypeAlias = rs.ChannelKind
strawberry.enum(
    SupplierChannelKind, name="SupplierChannelKind", description="How a supplier receives jobs."
)
SupplierAutomation: TypeAlias = rs.Automation
strawberry.enum(
    SupplierAutomation,
    name="SupplierAutomation",
    description="When a supplier's jobs are sent: IMMEDIATE on release, DELAYED by the "
    "channel's delay (staff may re-route or cancel meanwhile), or MANUAL (staff release).",
)
RoutingErrorCode: TypeAlias = _RoutingErrorCode
strawberry.enum(RoutingErrorCode, description="Why a routing mutation failed.")


@strawberry.type(description="A failure of a routing or supplier job mutation.")
class RoutingError(UserError):
    code: RoutingErrorCode


@strawberry.type(description="Where a product's or a laser material's lines are made. Staff only.")
class RoutingRule:
    id: strawberry.ID
    product_id: strawberry.ID | None = strawberry.field(description="The product (or null).")
    laser_material_code: str | None
    supplier_id: strawberry.ID | None = strawberry.field(
        description="The supplier making the work; null: own production."
    )

    @classmethod
    def from_model(cls, r: rm.RoutingRule) -> RoutingRule:
        return cls(
            id=strawberry.ID(str(to_gid("RoutingRule", r.id))),
            product_id=strawberry.ID(str(to_gid("Product", r.product_id)))
            if r.product_id
            else None,
            laser_material_code=r.laser_material_code,
            supplier_id=strawberry.ID(str(to_gid("Supplier", r.supplier_id)))
            if r.supplier_id
            else None,
        )


@strawberry.type(description="How and when a supplier receives its jobs. Staff only.")
class SupplierChannel:
    supplier_id: strawberry.ID
    kind: SupplierChannelKind
    settings: JSON = strawberry.field(description="URL, host/folder or e-mail; no secret.")
    automation: SupplierAutomation
    delay_seconds: int
    has_secret: bool = strawberry.field(
        description="A signing key or password is stored (it is never shown)."
    )

    @classmethod
    def from_model(cls, c: rm.SupplierChannel) -> SupplierChannel:
        return cls(
            supplier_id=strawberry.ID(str(to_gid("Supplier", c.supplier_id))),
            kind=c.kind,
            settings=JSON(dict(c.settings)),
            automation=c.automation,
            delay_seconds=c.delay_s,
            has_secret=bool(c.secret),
        )


@strawberry.type(description="A line of an order that a supplier makes.")
class SupplierJobLine:
    position: int
    title: str
    quantity: int


@strawberry.type(description="One try to hand a supplier job to its channel. Staff only.")
class HandoffAttempt:
    attempt: int
    channel: str
    ok: bool
    error: str | None = strawberry.field(description="What went wrong (never a secret).")
    at: dt.datetime


@strawberry.type(
    description="The lines of a released order that one supplier makes, with their own "
    "status. Staff see every one, a supplier system its own; customers none."
)
class SupplierJob(relay.Node):
    id: relay.NodeID[int]
    number: str = strawberry.field(description="`<order number>/S<n>`: what the supplier gets.")
    status: SupplierJobStatus
    supplier_id: strawberry.ID
    order_id: strawberry.ID
    lines: list[SupplierJobLine]
    hold_reason: str | None
    problem: str | None = strawberry.field(description="What the supplier reported.")
    carrier: str | None
    tracking_number: str | None
    tracking_url: str | None
    supplier_reference: str | None
    send_after: dt.datetime | None = strawberry.field(
        description="When a scheduled hand-off is due (the end of the delay)."
    )
    sent_at: dt.datetime | None
    created_at: dt.datetime
    handoff_attempts: list[HandoffAttempt] = strawberry.field(
        description="Each try to send it, oldest first (empty for a supplier system)."
    )

    @classmethod
    def from_view(cls, v: SupplierJobView, *, staff: bool) -> SupplierJob:
        j = v.job
        return cls(
            id=j.id,
            number=j.number,
            status=j.status,
            supplier_id=strawberry.ID(str(to_gid("Supplier", j.supplier_id))),
            order_id=strawberry.ID(str(to_gid("Order", j.order_id))),
            lines=[SupplierJobLine(position=p, title=t, quantity=q) for p, t, q in v.lines],
            hold_reason=j.hold_reason,
            problem=j.problem,
            carrier=j.carrier,
            tracking_number=j.tracking_number,
            tracking_url=j.tracking_url,
            supplier_reference=j.supplier_reference,
            send_after=j.send_after if j.status is rs.SupplierJobStatus.SCHEDULED else None,
            sent_at=j.sent_at,
            created_at=j.created_at,
            handoff_attempts=[
                HandoffAttempt(
                    attempt=a.attempt, channel=a.channel, ok=a.ok, error=a.error, at=a.at
                )
                for a in v.attempts
            ]
            if staff
            else [],
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[SupplierJob | None]:
        ids = [int(i) if i.isdigit() else -1 for i in node_ids]
        ctx = info.context
        views = await supplier_jobs_by_ids(ctx.uow, ctx.viewer, ids)
        return [cls.from_view(v, staff=ctx.viewer.is_staff) if v else None for v in views]


@strawberry.type(description="A supplier job's status change (staff: all; a supplier: own).")
class SupplierJobStatusEvent:
    event_id: int = strawberry.field(description="Pass as `after` when reconnecting.")
    status: SupplierJobStatus
    previous_status: SupplierJobStatus | None
    number: str = strawberry.field(description="The supplier job's number.")
    tracking_number: str | None
    supplier_job_id: strawberry.ID = strawberry.field(description="Read it with `node`.")
