"""Mutation fields of the payments area."""

from __future__ import annotations

import strawberry

from resolvers.payments import mutations as m
from schema.permissions import IsAuthenticated, IsStaff

STAFF = [IsAuthenticated, IsStaff]


@strawberry.type
class PaymentsMutation:
    payment_record = strawberry.mutation(
        resolver=m.payment_record,
        description="Record a payment received for an order (an order waiting for payment is "
        "released once paid in full) or a top-up of a company's prepaid balance. Idempotent by "
        "`key`. Requires staff role ADMIN, ACCOUNTING or SALES.",
        permission_classes=STAFF,
    )
    bank_statement_import = strawberry.mutation(
        resolver=m.bank_statement_import,
        description="Import a bank statement (CSV: date, amount, currency, reference, optional "
        "transaction_id): credit lines are matched to orders by the order number in the "
        "reference (or `TOPUP <company code>`) and recorded once. Requires staff role ADMIN, "
        "ACCOUNTING or SALES.",
        permission_classes=STAFF,
    )
    payment_refund = strawberry.mutation(
        resolver=m.payment_refund,
        description="Refund a payment in full (no amount) or in part: through Stripe for online "
        "payments, to the prepaid balance for payments from it. Requires staff role ADMIN, "
        "ACCOUNTING or SALES.",
        permission_classes=STAFF,
    )
    company_credit_limit_set = strawberry.mutation(
        resolver=m.company_credit_limit_set,
        description="Set (or, with null, remove) a company's credit limit for orders on "
        "account. Requires staff role ADMIN, ACCOUNTING or SALES.",
        permission_classes=STAFF,
    )
    payment_method_offer_set = strawberry.mutation(
        resolver=m.payment_method_offer_set,
        description="Offer (or withdraw) a payment method in a channel (omitted: every channel) "
        "to a customer group (omitted: every group). Payment on account is offered everywhere "
        "while no offer names it. Requires staff role ADMIN, ACCOUNTING or SALES.",
        permission_classes=STAFF,
    )
    order_staff_decide = strawberry.mutation(
        resolver=m.order_staff_decide,
        description="Release or reject an order the payment method held for the shop (e.g. "
        "CREDIT_LIMIT_EXCEEDED). Requires staff role ADMIN, ACCOUNTING or SALES.",
        permission_classes=STAFF,
    )
