"""Plain leaf fields without graphql-core's per-field machinery.

Most fields of an answer are plain attributes of a strawberry object holding a scalar or an
enum (`amount`, `currency`, `code`, `label`, ...): no resolver, no arguments, no permission
classes. graphql-core still builds a resolve info, looks for arguments, calls strawberry's
default resolver and completes the value through several layers for each of them, which is
most of the execution time of a price answer (64 fields) or a catalog page (~1,000).

`FastLeafExecutor` answers such fields with `getattr` and the type's own `serialize`, the same
calls at the bottom of the normal path. Anything else, and any value that would be an error
(null for a non-null field, a value the type refuses), takes the normal path, so errors and
their paths are exactly as before.
"""

from __future__ import annotations

from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
)
from graphql.pyutils import Undefined
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

_NOT_PLAIN = object()


class _Leaf:
    __slots__ = ("attr", "non_null", "serialize")

    def __init__(self, attr: str, non_null: bool, serialize: Any) -> None:
        self.attr = attr
        self.non_null = non_null
        self.serialize = serialize


# (parent type, field name) -> _Leaf, or _NOT_PLAIN. Types belong to one built schema; a
# process builds one or a few (tests), so this stays small.
_PLANS: dict[tuple[GraphQLObjectType, str], Any] = {}


def _plan(parent_type: GraphQLObjectType, field_name: str) -> Any:
    key = (parent_type, field_name)
    plan = _PLANS.get(key)
    if plan is None:
        plan = _PLANS[key] = _make_plan(parent_type, field_name)
    return plan


def _make_plan(parent_type: GraphQLObjectType, field_name: str) -> Any:
    field_def = parent_type.fields.get(field_name)
    if field_def is None or field_def.args:
        return _NOT_PLAIN
    if not getattr(field_def.resolve, "_is_default", False):
        return _NOT_PLAIN  # a resolver, permission classes or exception handlers
    definition = (field_def.extensions or {}).get("strawberry-definition")
    if definition is None or definition.extensions or definition.permission_classes:
        return _NOT_PLAIN
    if definition.default_resolver is not getattr:
        return _NOT_PLAIN
    return_type = field_def.type
    non_null = isinstance(return_type, GraphQLNonNull)
    named = return_type.of_type if non_null else return_type
    if not isinstance(named, GraphQLScalarType | GraphQLEnumType):
        return _NOT_PLAIN
    return _Leaf(definition.python_name, non_null, named.serialize)


class FastLeafExecutor(StrawberryGraphQLCoreExecutionContext):
    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: Any,
        path: Any,
        position_context: Any,
    ) -> Any:
        middleware = self.middleware_manager
        if middleware is None or middleware._middleware_resolvers is None:
            node = field_details_list[0].node
            if not node.arguments:
                plan = _plan(parent_type, node.name.value)
                if plan is not _NOT_PLAIN:
                    try:
                        value = getattr(source, plan.attr)
                        if value is not None:
                            serialized = plan.serialize(value)
                            if serialized is not None and serialized is not Undefined:
                                return serialized
                        elif not plan.non_null:
                            return None
                    except Exception:  # noqa: S110 - the normal path reports it
                        pass
        return super().execute_field(
            parent_type, source, field_details_list, path, position_context
        )
