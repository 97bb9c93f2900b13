"""Text that PostgreSQL cannot store (a NUL character, an unpaired UTF-16 surrogate) is refused
at the edge, naming the argument or variable field that carried it, before any resolver or SQL
sees it: in a literal by a validation rule, in variables before execution."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from graphql import (
    ArgumentNode,
    ExecutionResult,
    GraphQLError,
    ObjectFieldNode,
    StringValueNode,
    ValidationRule,
)
from strawberry.extensions import SchemaExtension

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def unstorable(text: str) -> str | None:
    """Why ``text`` cannot be stored, or None when it can."""
    found = _UNSTORABLE.search(text)
    if found is None:
        return None
    return "a NUL character" if found.group() == "\x00" else "an unpaired surrogate"


def _refusal(where: str, reason: str, field: list[str], node: Any = None) -> GraphQLError:
    return GraphQLError(
        f"`{where}` contains {reason}, which text cannot hold.",
        node,
        extensions={"code": "BAD_USER_INPUT", "field": field},
    )


class StorableTextRule(ValidationRule):
    """String literals in arguments and input objects (String, ID and custom scalars alike)."""

    def __init__(self, context: Any) -> None:
        super().__init__(context)
        self.names: list[str] = []

    def enter_argument(self, node: ArgumentNode, *_: Any) -> None:
        self.names.append(node.name.value)

    def leave_argument(self, node: ArgumentNode, *_: Any) -> None:
        self.names.pop()

    def enter_object_field(self, node: ObjectFieldNode, *_: Any) -> None:
        self.names.append(node.name.value)

    def leave_object_field(self, node: ObjectFieldNode, *_: Any) -> None:
        self.names.pop()

    def enter_string_value(self, node: StringValueNode, *_: Any) -> None:
        reason = unstorable(node.value)
        if reason is not None:
            field = list(self.names)
            self.report_error(_refusal(".".join(field) or "a value", reason, field, node))


def find_unstorable(value: Any, path: list[str]) -> tuple[list[str], str] | None:
    """The first place in a variable's value holding unstorable text, and why."""
    stack: list[tuple[Any, list[str]]] = [(value, path)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, str):
            reason = unstorable(item)
            if reason is not None:
                return where, reason
        elif isinstance(item, dict):
            for key, inner in item.items():
                key_reason = unstorable(str(key))
                if key_reason is not None:
                    return where, key_reason
                stack.append((inner, [*where, str(key)]))
        elif isinstance(item, list):
            stack.extend((inner, [*where, str(i)]) for i, inner in enumerate(item))
    return None


class StorableVariables(SchemaExtension):
    """Refuses an operation whose variables hold unstorable text before it executes."""

    def on_execute(self) -> Iterator[None]:
        ctx = self.execution_context
        for name, value in (ctx.variables or {}).items():
            found = find_unstorable(value, [name])
            if found is not None:
                field, reason = found
                ctx.result = ExecutionResult(
                    data=None, errors=[_refusal("$" + ".".join(field), reason, field)]
                )
                break
        yield
