"""The ASGI application factory."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import hashlib
import logging
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from sqlalchemy import text
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse
from starlette.routing import Route, WebSocketRoute
from starlette.staticfiles import StaticFiles

from adapters.cache_listener import CacheInvalidationListener
from adapters.db import create_engine, dispose_engine, session_factory
from adapters.events import EventHub, cancel_and_wait
from adapters.files import LocalFileStorage
from adapters.mail import MailDispatcher, SmtpConfig, SmtpSender
from domain.accounts.auth import ThrottleConfig
from domain.accounts.tokens import TokenConfig
from domain.pricing.tokens import PriceTokenConfig
from domain.shared.read_cache import CACHES
from resolvers.context import AppServices
from schema.build import SchemaOptions, build_schema
from server.file_routes import order_file_download
from server.graphql_view import PressroomGraphQL
from server.memory import pin_malloc_thresholds
from server.part_files import part_file_endpoint
from server.request_limits import BodyLimits
from server.response_cache import ResponseCache
from server.settings import Settings

logger = logging.getLogger("pressroom")

# The example storefront's build (`make storefront`), served under /storefront/ in development.
STOREFRONT_DIST = Path(__file__).resolve().parents[1] / "storefront-example" / "dist"


class RequestId:
    """Tags every request with an id (from X-Request-Id or new) for logs and masked errors."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        rid = headers.get(b"x-request-id", b"").decode()[:64] or uuid.uuid4().hex[:16]
        scope.setdefault("state", {})["request_id"] = rid

        async def send_with_id(message: Any) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", []).append((b"x-request-id", rid.encode()))
            await send(message)

        await self.app(scope, receive, send_with_id)


def app_services(settings: Settings) -> AppServices:
    return AppServices(
        tokens=TokenConfig(
            secret=settings.jwt_secret,
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
            access_ttl_s=settings.access_token_ttl_s,
            refresh_ttl_s=settings.refresh_token_ttl_s,
        ),
        throttle=ThrottleConfig(
            max_failures_account=settings.login_max_failures_account,
            max_failures_address=settings.login_max_failures_address,
            window_s=settings.login_window_s,
        ),
        password_reset_ttl_s=settings.password_reset_ttl_s,
        public_base_url=settings.public_base_url,
        max_page_size=settings.max_page_size,
        default_page_size=settings.default_page_size,
        debug=settings.debug,
        price_tokens=PriceTokenConfig(
            # A key of its own, derived so that a price token never verifies as a JWT.
            secret=hashlib.sha256(f"price-token:{settings.jwt_secret}".encode()).digest(),
            ttl_s=settings.price_token_ttl_s,
        ),
    )


def tune_gc_after_startup(thresholds: tuple[int, int, int] | None = None) -> None:
    """For a served process: keep the garbage collector off the ~200k objects that live as long
    as the process (modules, schema, mappers). Full collections otherwise walk all of them:
    150 ms pauses that made the p99 (bench/RESULTS.md). Not for tests: frozen objects are never
    freed.

    ``thresholds`` (``Settings.gc_thresholds``): a young generation of 10,000 objects instead
    of 700 lets a burst (a push to thousands of subscribers, a page of results) finish before
    a collection promotes its short-lived objects; promoted objects are what triggers full
    collections, ~0.5 s with 5,000 sockets open. Measured: fan-out p99 714 -> 159 ms, partQuote
    p99 at 32 connections 5.2 s -> 158 ms, for 8-30 MiB more per worker, most after requests
    that build many ORM objects (an order, a part): bench/RESULTS.md, "collector thresholds"."""
    gc.collect()
    gc.freeze()
    if thresholds is not None:
        gc.set_threshold(*thresholds)


def create_app(settings: Settings | None = None, *, tune_gc: bool = False) -> Starlette:
    settings = settings or Settings.from_env()
    if not settings.database_url:
        raise RuntimeError("DATABASE_URL is not set (the CLI starts the embedded server for you)")
    engine = create_engine(settings.database_url)
    sessions = session_factory(engine)
    services = app_services(settings)
    services.files = LocalFileStorage(Path(settings.data_dir).resolve() / "files")
    schema = build_schema(
        SchemaOptions(
            production=not settings.debug,
            max_depth=settings.max_depth,
            max_aliases=settings.max_aliases,
            max_tokens=settings.max_tokens,
            max_cost=settings.max_cost,
            max_validation_work=settings.max_validation_work,
            default_page_size=settings.default_page_size,
        )
    )
    graphql = PressroomGraphQL(
        schema,
        services,
        sessions,
        graphql_ide="graphiql" if settings.debug else None,
        allow_queries_via_get=True,
        multipart_uploads_enabled=True,  # guarded by the preflight header in the view
        response_cache=ResponseCache(CACHES) if settings.read_caches else None,
        request_timeout_s=settings.request_timeout_s,
        body_limits=BodyLimits(
            json_bytes=settings.max_json_bytes,
            upload_total_bytes=settings.max_upload_bytes,
            upload_file_bytes=settings.max_upload_file_bytes,
        ),
    )

    async def healthz(request: Request) -> JSONResponse:
        try:
            async with engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        except Exception:
            logger.exception("health check failed")
            return JSONResponse({"status": "unavailable", "database": "down"}, status_code=503)
        return JSONResponse({"status": "ok", "database": "up"})

    async def root(request: Request) -> RedirectResponse:
        return RedirectResponse("/graphql")

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        app.state.engine = engine
        app.state.settings = settings
        cache_listener = CacheInvalidationListener(str(settings.database_url), CACHES)
        if settings.read_caches:
            await cache_listener.start()
        hub = EventHub(str(settings.database_url))
        await hub.start()
        services.events = hub
        app.state.events = hub
        # Also usable directly (tests, CLI); the loop runs only where mail is enabled.
        mail = MailDispatcher(
            sessions, SmtpSender(SmtpConfig.from_settings(settings)), str(settings.database_url)
        )
        app.state.mail_dispatcher = mail
        mail_task = (
            asyncio.create_task(mail.run_forever(), name="mail-dispatcher")
            if settings.mail_enabled
            else None
        )
        if tune_gc:
            tune_gc_after_startup(settings.gc_thresholds)
            pin_malloc_thresholds()
        try:
            yield
        finally:
            if mail_task is not None:
                await cancel_and_wait(mail_task)
            await hub.stop()
            await cache_listener.stop()
            await dispose_engine(engine)

    middleware = [Middleware(RequestId)]
    if settings.cors_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=settings.cors_origins,
                allow_methods=["GET", "POST", "OPTIONS"],
                allow_headers=[
                    "authorization",
                    "content-type",
                    "x-request-id",
                    "apollo-require-preflight",
                    "graphql-preflight",
                ],
                max_age=600,
            )
        )
    app = Starlette(
        routes=[
            Route("/", root),
            Route("/healthz", healthz),
            Route("/files/order-files/{file_id}", order_file_download(services, sessions)),
            Route("/graphql", graphql, methods=["GET", "POST"]),
            Route("/files/parts/{id}.dxf", part_file_endpoint(sessions, services), methods=["GET"]),
            WebSocketRoute("/graphql", graphql),
        ],
        middleware=middleware,
        lifespan=lifespan,
    )
    if settings.debug and STOREFRONT_DIST.is_dir():
        # Same origin as the API: the demo storefront needs no CORS settings.
        app.mount("/storefront", StaticFiles(directory=STOREFRONT_DIST, html=True), "storefront")
    app.state.schema = schema
    app.state.sessions = sessions
    return app
