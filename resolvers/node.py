"""Relay `node(id)` and `nodes(ids)`: objects the viewer may not see answer like missing ones.

Written out rather than taken from ``relay.node()`` so that an ID of an unknown type answers
null too, and so that the schema can be built more than once per process (tests build a
development and a production schema)."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from typing import Any

import strawberry
from strawberry import relay

from schema.context import Info


def _node_type(info: Info, type_name: str) -> Any | None:
    gql_type = info.schema.get_type_by_name(type_name)
    origin = getattr(gql_type, "origin", None)
    if origin is None or not isinstance(origin, type) or not issubclass(origin, relay.Node):
        return None
    return origin


async def resolve_nodes(info: Info, ids: list[relay.GlobalID]) -> list[relay.Node | None]:
    by_type: dict[str, list[int]] = defaultdict(list)
    for i, gid in enumerate(ids):
        by_type[gid.type_name].append(i)
    result: list[relay.Node | None] = [None] * len(ids)

    async def one_type(type_name: str, positions: list[int]) -> None:
        node_type = _node_type(info, type_name)
        if node_type is None:
            return
        found = await node_type.resolve_nodes(
            info=info, node_ids=[ids[p].node_id for p in positions], required=False
        )
        for p, node in zip(positions, found, strict=True):
            result[p] = node

    await asyncio.gather(*(one_type(t, ps) for t, ps in by_type.items()))
    return result


@strawberry.type
class NodeQuery:
    @strawberry.field(
        description="Fetch any object by its global ID; null if it does not exist or is not yours."
    )
    async def node(self, info: Info, id: relay.GlobalID) -> relay.Node | None:
        return (await resolve_nodes(info, [id]))[0]

    @strawberry.field(
        description="Fetch objects by global IDs, in order; null where not found or not yours."
    )
    async def nodes(self, info: Info, ids: list[relay.GlobalID]) -> list[relay.Node | None]:
        if len(ids) > info.context.services.max_page_size:
            from graphql import GraphQLError

            raise GraphQLError(
                f"At most {info.context.services.max_page_size} IDs at once.",
                extensions={"code": "BAD_USER_INPUT"},
            )
        return await resolve_nodes(info, ids)
