"""Mutation fields of the orders and production areas."""

from __future__ import annotations

import strawberry

from resolvers.orders.mutations import order_adjustments as adj
from resolvers.orders.mutations import order_files as f
from resolvers.orders.mutations import order_mutations as m
from schema.permissions import IsAuthenticated, IsPortalUser, IsStaff


@strawberry.type
class OrdersMutation:
    cart_line_add = strawberry.mutation(
        resolver=m.cart_line_add,
        description="Add a configuration or a saved part to the cart. Requires PLACE_ORDERS or "
        "REQUEST_ORDERS.",
        permission_classes=[IsAuthenticated, IsPortalUser],
    )
    cart_line_update = strawberry.mutation(
        resolver=m.cart_line_update,
        description="Change a cart line's quantity, remarks or personalisation. Requires "
        "PLACE_ORDERS or REQUEST_ORDERS.",
        permission_classes=[IsAuthenticated, IsPortalUser],
    )
    cart_line_remove = strawberry.mutation(
        resolver=m.cart_line_remove,
        description="Remove a cart line. Requires PLACE_ORDERS or REQUEST_ORDERS.",
        permission_classes=[IsAuthenticated, IsPortalUser],
    )
    order_place = strawberry.mutation(
        resolver=m.order_place,
        description="Check out: re-prices every line (a typed error per line that changed). "
        "Requires PLACE_ORDERS (binding order, released to production) or REQUEST_ORDERS (a "
        "proposal for approval). Idempotent by `idempotencyKey`.",
        permission_classes=[IsAuthenticated, IsPortalUser],
    )
    order_approve = strawberry.mutation(
        resolver=m.order_approve,
        description="Approve a colleague's proposal: it becomes binding and goes to production. "
        "Requires APPROVE_ORDERS (not for one's own proposal).",
        permission_classes=[IsAuthenticated, IsPortalUser],
    )
    order_reject = strawberry.mutation(
        resolver=m.order_reject,
        description="Reject a colleague's proposal with a reason; the proposer is told. "
        "Requires APPROVE_ORDERS.",
        permission_classes=[IsAuthenticated, IsPortalUser],
    )
    order_cancel = strawberry.mutation(
        resolver=m.order_cancel,
        description="Cancel an order. Requires being its orderer or holding PLACE_ORDERS (until "
        "production starts), or staff role ADMIN or SALES (until it is completed).",
        permission_classes=[IsAuthenticated],
    )
    order_deliver = strawberry.mutation(
        resolver=m.order_deliver,
        description="Mark a completed order delivered. Requires staff role ADMIN, SALES or "
        "PRODUCTION.",
        permission_classes=[IsAuthenticated, IsStaff],
    )
    task_start = strawberry.mutation(
        resolver=m.task_start,
        description="Start a production task. Requires staff role PRODUCTION or ADMIN.",
        permission_classes=[IsAuthenticated, IsStaff],
    )
    task_complete = strawberry.mutation(
        resolver=m.task_complete,
        description="Complete a production task; job and order status follow. Requires staff "
        "role PRODUCTION or ADMIN.",
        permission_classes=[IsAuthenticated, IsStaff],
    )
    order_file_attach = strawberry.mutation(
        resolver=f.order_file_attach,
        description="Attach artwork or a drawing to an order line (multipart upload with the "
        "`Apollo-Require-Preflight` header); replaces a file flagged as faulty and sends the job "
        "back to work. Requires sight of the order (its orderer or VIEW_COMPANY_ORDERS) or staff.",
        permission_classes=[IsAuthenticated],
    )
    order_file_flag_problem = strawberry.mutation(
        resolver=f.order_file_flag_problem,
        description="Flag a missing or defective file: the job waits and the customer is "
        "e-mailed. Requires staff role PRODUCTION or ADMIN.",
        permission_classes=[IsAuthenticated, IsStaff],
    )
    order_reorder = strawberry.mutation(
        resolver=f.order_reorder,
        description="Put an earlier order's lines into the cart at today's prices. Requires "
        "PLACE_ORDERS or REQUEST_ORDERS and sight of the order.",
        permission_classes=[IsAuthenticated, IsPortalUser],
    )
    order_enter_for_customer = strawberry.mutation(
        resolver=f.order_enter_for_customer,
        description="Enter a binding order (o- number) for a customer, priced with their terms "
        "and released to production. Requires staff role ADMIN or SALES.",
        permission_classes=[IsAuthenticated, IsStaff],
    )
    order_adjust = strawberry.mutation(
        resolver=adj.order_adjust,
        description="Set the final price after execution: change lines (quantity delivered, a "
        "net set by hand or re-priced by the engine) or add extra lines, each with a reason. "
        "Applies at once within the customer group's tolerance, else waits for the customer. "
        "Requires staff role ADMIN, SALES or PRODUCTION; the order is COMPLETED or DELIVERED.",
        permission_classes=[IsAuthenticated, IsStaff],
    )
    order_adjustment_decide = strawberry.mutation(
        resolver=adj.order_adjustment_decide,
        description="Accept or decline a final price above the tolerance. Requires PLACE_ORDERS "
        "or APPROVE_ORDERS in the ordering company, or being the orderer.",
        permission_classes=[IsAuthenticated, IsPortalUser],
    )
