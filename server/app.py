"""The ASGI application factory."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import gc
import hashlib
import logging
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from sqlalchemy import text
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles

from adapters.cache_listener import CacheInvalidationListener
from adapters.carriers.sendcloud import SendcloudCarrier, SendcloudConfig
from adapters.db import create_engine, dispose_engine, session_factory
from adapters.documents import WeasyPrintRenderer
from adapters.events import EventHub, cancel_and_wait
from adapters.files import LocalFileStorage
from adapters.webhook_http import TargetGuard
from adapters.webhook_worker import WebhookWorker
from domain.accounts.auth import ThrottleConfig
from domain.accounts.tokens import TokenConfig
from domain.billing.profile import SellerProfile, configure_billing
from domain.fulfilment.carriers import Carrier
from domain.fulfilment.delivery_dates import ShopCalendar
from domain.fulfilment.terms import ShopTerms
from domain.fulfilment.turnaround import TurnaroundCatalogue
from domain.orders.state import OrderStatus
from domain.payments.ports import register_card_gateway
from domain.pricing.tokens import PriceTokenConfig
from domain.quotes.links import LinkSigner
from domain.quotes.sending import SendingTools
from domain.shared.read_cache import CACHES
from resolvers.context import AppServices
from server.billing_routes import billing_routes
from server.dev_mail import dev_mail_routes
from server.domain_wiring import wire_domain
from server.file_routes import (
    order_file_download,
    sendcloud_webhook,
    shipment_document_download,
)
from server.graphiql import ASSETS_PATH, assets_app
from server.graphql_view import PressroomGraphQL
from server.jobs import job_worker, mail_folder, uses_mail_catcher
from server.memory import pin_malloc_thresholds, trim_heap_every
from server.observability.metrics import Sampler, metrics_endpoint
from server.observability.requests import GraphQLObservation, RequestObserver
from server.part_files import part_file_endpoint
from server.quote_routes import quote_pdf_endpoint
from server.rate_limits import RateLimiter
from server.request_limits import BodyLimits
from server.response_cache import ResponseCache
from server.schema import SchemaOptions, build_schema
from server.settings import Settings
from server.supplier_routes import supplier_routes
from server.webhook_runs import WebhookRenderer

logger = logging.getLogger("pressroom")
# Strawberry logs every GraphQL error at ERROR with a source excerpt of the document, client
# mistakes included; the request log (server/observability/requests.py) replaces it.
logging.getLogger("strawberry.execution").setLevel(logging.CRITICAL)

# The example storefront's build (`make storefront`), served under /storefront/ in development.
STOREFRONT_DIST = Path(__file__).resolve().parents[1] / "storefront-example" / "dist"


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
        calendar=ShopCalendar(
            timezone=settings.shop_timezone,
            holidays=frozenset(dt.date.fromisoformat(d) for d in settings.holidays),
            cutoff=dt.time.fromisoformat(settings.order_cutoff),
        ),
        turnarounds=TurnaroundCatalogue(dict(settings.turnarounds)),
        price_tokens=PriceTokenConfig(
            # A key of its own, derived so that a price token never verifies as a JWT.
            secret=hashlib.sha256(f"price-token:{settings.jwt_secret}".encode()).digest(),
            ttl_s=settings.price_token_ttl_s,
        ),
    )


def webhook_worker(
    settings: Settings, schema: Any, services: AppServices, sessions: Any, hub: EventHub
) -> WebhookWorker:
    """The process's loop that turns events into webhook deliveries (started where webhooks
    are enabled; also usable directly: tests). Deliveries are sent by the job queue's
    `webhook.deliver` jobs (server/jobs.py)."""
    return WebhookWorker(
        sessions,
        WebhookRenderer(schema, services, sessions),
        hub=hub,
        poll_interval_s=settings.webhook_poll_interval_s,
    )


def shop_terms(settings: Settings) -> ShopTerms:
    """The delivery terms the domain promises dates and prints labels with."""
    services = app_services(settings)
    return ShopTerms(services.calendar, services.turnarounds, dict(settings.shop_sender))


def seller_profile(settings: Settings) -> SellerProfile:
    """The shop as seller on invoices: its name and address as on labels (`shop_sender`)
    unless PRESSROOM_SELLER_* say otherwise, and when a per-order invoice is issued."""
    sender = settings.shop_sender
    seller = replace(
        SellerProfile(),
        name=sender["name"],
        street=sender["street"],
        postal_code=sender["postalCode"],
        city=sender["city"],
        country=sender["country"],
    )
    # settings.seller holds only SellerProfile's text fields (SELLER_FIELDS).
    seller = replace(seller, **settings.seller)  # type: ignore[arg-type]
    return replace(seller, invoice_on=OrderStatus(settings.invoice_on))


def carriers(settings: Settings) -> list[Carrier]:
    """The carrier adapters configured besides the built-in one."""
    found: list[Carrier] = []
    if settings.sendcloud_public_key and settings.sendcloud_secret_key:
        found.append(
            SendcloudCarrier(
                SendcloudConfig(
                    settings.sendcloud_public_key,
                    settings.sendcloud_secret_key,
                    settings.sendcloud_base_url,
                )
            )
        )
    return found


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


def create_app(
    settings: Settings | None = None, *, tune_gc: bool = False, tracer_provider: Any = None
) -> Starlette:
    """The app. `tracer_provider`: trace on this OpenTelemetry provider (tests pass one with an
    in-memory exporter); otherwise traces go over OTLP where `settings.tracing` says so."""
    settings = settings or Settings.from_env()
    wire_domain(shop_terms(settings), carriers(settings))
    register_card_gateway(_card_gateway(settings))
    configure_billing(seller_profile(settings))
    if not settings.database_url:
        raise RuntimeError("DATABASE_URL is not set (the CLI starts the embedded server for you)")
    engine = create_engine(settings.database_url)
    sessions = session_factory(engine)
    services = app_services(settings)
    services.files = LocalFileStorage(Path(settings.data_dir).resolve() / "files")
    tracing = _tracing(settings, tracer_provider)
    extensions: list[object] = []
    if settings.rate_limits:
        extensions.append(RateLimiter(settings.rate_limits).extension())
    if tracing is not None:
        tracing.instrument_engine(engine)
        extensions.append(tracing.schema_extension())
    extensions.append(GraphQLObservation)  # last: it sees errors before they are masked
    services.webhook_targets = TargetGuard(production=not settings.debug)
    quote_links = LinkSigner(
        secret=hashlib.sha256(f"quote-pdf:{settings.jwt_secret}".encode()).digest()
    )
    services.quote_links = quote_links
    services.quote_sending = SendingTools(WeasyPrintRenderer(), services.files)
    schema = build_schema(
        SchemaOptions(
            production=not settings.debug,
            max_depth=settings.max_depth,
            max_aliases=settings.max_aliases,
            max_tokens=settings.max_tokens,
            max_cost=settings.max_cost,
            max_validation_work=settings.max_validation_work,
            default_page_size=settings.default_page_size,
            extra_extensions=tuple(extensions),
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
        key_recheck_s=settings.ws_key_recheck_s,
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

    sampler = Sampler(engine=engine, caches=CACHES, interval_s=settings.metrics_interval_s)

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
        sampler.watch_hub(hub)
        if settings.metrics_enabled:
            await sampler.start()
        # Also usable directly (tests: `await app.state.jobs.run_until_idle()`).
        jobs = job_worker(settings, engine, sessions)
        app.state.jobs = jobs
        worker_task = (
            asyncio.create_task(jobs.run_forever(), name="job-worker")
            if settings.embedded_worker
            else None
        )
        webhooks = webhook_worker(settings, schema, services, sessions, hub)
        app.state.webhooks = webhooks
        if settings.webhooks_enabled:
            await webhooks.start()
        trimmer = None
        if tune_gc:
            tune_gc_after_startup(settings.gc_thresholds)
            pin_malloc_thresholds()
            trimmer = asyncio.create_task(trim_heap_every(60.0), name="heap-trim")
        try:
            yield
        finally:
            await webhooks.stop()
            if worker_task is not None:
                jobs.stop()
                # Running jobs get the worker's grace period, then it is cancelled.
                await asyncio.wait({worker_task}, timeout=15)
                await cancel_and_wait(worker_task)
            await jobs.close()
            if trimmer is not None:
                await cancel_and_wait(trimmer)
            await sampler.stop()
            await hub.stop()
            await cache_listener.stop()
            await dispose_engine(engine)
            if tracing is not None:
                tracing.shutdown()

    middleware = [Middleware(RequestObserver)]
    if tracing is not None:
        middleware.append(tracing.middleware())
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
    routes = [
        Route("/", root),
        Route("/healthz", healthz),
        Route("/files/order-files/{file_id}", order_file_download(services, sessions)),
        Route(
            "/files/shipments/{shipment_id:int}/{document}.pdf",
            shipment_document_download(services, sessions),
        ),
        Route(
            "/webhooks/sendcloud",
            sendcloud_webhook(settings.sendcloud_secret_key, sessions),
            methods=["POST"],
        ),
        *billing_routes(services, sessions),
        Route("/graphql", graphql, methods=["GET", "POST"]),
        Route(
            "/files/quotes/{quote_id}/{revision}.pdf",
            quote_pdf_endpoint(quote_links, services.files, sessions),
            methods=["GET"],
        ),
        Route("/files/parts/{id}.dxf", part_file_endpoint(sessions, services), methods=["GET"]),
        WebSocketRoute("/graphql", graphql),
        *supplier_routes(settings.link_secret, services.files, sessions),
        # Development only: the mail catcher's messages (no SMTP server configured).
        *(dev_mail_routes(mail_folder(settings)) if uses_mail_catcher(settings) else []),
    ]
    routes.extend(_stripe_routes(settings, sessions))
    if settings.metrics_enabled:
        routes.append(Route("/metrics", metrics_endpoint(sampler, settings.metrics_token)))
    if settings.debug:
        # GraphiQL's scripts and styles, so the page works without internet (server/graphiql.py).
        routes.append(Mount(ASSETS_PATH, assets_app(), name="graphiql-assets"))
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    if settings.debug and STOREFRONT_DIST.is_dir():
        # Same origin as the API: the demo storefront needs no CORS settings.
        app.mount("/storefront", StaticFiles(directory=STOREFRONT_DIST, html=True), "storefront")
    app.state.schema = schema
    app.state.sessions = sessions
    app.state.metrics = sampler
    return app


def _card_gateway(settings: Settings) -> Any:
    """Stripe, when a secret key is set. The SDK is imported only then (a large package that a
    shop without online payments never needs: tests/unit/test_start_up_imports.py)."""
    if not settings.stripe_secret_key:
        return None
    from adapters.stripe_gateway import StripeGateway

    return StripeGateway(settings.stripe_secret_key, settings.stripe_api_base)


def _stripe_routes(settings: Settings, sessions: Any) -> list[Route]:
    """POST /webhooks/stripe, when a webhook secret is set (the SDK imported only then)."""
    if not settings.stripe_webhook_secret:
        return []
    from server.stripe_webhook import stripe_webhook

    endpoint = stripe_webhook(sessions, settings.stripe_webhook_secret)
    return [Route("/webhooks/stripe", endpoint, methods=["POST"])]


def _tracing(settings: Settings, provider: Any) -> Any:
    """The app's tracing, or None: the SDK is imported only where tracing is on."""
    if provider is None and not settings.tracing:
        return None
    from server.observability.tracing import Tracing, otlp_tracer_provider

    return Tracing(provider if provider is not None else otlp_tracer_provider())
