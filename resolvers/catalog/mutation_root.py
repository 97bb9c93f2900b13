"""Mutation fields of the catalog area; each description says what it requires."""

from __future__ import annotations

import strawberry

from resolvers.catalog.mutations.configuration_mutations import (
    configuration_create,
    configuration_update,
)
from resolvers.catalog.mutations.product_mutations import (
    channel_create,
    product_create,
    product_update,
)
from schema.permissions import IsStaff


@strawberry.type
class CatalogMutation:
    channel_create = strawberry.mutation(
        resolver=channel_create,
        description="Open a storefront or brand portal. Requires staff role ADMIN or SALES.",
        permission_classes=[IsStaff],
    )
    product_create = strawberry.mutation(
        resolver=product_create,
        description="Add a product with its specification and price rules (validated; a bad "
        "rule is refused with its field). Requires staff role ADMIN or SALES.",
        permission_classes=[IsStaff],
    )
    product_update = strawberry.mutation(
        resolver=product_update,
        description="Change a product; new `spec` or `rules` make a new version and re-price "
        "live prices. Requires staff role ADMIN or SALES.",
        permission_classes=[IsStaff],
    )
    configuration_create = strawberry.mutation(
        resolver=configuration_create,
        description="Start a draft configuration (for a live price). Open to anyone; a logged-in "
        "buyer's draft belongs to their company.",
    )
    configuration_update = strawberry.mutation(
        resolver=configuration_update,
        description="Change a draft's values or quantity; its livePrice subscribers get the new "
        "price. Open to whoever may see the draft.",
    )
