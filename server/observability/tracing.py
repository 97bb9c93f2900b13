"""OpenTelemetry traces: a span per request (ASGI), per GraphQL operation and resolver
(strawberry's extension) and per SQL statement (SQLAlchemy), exported over OTLP/HTTP.

Off unless configured (`Settings.tracing`): `OTEL_EXPORTER_OTLP_ENDPOINT` (or
`..._TRACES_ENDPOINT`) set, or `PRESSROOM_TRACING=true` (the exporter's defaults then apply:
http://localhost:4318). The exporter reads the standard `OTEL_*` variables (headers,
timeout); `OTEL_SERVICE_NAME` names the service (default `pressroom`). Resolver arguments are
never recorded (they carry passwords and tokens); the operation's document is. Imported only
where tracing is on, so a process without it never loads the SDK.
"""

from __future__ import annotations

import os
from typing import Any

from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware
from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from starlette.middleware import Middleware
from strawberry.extensions.tracing import OpenTelemetryExtension


def otlp_tracer_provider() -> TracerProvider:
    """A provider exporting in batches over OTLP/HTTP, as the `OTEL_*` variables say."""
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    service = os.environ.get("OTEL_SERVICE_NAME") or "pressroom"
    provider = TracerProvider(resource=Resource.create({"service.name": service}))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    return provider


def _no_arguments(args: dict[str, Any], info: Any) -> dict[str, Any]:
    return {}


class Tracing:
    """The instrumentation of one app, on one tracer provider (never the global one)."""

    def __init__(self, provider: TracerProvider) -> None:
        self.provider = provider

    def schema_extension(self) -> Any:
        """A factory for the schema's extension list (a fresh extension per operation)."""
        provider = self.provider
        return lambda: OpenTelemetryExtension(tracer_provider=provider, arg_filter=_no_arguments)

    def middleware(self) -> Middleware:
        """Starlette middleware: a server span per HTTP request and websocket."""
        return Middleware(OpenTelemetryMiddleware, tracer_provider=self.provider)

    def instrument_engine(self, engine: Any) -> None:
        # The instrumentation declares SQLAlchemy < 2.1 but uses only engine events, which
        # 2.1 keeps; tests/api/test_tracing.py proves the SQL spans are there.
        SQLAlchemyInstrumentor().instrument(
            engine=engine.sync_engine, tracer_provider=self.provider, skip_dep_check=True
        )

    def shutdown(self) -> None:
        instrumentor = SQLAlchemyInstrumentor()
        if instrumentor.is_instrumented_by_opentelemetry:
            instrumentor.uninstrument()
        self.provider.force_flush()
