"""Mutation fields of routing: rules, supplier channels, supplier jobs, supplier reports."""

from __future__ import annotations

import strawberry

from resolvers.routing.mutations import routing_mutations as r
from resolvers.routing.mutations.supplier_job_report import supplier_job_report
from schema.permissions import IsAuthenticated, IsStaff, IsSupplier

STAFF = [IsAuthenticated, IsStaff]


@strawberry.type
class RoutingMutation:
    routing_rule_set = strawberry.mutation(
        resolver=r.routing_rule_set,
        description="Route a product's (or a laser material's) lines to a supplier, or to own "
        "production with no supplier; replaces the rule of that product or material. Lines "
        "without a rule are made in-house. Requires staff role ADMIN or SALES.",
        permission_classes=STAFF,
    )
    routing_rule_delete = strawberry.mutation(
        resolver=r.routing_rule_delete,
        description="Remove a routing rule (its subject goes back to own production). "
        "Requires staff role ADMIN or SALES.",
        permission_classes=STAFF,
    )
    supplier_channel_set = strawberry.mutation(
        resolver=r.supplier_channel_set,
        description="Set how a supplier receives its jobs (HTTP API, FTP, SFTP, e-mail), with "
        "its write-only secret, and when (immediately, after a delay, on manual release). "
        "Requires staff role ADMIN or SALES.",
        permission_classes=STAFF,
    )
    order_line_route_set = strawberry.mutation(
        resolver=r.order_line_route_set,
        description="Override the routing rules for one line of an order awaiting approval: "
        "a supplier, own production, or neither. Requires staff role ADMIN or SALES.",
        permission_classes=STAFF,
    )
    supplier_job_release = strawberry.mutation(
        resolver=r.supplier_job_release,
        description="Send a supplier job that awaits release, or is on hold after a failed "
        "hand-off, now. Requires staff role ADMIN, SALES or PRODUCTION.",
        permission_classes=STAFF,
    )
    supplier_job_reroute = strawberry.mutation(
        resolver=r.supplier_job_reroute,
        description="While nothing was sent (awaiting release, during the delay, on hold): "
        "give the job to another supplier, or with no `supplierId` make its lines in-house. "
        "Requires staff role ADMIN, SALES or PRODUCTION.",
        permission_classes=STAFF,
    )
    supplier_job_cancel = strawberry.mutation(
        resolver=r.supplier_job_cancel,
        description="Cancel a supplier job nothing was sent of; its lines are not made. "
        "Requires staff role ADMIN, SALES or PRODUCTION.",
        permission_classes=STAFF,
    )
    supplier_job_report = strawberry.mutation(
        resolver=supplier_job_report,
        description="For partner systems: report a job received (by its number): ACCEPTED, "
        "IN_PRODUCTION, SHIPPED with the tracking number, or PROBLEM with a message. The "
        "order follows its parts. Requires a supplier API key (`supplierApiKeyCreate`).",
        permission_classes=[IsSupplier],
    )
