"""Mutation fields of the accounts area; each description says what it requires."""

from __future__ import annotations

import strawberry

from resolvers.accounts.mutations.company_create import company_create
from resolvers.accounts.mutations.company_update import company_update
from resolvers.accounts.mutations.customer_group_create import customer_group_create
from resolvers.accounts.mutations.permission_group_mutations import (
    permission_group_create,
    permission_group_delete,
    permission_group_update,
)
from resolvers.accounts.mutations.portal_user_create import portal_user_create
from resolvers.accounts.mutations.portal_user_update import portal_user_update
from resolvers.accounts.mutations.registration_mutations import (
    password_reset_confirm,
    password_reset_request,
    registration_request_approve,
    registration_request_create,
    registration_request_reject,
    staff_user_create,
)
from resolvers.accounts.mutations.token_create import token_create, token_refresh
from resolvers.accounts.mutations.token_revoke import token_revoke
from schema.permissions import IsAuthenticated, IsStaff

# Anonymous callers are told to log in (UNAUTHENTICATED), portal users FORBIDDEN.
STAFF_ONLY = [IsAuthenticated, IsStaff]


@strawberry.type
class AccountsMutation:
    token_create = strawberry.mutation(
        resolver=token_create,
        description="Log in. Open to anyone; failed attempts are throttled per account and "
        "per client address. Returns a short-lived access token and a refresh token.",
    )
    token_refresh = strawberry.mutation(
        resolver=token_refresh,
        description="Exchange a refresh token for new tokens (rotation). Open to anyone holding "
        "one; reusing a spent refresh token ends the whole session.",
    )
    token_revoke = strawberry.mutation(
        resolver=token_revoke,
        description="Log out: end the session of a refresh token. Open to anyone holding one.",
    )
    company_create = strawberry.mutation(
        resolver=company_create,
        description="Create a customer and its primary account. "
        "Requires staff role ADMIN or SALES.",
        permission_classes=STAFF_ONLY,
    )
    company_update = strawberry.mutation(
        resolver=company_update,
        description="Edit a customer. Requires MANAGE_COMPANY (contact, bank details, addresses) "
        "or staff role ADMIN or SALES (every field).",
        permission_classes=[IsAuthenticated],
    )
    customer_group_create = strawberry.mutation(
        resolver=customer_group_create,
        description="Create a customer group. Requires staff role ADMIN or SALES.",
        permission_classes=STAFF_ONLY,
    )
    portal_user_create = strawberry.mutation(
        resolver=portal_user_create,
        description="Create a sub-account `name.customercode` (companies only). Requires "
        "MANAGE_USERS or staff role ADMIN or SALES.",
        permission_classes=[IsAuthenticated],
    )
    portal_user_update = strawberry.mutation(
        resolver=portal_user_update,
        description="Edit, regroup or deactivate a portal user; deactivation ends their sessions. "
        "Requires MANAGE_USERS or staff role ADMIN or SALES.",
        permission_classes=[IsAuthenticated],
    )
    permission_group_create = strawberry.mutation(
        resolver=permission_group_create,
        description="Create a permission group. "
        "Requires MANAGE_GROUPS or staff role ADMIN or SALES.",
        permission_classes=[IsAuthenticated],
    )
    permission_group_update = strawberry.mutation(
        resolver=permission_group_update,
        description="Rename a group or change its rights. Requires MANAGE_GROUPS or staff role "
        "ADMIN or SALES; refused if nobody could manage users afterwards.",
        permission_classes=[IsAuthenticated],
    )
    permission_group_delete = strawberry.mutation(
        resolver=permission_group_delete,
        description="Delete a permission group. Requires MANAGE_GROUPS or staff role ADMIN or "
        "SALES; refused if nobody could manage users afterwards.",
        permission_classes=[IsAuthenticated],
    )
    registration_request_create = strawberry.mutation(
        resolver=registration_request_create,
        description="Ask for a customer account. Open to anyone; the shop answers by e-mail.",
    )
    registration_request_approve = strawberry.mutation(
        resolver=registration_request_approve,
        description="Approve a registration, assigning the customer code; e-mails the applicant. "
        "Requires staff role ADMIN or SALES.",
        permission_classes=STAFF_ONLY,
    )
    registration_request_reject = strawberry.mutation(
        resolver=registration_request_reject,
        description="Reject a registration with a reason; e-mails the applicant. Requires staff "
        "role ADMIN or SALES.",
        permission_classes=STAFF_ONLY,
    )
    password_reset_request = strawberry.mutation(
        resolver=password_reset_request,
        description="E-mail a single-use, expiring reset link. Open to anyone; answers the same "
        "whether or not the login exists.",
    )
    password_reset_confirm = strawberry.mutation(
        resolver=password_reset_confirm,
        description="Set a new password with a reset token; ends every session of the account. "
        "Open to anyone holding a valid token.",
    )
    staff_user_create = strawberry.mutation(
        resolver=staff_user_create,
        description="Create a staff account. Requires staff role ADMIN.",
        permission_classes=STAFF_ONLY,
    )
