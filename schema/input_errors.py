"""Input that strawberry refuses while converting arguments (a malformed global ID, e.g. one
copied percent-encoded from a URL) is a client mistake: it gets ``extensions.code`` =
BAD_USER_INPUT and the path of the argument that carried it, like every other input error."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from typing import Any

from graphql import (
    FieldNode,
    GraphQLError,
    ListValueNode,
    ObjectValueNode,
    StringValueNode,
    ValueNode,
    VariableNode,
)
from strawberry.exceptions import StrawberryInputCoercionError
from strawberry.extensions import SchemaExtension

_client_errors = logging.getLogger("pressroom.graphql.client")
_VALUE = re.compile(r'^Value cannot represent a \w+: "(.*)"\.$', re.DOTALL)


def is_input_coercion_error(error: GraphQLError) -> bool:
    return isinstance(error.original_error, StrawberryInputCoercionError)


class QuietInputErrors:
    """A Schema mixin: a malformed argument (a global ID that does not decode) is the client's
    mistake, logged as one INFO line instead of an ERROR with a traceback per request."""

    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        unexpected = []
        for error in errors:
            if is_input_coercion_error(error):
                _client_errors.info("Bad input at %s: %s", error.path, error.message[:200])
            else:
                unexpected.append(error)
        if unexpected:
            super().process_errors(unexpected, execution_context)  # type: ignore[misc]


class InputErrorCodes(SchemaExtension):
    """Adds BAD_USER_INPUT and the argument's path to errors of argument conversion."""

    def on_operation(self) -> Iterator[None]:
        yield
        ctx = self.execution_context
        result = ctx.result
        for error in getattr(result, "errors", None) or ():
            if not is_input_coercion_error(error) or (error.extensions or {}).get("code"):
                continue
            found = _VALUE.match(error.message)
            field = None
            if found is not None and error.nodes and isinstance(error.nodes[0], FieldNode):
                field = _argument_holding(error.nodes[0], found.group(1), ctx.variables or {})
            error.extensions = {
                **(error.extensions or {}),
                "code": "BAD_USER_INPUT",
                **({"field": field} if field else {}),
            }


def _argument_holding(node: FieldNode, bad: str, variables: dict[str, Any]) -> list[str] | None:
    for argument in node.arguments or ():
        path = _search_node(argument.value, bad, variables, [argument.name.value])
        if path is not None:
            return path
    return None


def _search_node(
    value: ValueNode, bad: str, variables: dict[str, Any], path: list[str]
) -> list[str] | None:
    if isinstance(value, StringValueNode):
        return path if value.value == bad else None
    if isinstance(value, VariableNode):
        return _search_value(variables.get(value.name.value), bad, path)
    if isinstance(value, ListValueNode):
        for i, item in enumerate(value.values):
            found = _search_node(item, bad, variables, [*path, str(i)])
            if found is not None:
                return found
    if isinstance(value, ObjectValueNode):
        for field in value.fields:
            found = _search_node(field.value, bad, variables, [*path, field.name.value])
            if found is not None:
                return found
    return None


def _search_value(value: Any, bad: str, path: list[str]) -> list[str] | None:
    if isinstance(value, str):
        return path if value == bad else None
    items = value.items() if isinstance(value, dict) else enumerate(value or ())
    if not isinstance(value, dict | list):
        return None
    for key, item in items:
        found = _search_value(item, bad, [*path, str(key)])
        if found is not None:
            return found
    return None
