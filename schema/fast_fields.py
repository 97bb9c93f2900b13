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

import weakref
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLResolveInfoHelpers,
    GraphQLScalarType,
)
from graphql.pyutils import RefMap, Undefined, gather_with_cancel
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


def _track_weakly(executor: Any) -> Any:
    """`executor.track_async_work` through a weak reference to the executor."""
    method = weakref.WeakMethod(executor.track_async_work)

    def track(values: Any) -> None:
        bound = method()
        if bound is not None:  # else the execution is over: nothing is tracked any more
            bound(values)

    return track


def _gather(values: Any) -> Any:
    return gather_with_cancel(*values)  # what graphql-core's own gather_async_work does


class FastLeafExecutor(StrawberryGraphQLCoreExecutionContext):
    """graphql-core's executor with plain leaf fields answered directly (module docstring)
    and without its reference cycle: graphql-core keeps two bound methods of the executor in
    `async_helpers`, so the executor, and with it the request's whole context, answer and
    session, could only be freed by the garbage collector. A request in flight when a
    collection runs was promoted to the oldest generation that way and stayed in memory
    until the next full collection, minutes later (the RSS creep of the 30-minute soak,
    bench/RESULTS.md). Here `track` reaches the executor through a weak reference and
    `gather` needs none; both are only called while the execution runs, i.e. while the
    executor is alive (tests/api/test_request_garbage.py)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.async_helpers = GraphQLResolveInfoHelpers(gather=_gather, track=_track_weakly(self))

    def build_per_event_executor(self, payload: Any) -> Any:
        """The executor of one subscription event: graphql-core's shallow copy shares the
        subscription's memo of collected subfields, keyed by the identity of field lists
        that every event collects anew, so that memo gained entries with every event for as
        long as the subscription lived (tests/unit/test_subscription_memory.py). Each event
        gets its own."""
        executor = super().build_per_event_executor(payload)
        executor._relevant_sub_fields = {}
        executor._stream_usages = RefMap()
        return executor

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
