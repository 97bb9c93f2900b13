"""One log line and one metrics observation per request.

`RequestObserver` (ASGI middleware, outermost) gives every request an id (from
``X-Request-Id`` or new), binds it to the log context, times the request and writes one line
when it ends: request id, method, path, status, duration, the GraphQL operation, error codes and
the viewer's kind. `GraphQLObservation` (a schema extension) fills the GraphQL part in and logs
unexpected errors, once, with their stack. Client mistakes (parse and validation errors, payload
errors, refused requests) are only codes on the INFO line: never the document, never a source
excerpt, whatever the client sent.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import orjson
import structlog
from graphql import FieldNode, GraphQLError, OperationDefinitionNode
from strawberry.extensions import SchemaExtension
from strawberry.types.execution import PreExecutionError

from domain.shared.sized_cache import SizedLRU
from server.observability import metrics

logger = logging.getLogger("pressroom.request")
error_logger = logging.getLogger("pressroom.graphql")

# Paths polled by load balancers and scrapers: their lines are DEBUG, not INFO.
QUIET_PATHS = frozenset({"/healthz", "/metrics"})
MAX_CODES = 10
MAX_OPERATION_NAME = 64
MAX_ROOT_FIELDS = 3
MAX_LABELLED_QUERY = 20_000


@dataclass(slots=True)
class RequestRecord:
    """What the GraphQL layer learnt about the current request, for its log line."""

    request_id: str
    operation: str | None = None  # "query:products", bounded by the schema's root fields
    operation_name: str | None = None  # what the client called it (truncated)
    error_codes: list[str] = field(default_factory=list)
    unexpected: bool = False

    def add_code(self, code: str) -> None:
        if len(self.error_codes) < MAX_CODES and code not in self.error_codes:
            self.error_codes.append(code)


CURRENT: ContextVar[RequestRecord | None] = ContextVar("pressroom_request", default=None)
# Labels of documents this process executed, for answers the response cache gives without
# executing them again (bounded: a document is only cached after it ran here).
_LABELS: SizedLRU[tuple[str, str | None], str] = SizedLRU(
    2 * 1024 * 1024,
    max_entries=1024,
    sizer=lambda key, label: 200 + 2 * len(key[0]) + 2 * len(key[1] or ""),
)


def note_cached_answer(query: object, operation_name: object) -> None:
    """The current request is answered from the response cache: label it as when it ran."""
    record = CURRENT.get()
    if record is None or not isinstance(query, str):
        return
    name = operation_name if isinstance(operation_name, str) else None
    record.operation = _LABELS.get((query, name))
    record.operation_name = name[:MAX_OPERATION_NAME] if name else None


class RequestObserver:
    """ASGI middleware: request id, one log line and the request metrics (module docstring)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        rid = _request_id(scope)
        scope.setdefault("state", {})["request_id"] = rid
        record = RequestRecord(rid)
        token = CURRENT.set(record)
        structlog.contextvars.bind_contextvars(request_id=rid)
        status = 101 if scope["type"] == "websocket" else 500
        started = False

        async def send_with_id(message: Any) -> None:
            nonlocal status, started
            if message["type"] == "http.response.start":
                status = message["status"]
                started = True
                message.setdefault("headers", []).append((b"x-request-id", rid.encode()))
            await send(message)

        begin = time.perf_counter()
        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            # Logged here, once, with the stack; the client gets a plain 500 with the id.
            record.unexpected = True
            error_logger.exception("unhandled error in request %s", rid)
            if not started and scope["type"] == "http":
                await _internal_error(send_with_id, rid)
        finally:
            duration = time.perf_counter() - begin
            _finish(scope, record, status, duration)
            structlog.contextvars.unbind_contextvars("request_id")
            CURRENT.reset(token)


def _finish(scope: Any, record: RequestRecord, status: int, duration: float) -> None:
    path = scope.get("path", "")
    viewer = scope.get("state", {}).get("viewer")
    kind = viewer.kind.value.lower() if viewer is not None else "anonymous"
    operation = record.operation or _route_label(scope)
    if status >= 500 or record.unexpected:
        level, outcome = logging.ERROR, "server_error"
    elif status == 429:
        level, outcome = logging.INFO, "rate_limited"
    elif status >= 400 or record.error_codes:
        level, outcome = logging.INFO, "client_error"
    else:
        level, outcome = logging.INFO, "ok"
    if path in QUIET_PATHS and level == logging.INFO:
        level = logging.DEBUG
    metrics.observe_request(operation, outcome, duration)
    if not logger.isEnabledFor(level):
        return
    logger.log(
        level,
        "request",
        extra={
            "method": scope.get("method", "WS"),
            "path": path[:200],
            "status": status,
            "duration_ms": round(duration * 1000, 2),
            "operation": operation,
            "operation_name": record.operation_name,
            "error_codes": record.error_codes,
            "viewer": kind,
        },
    )


def _route_label(scope: Any) -> str:
    """A bounded label for requests that are not GraphQL operations."""
    path = scope.get("path", "")
    for prefix in ("/healthz", "/metrics", "/graphql", "/files/parts", "/files/order-files"):
        if path == prefix or path.startswith(prefix + "/"):
            return f"http:{prefix}"
    if path.startswith("/graphiql"):
        return "http:/graphiql"
    return "http:other"


