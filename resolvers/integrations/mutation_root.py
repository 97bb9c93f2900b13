"""Mutation fields of API keys and webhooks."""

from __future__ import annotations

import strawberry
from strawberry.permission import BasePermission

from resolvers.integrations.mutations import api_key_mutations as k
from resolvers.integrations.mutations import delivery_mutations as d
from resolvers.integrations.mutations import webhook_mutations as w
from schema.permissions import IsAuthenticated

AUTH: list[type[BasePermission]] = [IsAuthenticated]
HOOKS = (
    "Requires an API key (for its own webhooks), MANAGE_USERS (the company's keys' webhooks) "
    "or staff role ADMIN."
)


@strawberry.type
class IntegrationsMutation:
    api_key_create = strawberry.mutation(
        resolver=k.api_key_create,
        description="Create an API key for a machine client; the secret is in the payload "
        "this once. Requires MANAGE_USERS (a company's key, with at most your rights) or "
        "staff role ADMIN (a shop key with scopes).",
        permission_classes=AUTH,
    )
    api_key_rotate = strawberry.mutation(
        resolver=k.api_key_rotate,
        description="Replace a key's secret (the old one stops working at once). Requires "
        "MANAGE_USERS or staff role ADMIN.",
        permission_classes=AUTH,
    )
    api_key_revoke = strawberry.mutation(
        resolver=k.api_key_revoke,
        description="Revoke a key in every server at once; its webhooks get nothing more. "
        "Requires MANAGE_USERS or staff role ADMIN.",
        permission_classes=AUTH,
    )
    webhook_create = strawberry.mutation(
        resolver=w.webhook_create,
        description="Register a webhook: per event, the target URL receives what the "
        f"subscription document selects, run with the key's rights. {HOOKS}",
        permission_classes=AUTH,
    )
    webhook_update = strawberry.mutation(
        resolver=w.webhook_update,
        description=f"Change a webhook's name, URL, document or active flag. {HOOKS}",
        permission_classes=AUTH,
    )
    webhook_delete = strawberry.mutation(
        resolver=w.webhook_delete,
        description=f"Delete a webhook with its delivery log. {HOOKS}",
        permission_classes=AUTH,
    )
    webhook_secret_rotate = strawberry.mutation(
        resolver=w.webhook_secret_rotate,
        description="New signing secret; messages are signed with the old one too for "
        f"`overlapSeconds` (default 86400). {HOOKS}",
        permission_classes=AUTH,
    )
    webhook_ping = strawberry.mutation(
        resolver=d.webhook_ping,
        description=f"Send a signed test message to the webhook. {HOOKS}",
        permission_classes=AUTH,
    )
    webhook_delivery_replay = strawberry.mutation(
        resolver=d.webhook_delivery_replay,
        description=f"Send one delivery again (same webhook-id and body). {HOOKS}",
        permission_classes=AUTH,
    )
    webhook_deliveries_replay = strawberry.mutation(
        resolver=d.webhook_deliveries_replay,
        description=f"Send every failed delivery of a webhook made since a time again. {HOOKS}",
        permission_classes=AUTH,
    )
