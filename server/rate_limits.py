"""Rate limits on the expensive and sensitive operations, per client address and per account.

The counting is the `limits` library's moving window on its in-memory storage: **per process**.
PostgreSQL is the only store the processes share, and a counter there would cost a write per
login attempt; instead every worker counts on its own, so with N workers behind a load balancer
a client gets at most N times a limit (set the limits with that in mind). Failed logins are
also counted in PostgreSQL across all processes (domain/accounts/auth.py, the login throttle),
so guessing passwords stays bounded per account whatever the number of workers.

A request that names a limited operation over its limit is refused whole, before anything runs:
HTTP 429 with `Retry-After`, and a GraphQL error with `extensions.code = "RATE_LIMITED"` and
`extensions.retryAfter` (seconds).
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    value_from_ast_untyped,
)
from limits import RateLimitItem, parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from strawberry.extensions import SchemaExtension

# class.key -> limit; `key` is `address` (the client's IP) or `account` (login or user).
DEFAULT_LIMITS: dict[str, str] = {
    "login.address": "30/minute",
    "login.account": "10/minute",
    "password_reset.address": "10/hour",
    "password_reset.account": "5/hour",
    "upload.address": "60/minute",
    "upload.account": "30/minute",
    "import.address": "30/minute",
    "import.account": "20/minute",
    "quote.address": "120/minute",
}
# Root fields and their class; quotes are limited for anonymous callers only.
FIELD_CLASSES: dict[str, str] = {
    "tokenCreate": "login",
    "passwordResetRequest": "password_reset",
    "passwordResetConfirm": "password_reset",
    "partImportPreview": "import",
    "partImportConfirm": "import",
    "priceQuote": "quote",
    "partQuote": "quote",
}
ANONYMOUS_ONLY = frozenset({"quote"})
MAX_ROOT_SELECTIONS = 200


def parse_limits(value: str | None) -> dict[str, str] | None:
    """`PRESSROOM_RATE_LIMITS`: empty for the defaults, `off` for none, or overrides such as
    `login.address=10/minute,quote.address=off`. None means no limits at all."""
    value = (value or "").strip()
    if value.lower() in {"off", "false", "0", "no"}:
        return None
    limits = dict(DEFAULT_LIMITS)
    for part in filter(None, (p.strip() for p in value.split(","))):
        name, _, limit = part.partition("=")
        name, limit = name.strip(), limit.strip()
        if name not in DEFAULT_LIMITS:
            raise ValueError(f"PRESSROOM_RATE_LIMITS: unknown limit {name!r}")
        if limit.lower() == "off":
            limits.pop(name, None)
            continue
        parse(limit)  # fails early on a typo
        limits[name] = limit
    return limits


@dataclass
class RateLimiter:
    """The limits of one process (see the module docstring)."""

    limits: Mapping[str, str]
    _items: dict[str, RateLimitItem] = field(init=False)
    _limiter: MovingWindowRateLimiter = field(init=False)

    def __post_init__(self) -> None:
        self._items = {name: parse(limit) for name, limit in self.limits.items()}
        self._limiter = MovingWindowRateLimiter(MemoryStorage())

    def acquire(self, keys: list[tuple[str, str]]) -> int | None:
        """Counts one attempt for every (limit name, identity) pair; None when all are within
        their limits, else the seconds until the first refusing one allows again (nothing is
        counted then)."""
        checks = [(self._items[name], name, ident) for name, ident in keys if name in self._items]
        for item, name, ident in checks:
            if not self._limiter.test(item, name, ident):
                stats = self._limiter.get_window_stats(item, name, ident)
                return max(1, math.ceil(stats.reset_time - time.time()))
        for item, name, ident in checks:
            self._limiter.hit(item, name, ident)
        return None

    def extension(self) -> Any:
        """A factory for the schema's extension list."""
        return lambda: RateLimitExtension(self)


class RateLimitExtension(SchemaExtension):
    """Refuses a request over a limit before it executes (module docstring)."""

    def __init__(self, limiter: RateLimiter) -> None:
        self.limiter = limiter

    def on_execute(self) -> Iterator[None]:
        ctx = self.execution_context
        context = ctx.context
        request = getattr(context, "request", None)
        if ctx.result is None and request is not None and request.scope["type"] == "http":
            keys = list(self._keys(ctx, context, request))
            retry_after = self.limiter.acquire(keys) if keys else None
            if retry_after is not None:
                ctx.result = ExecutionResult(
                    data=None,
                    errors=[
                        GraphQLError(
                            f"Too many requests of this kind. Try again in {retry_after} s.",
                            extensions={"code": "RATE_LIMITED", "retryAfter": retry_after},
                        )
                    ],
                )
                context.response.status_code = 429
                context.response.headers["Retry-After"] = str(retry_after)
        yield

    def _keys(self, ctx: Any, context: Any, request: Any) -> Iterator[tuple[str, str]]:
        address = context.client_address or "unknown"
        viewer = getattr(context, "viewer", None)
        anonymous = viewer is None or viewer.is_anonymous
        account = None if viewer is None or anonymous else f"{viewer.kind.value}:{viewer.user_id}"
        classes: dict[str, str | None] = {}
        variables = ctx.variables or {}
        for node in _root_fields(ctx.graphql_document, ctx.operation_name):
            cls = FIELD_CLASSES.get(node.name.value)
            if cls is None or (cls in ANONYMOUS_ONLY and not anonymous):
                continue
            classes.setdefault(cls, account)
            login = _input_login(node, variables) if cls in ("login", "password_reset") else None
            if login:
                classes[cls] = f"login:{login}"
        if request.headers.get("content-type", "").startswith("multipart/"):
            classes.setdefault("upload", account)
        for cls, ident in classes.items():
            yield f"{cls}.address", address
            if ident is not None:
                yield f"{cls}.account", ident


def _root_fields(document: Any, operation_name: str | None) -> Iterator[FieldNode]:
    """The operation's root fields, also those inside fragments at the root."""
    if document is None:
        return
    ops = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name:
        ops = [o for o in ops if o.name and o.name.value == operation_name]
    if len(ops) != 1:
        return
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    seen: set[str] = set()
    stack: list[SelectionSetNode] = [ops[0].selection_set]
    count = 0
    while stack and count < MAX_ROOT_SELECTIONS:
        for sel in stack.pop().selections:
            count += 1
            if isinstance(sel, FieldNode):
                yield sel
            elif isinstance(sel, InlineFragmentNode):
                stack.append(sel.selection_set)
            elif isinstance(sel, FragmentSpreadNode) and sel.name.value not in seen:
                seen.add(sel.name.value)
                frag = fragments.get(sel.name.value)
                if frag is not None:
                    stack.append(frag.selection_set)


def _input_login(node: FieldNode, variables: dict[str, Any]) -> str | None:
    for arg in node.arguments or ():
        if arg.name.value != "input":
            continue
        value = value_from_ast_untyped(arg.value, variables)
        if isinstance(value, dict) and isinstance(value.get("login"), str):
            return value["login"].strip().lower()[:254] or None
    return None