def _request_id(scope: Any) -> str:
    for key, value in scope.get("headers") or ():
        if key == b"x-request-id":
            sent = bytes(value).decode("latin-1")[:64]
            # Printable ASCII only: the id is echoed in a header and written to logs.
            if sent and all(33 <= ord(c) < 127 for c in sent):
                return sent
    return uuid.uuid4().hex[:16]


async def _internal_error(send: Any, rid: str) -> None:
    body = orjson.dumps(
        {
            "errors": [
                {
                    "message": f"Unexpected error. Quote request id {rid} to the shop.",
                    "extensions": {"code": "INTERNAL_SERVER_ERROR", "requestId": rid},
                }
            ]
        }
    )
    await send(
        {
            "type": "http.response.start",
            "status": 500,
            "headers": [(b"content-type", b"application/json")],
        }
    )
    await send({"type": "http.response.body", "body": body})


class GraphQLObservation(SchemaExtension):
    """Names the operation and collects error codes for the request line; logs unexpected
    errors with their stack. Registered last, so it sees errors before they are masked."""

    def on_operation(self) -> Iterator[None]:
        yield
        try:
            self._observe()
        except Exception:
            # Observing must never fail the request it observes.
            error_logger.exception("request observation failed")

    def _observe(self) -> None:
        record = CURRENT.get()
        ctx = self.execution_context
        errors: list[GraphQLError] = []
        result = ctx.result
        if result is not None and getattr(result, "errors", None):
            errors = list(result.errors or ())
        elif ctx.pre_execution_errors:
            errors = list(ctx.pre_execution_errors)
        rid = record.request_id if record is not None else _context_request_id(ctx.context)
        for error in errors:
            code = _code(error, ctx.graphql_document is None)
            if code == "INTERNAL_SERVER_ERROR":
                _log_unexpected(error, rid)
                if record is not None:
                    record.unexpected = True
            if record is not None:
                record.add_code(code)
        if record is None:
            return
        if ctx.operation_name:
            record.operation_name = ctx.operation_name[:MAX_OPERATION_NAME]
        # A document that did not parse or validate may name any field: no label from it.
        refused = isinstance(result, PreExecutionError) or result is None
        record.operation = "graphql:invalid" if refused else _operation_label(ctx)
        if not refused and ctx.query is not None and len(ctx.query) <= MAX_LABELLED_QUERY:
            # Keyed as the client sent it (the cache hit sees the request, not the document).
            provided = getattr(ctx, "_provided_operation_name", None)
            _LABELS.put((ctx.query, provided), record.operation)
        data = getattr(result, "data", None)
        if isinstance(data, dict):
            for value in data.values():
                for code in _payload_codes(value):
                    record.add_code(code)


def _operation_label(ctx: Any) -> str:
    """`<type>:<root fields>`: bounded by the schema (clients choose operation names freely,
    so those never become metric labels)."""
    doc = ctx.graphql_document
    if doc is None:
        return "graphql:invalid"
    ops = [d for d in doc.definitions if isinstance(d, OperationDefinitionNode)]
    if ctx.operation_name:
        ops = [o for o in ops if o.name and o.name.value == ctx.operation_name]
    if len(ops) != 1:
        return "graphql:invalid"
    op = ops[0]
    names = sorted({s.name.value for s in op.selection_set.selections if isinstance(s, FieldNode)})
    if not names:
        return f"{op.operation.value}:fragments"
    if len(names) > MAX_ROOT_FIELDS:
        return f"{op.operation.value}:multiple"
    return f"{op.operation.value}:{','.join(names)}"


def _payload_codes(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for error in value.get("errors") or ():
            if isinstance(error, dict) and isinstance(error.get("code"), str):
                yield error["code"]


def _code(error: GraphQLError, parse_failed: bool) -> str:
    extensions = error.extensions or {}
    code = extensions.get("code")
    if isinstance(code, str):
        return code[:40]
    if is_unexpected(error):
        return "INTERNAL_SERVER_ERROR"
    if parse_failed:
        return "GRAPHQL_PARSE_FAILED"
    if error.path is None:
        return "GRAPHQL_VALIDATION_FAILED"
    return "BAD_USER_INPUT"


def is_unexpected(error: GraphQLError) -> bool:
    """A bug rather than a client mistake: raised from code, not a GraphQLError by design."""
    original = error.original_error
    if original is None or isinstance(original, GraphQLError):
        return False
    return not getattr(original, "extensions", None)


def _log_unexpected(error: GraphQLError, rid: str) -> None:
    original = error.original_error
    error_logger.error(
        "unexpected error in request %s at %s",
        rid,
        ".".join(str(p) for p in error.path or ()),
        exc_info=(type(original), original, original.__traceback__) if original else None,
    )


def _context_request_id(context: Any) -> str:
    state = getattr(getattr(context, "request", None), "state", None)
    return getattr(state, "request_id", "-") if state is not None else "-"
