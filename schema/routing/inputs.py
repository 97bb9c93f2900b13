"""Inputs of the routing mutations."""

from __future__ import annotations

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from schema.routing.types import SupplierAutomation, SupplierChannelKind, SupplierJobStatus


@strawberry.input(description="A product's or a laser material's routing (give one of them).")
class RoutingRuleSetInput:
    product_id: relay.GlobalID | None = None
    laser_material_code: str | None = strawberry.field(
        default=None, description="As in a laser part's `materialCode`."
    )
    supplier_id: relay.GlobalID | None = strawberry.field(
        default=None, description="The supplier; null: own production."
    )


@strawberry.input(description="How and when a supplier receives its jobs.")
class SupplierChannelSetInput:
    supplier_id: relay.GlobalID
    kind: SupplierChannelKind
    settings: JSON = strawberry.field(
        description="HTTP: {url}; FTP: {host, port, username, folder, tls}; SFTP: {host, port, "
        "username, folder, knownHosts}; EMAIL: {email}."
    )
    automation: SupplierAutomation = SupplierAutomation.IMMEDIATE
    delay_seconds: int = strawberry.field(
        default=0, description="With DELAYED: how long after release a job is sent."
    )
    secret: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="HTTP: the signing key; FTP/SFTP: the password. Omit to keep the stored "
        "one, null to remove it. Never shown again.",
    )


@strawberry.input(description="Where one line of an order not yet released is made.")
class OrderLineRouteSetInput:
    order_id: relay.GlobalID
    position: int
    supplier_id: relay.GlobalID | None = None
    own_production: bool = False


@strawberry.input(description="A supplier's report on a job it received.")
class SupplierJobReportInput:
    number: str = strawberry.field(description="The job number the supplier received.")
    status: SupplierJobStatus = strawberry.field(
        description="ACCEPTED, IN_PRODUCTION, SHIPPED (with trackingNumber) or PROBLEM "
        "(with message)."
    )
    carrier: str | None = None
    tracking_number: str | None = None
    tracking_url: str | None = None
    message: str | None = None
    reference: str | None = strawberry.field(default=None, description="The supplier's own.")
