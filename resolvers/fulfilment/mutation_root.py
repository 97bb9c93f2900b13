"""Mutation fields of fulfilment: shipping methods and shipments."""

from __future__ import annotations

import strawberry

from resolvers.fulfilment import mutations as m
from schema.permissions import IsAuthenticated, IsStaff


@strawberry.type
class FulfilmentMutation:
    shipping_method_create = strawberry.mutation(
        resolver=m.shipping_method_create,
        description="Add a shipping method to a channel, with its rates by zone and weight and "
        "an optional free-shipping threshold. Requires staff role ADMIN or SALES.",
        permission_classes=[IsAuthenticated, IsStaff],
    )
    shipping_method_update = strawberry.mutation(
        resolver=m.shipping_method_update,
        description="Replace a shipping method's settings and rates (placed orders keep what "
        "they were charged). Requires staff role ADMIN or SALES.",
        permission_classes=[IsAuthenticated, IsStaff],
    )
    shipment_create = strawberry.mutation(
        resolver=m.shipment_create,
        description="Ship goods of an order (all that is left, or the given quantities) in one "
        "or more parcels through the order's carrier: labels and a delivery note are made, the "
        "order becomes partially shipped or shipped and the customer is mailed the tracking. "
        "Requires staff role ADMIN, SALES or PRODUCTION.",
        permission_classes=[IsAuthenticated, IsStaff],
    )
    shipment_status_update = strawberry.mutation(
        resolver=m.shipment_status_update,
        description="Move a shipment on (in transit, delivered, failed); the order is delivered "
        "when all its shipments are. Requires staff role ADMIN, SALES or PRODUCTION.",
        permission_classes=[IsAuthenticated, IsStaff],
    )
