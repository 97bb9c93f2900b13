"""The GraphQL endpoint: strawberry's ASGI view with our context, auth and GraphQL-over-HTTP."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from typing import Any

import orjson
from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.websockets import WebSocket, WebSocketState
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http import GraphQLHTTPResponse
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types.graphql import OperationType

from adapters.db import SqlUnitOfWork
from domain.accounts.auth import viewer_from_token
from domain.integrations.api_keys import is_api_key, viewer_from_api_key
from domain.stock.supplier_feed import is_supplier_key, supplier_viewer
from resolvers.context import AppServices, RequestContext
from server.graphiql import offline_page
from server.observability.requests import note_cached_answer
from server.request_limits import BodyLimits, BodyTooLarge, decode_json_request, timed_out
from server.response_cache import CachedResponse, CacheKey, ResponseCache

logger = logging.getLogger("pressroom.websockets")

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"


class InvalidToken(Exception):
    pass


class MutationOverGet(Exception):
    """GraphQL over HTTP: a mutation over GET MUST answer 405 (strawberry answers 400)."""


def bearer(value: str | None) -> str | None:
    if not value:
        return None
    scheme, _, token = value.strip().partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else ""


class PressroomGraphQL(GraphQL[RequestContext, None]):
    def __init__(
        self,
        schema: Any,
        services: AppServices,
        sessions: Any,
        *,
        response_cache: ResponseCache | None = None,
        body_limits: BodyLimits | None = None,
        request_timeout_s: float = 0,
        key_recheck_s: float = 30.0,
        **kwargs: Any,
    ) -> None:
        super().__init__(schema, **kwargs)
        self.request_timeout_s = request_timeout_s
        self.key_recheck_s = key_recheck_s
        self._key_watches: set[asyncio.Task[None]] = set()
        self.body_limits = body_limits or BodyLimits()
        self.services = services
        self.sessions = sessions
        self.response_cache = response_cache
        # Cache keys being rendered now: (generation when it started, its answer when done).
        self._rendering: dict[CacheKey, tuple[int, asyncio.Future[CachedResponse | None]]] = {}

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        if _is_multipart(scope) and not _has_preflight_header(scope):
            # CVE-2024-47082: a multipart POST is a "simple" request that browsers send
            # cross-site without a CORS preflight; a custom header forces one.
            await _error(
                scope,
                receive,
                send,
                400,
                "CSRF_PREFLIGHT_REQUIRED",
                "File uploads need the header `Apollo-Require-Preflight: true` "
                "(or `GraphQL-Preflight: 1`).",
            )
            return
        started = False

        async def tracked_send(message: Any) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            receive = self.body_limits.guard(scope, receive)
            if self.response_cache is not None and _is_json_post(scope):
                await self._call_with_cache(self.response_cache, scope, receive, tracked_send)
            else:
                await self._serve_http(scope, receive, tracked_send)
        except BodyTooLarge as exc:
            if started:
                raise
            await _error(scope, receive, send, 413, "PAYLOAD_TOO_LARGE", exc.message)
        except InvalidToken:
            response = JSONResponse(
                {
                    "errors": [
                        {
                            "message": "The access token is invalid or expired. "
                            "Refresh it with tokenRefresh or log in again.",
                            "extensions": {"code": "UNAUTHENTICATED"},
                        }
                    ]
                },
                status_code=401,
                headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
            )
            await response(scope, receive, send)
        except MutationOverGet:
            response = JSONResponse(
                {"errors": [{"message": "Mutations are not allowed over GET; use POST."}]},
                status_code=405,
                headers={"Allow": "POST"},
            )
            await response(scope, receive, send)
        finally:
            state = scope.get("state", {})
            context = state.pop("context", None)  # it holds the request: a cycle via scope
            if context is not None:
                context.release()
            uow = state.get("uow")
            if uow is not None:
                await uow.close()

    async def _call_with_cache(
        self, cache: ResponseCache, scope: Any, receive: Any, send: Any
    ) -> None:
        """Catalog reads answered from the response cache (server/response_cache.py); a miss
        goes through the normal path and its answer is kept."""
        body = await _read_body(receive)
        replay = _replay(body, receive)
        key = None
        try:
            request = orjson.loads(body)
        except orjson.JSONDecodeError:
            request = None
        if isinstance(request, dict):
            viewer = await self._viewer(scope, _header(scope, b"authorization"))
            key = cache.key(request, viewer, _header_bytes(scope, b"accept"))
        if key is None:
            await self._serve_http(scope, replay, send)
            return
        hit = cache.get(key)
        if hit is not None:
            note_cached_answer(request.get("query"), request.get("operationName"))
            await _send_cached(hit, send)
            return
        generation = cache.generation(key)
        # The same page asked for again while it renders (a storefront's visitors right after
        # a catalog change) waits for that one rendering instead of starting its own.
        leader = self._rendering.get(key)
        if leader is not None and leader[0] == generation:
            shared = await asyncio.shield(leader[1])
            if shared is not None:
                await _send_cached(shared, send)
                return
            leader = None  # the first one's answer was not shareable: render our own
        done: asyncio.Future[CachedResponse | None] | None = None
        if leader is None and key not in self._rendering:
            done = asyncio.get_running_loop().create_future()
            self._rendering[key] = (generation, done)
        try:
            await self._render(cache, key, generation, scope, replay, send, done)
        finally:
            if done is not None:
                self._rendering.pop(key, None)
                if not done.done():
                    done.set_result(None)

    async def _render(
        self,
        cache: ResponseCache,
        key: CacheKey,
        generation: int,
        scope: Any,
        replay: Any,
        send: Any,
        done: asyncio.Future[CachedResponse | None] | None,
    ) -> None:
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def capture(message: Any) -> None:
            if message["type"] == "http.response.start":
                # A copy now: outer middleware appends its own headers (x-request-id) to the list.
                start["status"] = message["status"]
                start["headers"] = tuple(
                    (bytes(k), bytes(v)) for k, v in message.get("headers") or ()
                )
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        await self._serve_http(scope, replay, capture)
        if start:
            response = CachedResponse(start["status"], start["headers"], b"".join(chunks))
            stored = cache.put(key, response, generation)
            if done is not None and not done.done():
                done.set_result(response if stored else None)

    async def _serve_http(self, scope: Any, receive: Any, send: Any) -> None:
        """Strawberry's HTTP handling, with a GraphQL-style error body for a request that it
        refuses before execution (strawberry answers those in plain text)."""
        try:
            response = await self.run(Request(scope=scope, receive=receive))
        except HTTPException as exc:
            response = JSONResponse(
                {"errors": [{"message": exc.reason, "extensions": {"code": "BAD_REQUEST"}}]},
                status_code=exc.status_code,
            )
        await response(scope, receive, send)

    def parse_json(self, data: str | bytes) -> Any:
        """A request object or a batch, as JSON: anything else, invalid UTF-8 and nesting
        deeper than 1024 levels answer 400 instead of an error deep in strawberry."""
        return decode_json_request(data)

    async def _viewer(self, scope: Any, authorization: str | None) -> Any:
        """Who asks (once per request: kept in the scope for `get_context`)."""
        state = scope.setdefault("state", {})
        if "viewer" in state:
            return state["viewer"]
        uow = state.get("uow")
        if uow is None:
            uow = state["uow"] = SqlUnitOfWork(self.sessions)
        token = bearer(authorization)
        if token is not None and is_supplier_key(token):
            # A supplier system's API key (stock messages), not a user's access token.
            viewer = await supplier_viewer(uow, token)
        elif token is not None and is_api_key(token):
            # A machine client's key: read on every request, so a revoked key is refused by
            # every process at once (domain/integrations/api_keys.py).
            viewer = await viewer_from_api_key(uow, token)
        else:
            viewer = await viewer_from_token(uow, self.services.tokens, token)
        if viewer is None:
            raise InvalidToken
        state["viewer"] = viewer
        return viewer

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> RequestContext:
        state = request.scope.setdefault("state", {})
        uow = state.get("uow")
        if uow is None:
            uow = state["uow"] = SqlUnitOfWork(self.sessions)
        context = RequestContext(
            request=request,
            response=response,
            uow=uow,
            services=self.services,
            new_uow=self._new_uow,
        )
        if isinstance(request, Request):
            state["context"] = context  # released when the request ends (__call__)
            context.viewer = await self._viewer(request.scope, request.headers.get("authorization"))
        return context

    def _new_uow(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.sessions)

    async def render_graphql_ide(self, request: Request) -> Response:
        """GraphiQL with its scripts served by the API itself (server/graphiql.py)."""
        return HTMLResponse(offline_page(self.graphql_ide_html))

    async def on_ws_connect(self, context: RequestContext) -> Any:
        """The token or API key comes in the connection_init payload (`authorization` or
        `token`), or else in the upgrade request's `Authorization: Bearer` header (machine
        clients that set headers). An API key subscribes with its rights, scopes and tenant,
        exactly as over HTTP."""
        params = context.connection_params or {}
        raw = params.get("authorization") or params.get("Authorization") or params.get("token")
        if raw is None:
            raw = context.request.headers.get("authorization")
        token = bearer(raw) if isinstance(raw, str) and " " in raw else raw
        if isinstance(token, str) and is_supplier_key(token):
            # A supplier system follows its own jobs (supplierJobStatusChanged).
            viewer = await supplier_viewer(context.uow, token)
        elif isinstance(token, str) and is_api_key(token):
            viewer = await viewer_from_api_key(context.uow, token)
            if viewer is not None:
                self._watch_key(context.request, token)
        else:
            viewer = await viewer_from_token(
                context.uow, self.services.tokens, token if isinstance(token, str) else None
            )
        if viewer is None:
            raise ConnectionRejectionError({"message": "invalid token"})
        context.viewer = viewer
        return None

    def _watch_key(self, websocket: Any, secret: str) -> None:
        """A socket opened with an API key lives as long as the key: every
        `key_recheck_s` the key is looked up again, and once it is revoked (or its owner can
        no longer log in) the socket is closed with 4403, ending its subscriptions. HTTP
        requests check the key on every request; a socket would otherwise outlive it."""
        if self.key_recheck_s <= 0:
            return
        task = asyncio.create_task(self._close_when_revoked(websocket, secret), name="ws-key")
        self._key_watches.add(task)
        task.add_done_callback(self._key_watches.discard)

    async def _close_when_revoked(self, websocket: Any, secret: str) -> None:
        while True:
            await asyncio.sleep(self.key_recheck_s)
            gone = WebSocketState.DISCONNECTED
            if gone in (websocket.client_state, websocket.application_state):
                return  # the client left, or the server closed the socket
            uow = self._new_uow()
            try:
                viewer = await viewer_from_api_key(uow, secret)
            except Exception:  # the database away for a moment: ask again next time
                logger.warning("could not re-check a websocket's API key", exc_info=True)
                continue
            finally:
                await uow.close()
            if viewer is None:
                with contextlib.suppress(Exception):
                    await websocket.close(code=4403, reason="API key revoked")
                return

    async def execute_single(self, *args: Any, **kwargs: Any) -> Any:
        try:
            if self.request_timeout_s <= 0:
                return await super().execute_single(*args, **kwargs)
            # The per-request budget: past it the operation is cancelled where it stands; a
            # mutation's unit of work rolls back on the cancellation, so nothing is half-saved.
            async with asyncio.timeout(self.request_timeout_s):
                return await super().execute_single(*args, **kwargs)
        except TimeoutError:
            sub_response = args[2] if len(args) > 2 else kwargs.get("sub_response")
            if sub_response is not None:
                sub_response.status_code = 503
                sub_response.headers["retry-after"] = "1"
            return timed_out(self.request_timeout_s)
        except HTTPException as exc:
            cause = exc.__cause__
            if (
                isinstance(cause, InvalidOperationTypeError)
                and cause.operation_type is OperationType.MUTATION
            ):
                raise MutationOverGet from exc
            raise

    async def get_sub_response(self, request: Request | WebSocket) -> Response:
        sub = await super().get_sub_response(request)
        sub.accept = request.headers.get("accept", "")  # type: ignore[attr-defined]
        return sub

    def encode_json(self, data: object) -> str:
        # graphql-transport-ws requires text frames (strawberry sends bytes as binary frames).
        try:
            return orjson.dumps(data).decode()
        except TypeError:
            # An integer past 64 bits (a JSON argument echoed back): the standard library
            # writes it; orjson refuses, which was a 500 (found by tests/api/test_fuzz.py).
            return json.dumps(data, separators=(",", ":"), default=str)

    def create_response(
        self,
        response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse],
        sub_response: Response,
    ) -> Response:
        response = super().create_response(response_data, sub_response)
        accept = getattr(sub_response, "accept", "")
        if GRAPHQL_RESPONSE_JSON in accept and isinstance(response_data, dict):
            # GraphQL over HTTP: a request that never executed (parse, validation, refused
            # for cost) answers 4xx and carries no `data` at all.
            if _is_request_error(response_data):
                without_data = {k: v for k, v in response_data.items() if k != "data"}
                response.body = self.encode_json(without_data).encode()
                response.headers["content-length"] = str(len(response.body))
                if not sub_response.status_code:
                    response.status_code = 400
            response.media_type = GRAPHQL_RESPONSE_JSON
            response.headers["content-type"] = f"{GRAPHQL_RESPONSE_JSON}; charset=utf-8"
        return response


PREFLIGHT_HEADERS = (b"apollo-require-preflight", b"graphql-preflight", b"x-apollo-operation-name")


def _is_multipart(scope: Any) -> bool:
    return _header_bytes(scope, b"content-type").startswith(b"multipart/")


async def _send_cached(response: CachedResponse, send: Any) -> None:
    headers = list(response.headers)
    await send({"type": "http.response.start", "status": response.status, "headers": headers})
    await send({"type": "http.response.body", "body": response.body})


def _header_bytes(scope: Any, name: bytes) -> bytes:
    for key, value in scope.get("headers") or ():
        if key == name:
            return bytes(value).lower()
    return b""


def _header(scope: Any, name: bytes) -> str | None:
    for key, value in scope.get("headers") or ():
        if key == name:
            return bytes(value).decode("latin-1")
    return None


def _is_json_post(scope: Any) -> bool:
    return scope.get("method") == "POST" and _header_bytes(scope, b"content-type").startswith(
        b"application/json"
    )


async def _read_body(receive: Any) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replay(body: bytes, receive: Any) -> Any:
    """A `receive` that hands the already-read body to the normal path."""
    sent = False

    async def replay() -> Any:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def _has_preflight_header(scope: Any) -> bool:
    return any(
        name in PREFLIGHT_HEADERS and value.strip() for name, value in scope.get("headers") or ()
    )


async def _error(scope: Any, receive: Any, send: Any, status: int, code: str, message: str) -> None:
    response = JSONResponse(
        {"errors": [{"message": message, "extensions": {"code": code}}]}, status_code=status
    )
    await response(scope, receive, send)


def _is_request_error(data: GraphQLHTTPResponse) -> bool:
    # strawberry types the errors as `object`; they are formatted errors (dicts) here.
    errors = [e for e in data.get("errors") or [] if isinstance(e, dict)]
    return data.get("data") is None and bool(errors) and all(not e.get("path") for e in errors)
