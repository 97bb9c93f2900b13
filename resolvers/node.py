"""Relay `node(id)` and `nodes(ids)`: objects the viewer may not see answer like missing ones."""

from __future__ import annotations

import strawberry
from strawberry import relay


@strawberry.type
class NodeQuery:
    node: relay.Node | None = relay.node(
        description="Fetch any object by its global ID; null if it does not exist or is not yours."
    )
    nodes: list[relay.Node | None] = relay.node(
        description="Fetch objects by global IDs, in order; null where not found or not yours."
    )
