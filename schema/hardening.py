"""OWASP GraphQL hardening beyond strawberry's stock limiters: a query cost estimate, masking
of unexpected errors with a request id, and no field suggestions in production."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from graphql import (
    ExecutionResult as GraphQLExecutionResult,
)
from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLList,
    GraphQLNonNull,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
)
from strawberry.exceptions import StrawberryInputCoercionError
from strawberry.extensions import SchemaExtension

# graphql-core puts suggestions mid-message too ("... Did you mean 'login'? Found: {...}").
_SUGGESTION = re.compile(r" Did you mean [^?]*\?")
PAGE_ARGS = ("first", "last")


def _unwrap(t: Any) -> Any:
    while isinstance(t, GraphQLNonNull | GraphQLList):
        t = t.of_type
    return t


class CostCalculator:
    """Shopify-style estimate: an object field costs 1, a scalar 0, and a connection (a field
    taking `first`/`last`) 2 plus its page size times the cost of what is selected in it."""

    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: dict[str, FragmentDefinitionNode],
        variables: dict[str, Any],
        default_page_size: int,
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.default_page_size = default_page_size
        # Variables a page size was read from: the estimate holds for other values of the rest.
        self.page_variables: set[str] = set()
        self._fragment_costs: dict[str, int] = {}
        self._visiting: set[str] = set()

    def operation(self, op: OperationDefinitionNode) -> int:
        root = self.schema.get_root_type(op.operation)
        return self.selection(root, op.selection_set)

    def selection(self, parent: Any, sel: SelectionSetNode | None) -> int:
        if sel is None or parent is None:
            return 0
        total = 0
        for node in sel.selections:
            if isinstance(node, FieldNode):
                total += self.field(parent, node)
            elif isinstance(node, InlineFragmentNode):
                cond = node.type_condition
                target = self.schema.get_type(cond.name.value) if cond else parent
                total += self.selection(target, node.selection_set)
            elif isinstance(node, FragmentSpreadNode):
                total += self.fragment(node.name.value)
        return total

    def fragment(self, name: str) -> int:
        """A fragment's cost, computed once per request: walking it again at every spread
        made a document of fragments that spread the next one twice cost 2^n walks."""
        known = self._fragment_costs.get(name)
        if known is not None:
            return known
        frag = self.fragments.get(name)
        if frag is None or name in self._visiting:
            return 0  # unknown or cyclic: validation has refused the document already
        self._visiting.add(name)
        try:
            target = self.schema.get_type(frag.type_condition.name.value)
            cost = self.selection(target, frag.selection_set)
        finally:
            self._visiting.discard(name)
        self._fragment_costs[name] = cost
        return cost

    def field(self, parent: Any, node: FieldNode) -> int:
        fields = getattr(parent, "fields", None)
        if fields is None or node.name.value.startswith("__"):
            return 0
        definition = fields.get(node.name.value)
        if definition is None:
            return 0
        named = get_named_type(definition.type)
        if node.selection_set is None:
            return 0
        children = self.selection(named, node.selection_set)
        page = self.page_size(node, definition)
        if page is None:
            return 1 + children
        return 2 + page * max(children, 1)

    def page_size(self, node: FieldNode, definition: Any) -> int | None:
        if not any(a in definition.args for a in PAGE_ARGS):
            return None
        for arg in node.arguments or ():
            if arg.name.value in PAGE_ARGS:
                value = arg.value
                # A negative page is refused when it runs; it must not lower the estimate.
                if isinstance(value, IntValueNode):
                    return max(int(value.value), 0)
                if isinstance(value, VariableNode):
                    self.page_variables.add(value.name.value)
                    v = self.variables.get(value.name.value)
                    if isinstance(v, int):
                        return max(v, 0)
        return self.default_page_size


# Estimates per (document text, operation name, default page size): an estimate depends on the
# document only, unless a page size is a variable (then it is computed for every request).
_COSTS: dict[tuple[str | None, str | None, int], tuple[int, frozenset[str]]] = {}
_COSTS_MAX = 1024


class QueryCost(SchemaExtension):
    """Refuses operations estimated above ``max_cost`` before anything runs and reports the
    estimate in ``extensions.cost`` as Shopify and Saleor do."""

    def __init__(self, *, max_cost: int, default_page_size: int) -> None:
        self.max_cost = max_cost
        self.default_page_size = default_page_size
        self.cost: int | None = None

    def on_execute(self) -> Iterator[None]:
        ctx = self.execution_context
        doc = ctx.graphql_document
        self.cost = None
        key = (ctx.query, ctx.operation_name, self.default_page_size)
        known = _COSTS.get(key) if ctx.query is not None else None
        if known is not None:
            # The same document: its estimate, unless a page size comes from a variable.
            cost, page_variables = known
            if page_variables:
                known = None
            else:
                self.cost = cost
                self._refuse_if_too_costly()
        if known is None and doc is not None:
            fragments = {
                d.name.value: d for d in doc.definitions if isinstance(d, FragmentDefinitionNode)
            }
            ops = [d for d in doc.definitions if isinstance(d, OperationDefinitionNode)]
            if ctx.operation_name:
                ops = [o for o in ops if o.name and o.name.value == ctx.operation_name]
            if ops:
                calc = CostCalculator(
                    ctx.schema._schema, fragments, ctx.variables or {}, self.default_page_size
                )
                self.cost = calc.operation(ops[0])
                if ctx.query is not None:
                    if len(_COSTS) >= _COSTS_MAX:
                        _COSTS.pop(next(iter(_COSTS)))
                    _COSTS[key] = (self.cost, frozenset(calc.page_variables))
                self._refuse_if_too_costly()
        yield

    def _refuse_if_too_costly(self) -> None:
        if self.cost is not None and self.cost > self.max_cost:
            self.execution_context.result = GraphQLExecutionResult(
                data=None,
                errors=[
                    GraphQLError(
                        f"Query cost {self.cost} exceeds the maximum of {self.max_cost}. "
                        "Ask for smaller pages or fewer nested lists.",
                        extensions={"code": "QUERY_TOO_COMPLEX"},
                    )
                ],
            )

    def get_results(self) -> dict[str, Any]:
        if self.cost is None:
            return {}
        return {"cost": {"requestedQueryCost": self.cost, "maximumAvailable": self.max_cost}}


class ProductionErrors(SchemaExtension):
    """Masks unexpected errors (with a request id to find them in the log) and drops field
    suggestions; parse, validation and authorisation errors stay readable."""

    def on_validate(self) -> Iterator[None]:
        yield
        for error in self.execution_context.pre_execution_errors or ():
            error.message = _SUGGESTION.sub("", error.message)

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is None or not result.errors:
            return
        context = self.execution_context.context
        request_id = getattr(getattr(context, "request", None), "state", None)
        rid = getattr(request_id, "request_id", "-") if request_id is not None else "-"
        result.errors = [self._mask(e, rid) for e in result.errors]

    @staticmethod
    def _mask(error: GraphQLError, request_id: str) -> GraphQLError:
        if not is_unexpected(error):
            error.message = _SUGGESTION.sub("", error.message)
            return error
        # The client only sees the request id; the request log (server/observability) wrote
        # the real error under it, once, before this runs.
        return GraphQLError(
            f"Unexpected error. Quote request id {request_id} to the shop.",
            nodes=error.nodes,
            path=error.path,
            extensions={"code": "INTERNAL_SERVER_ERROR", "requestId": request_id},
        )


def is_unexpected(error: GraphQLError) -> bool:
    """A bug rather than a client mistake: raised from code, not a GraphQLError by design."""
    original = error.original_error
    if original is None or isinstance(original, GraphQLError | StrawberryInputCoercionError):
        return False
    return not getattr(original, "extensions", None)
