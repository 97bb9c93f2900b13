"""OpenTelemetry: a request gives a server span, GraphQL operation and resolver spans, and a
span per SQL statement, all in one trace (in-memory exporter)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from server.app import create_app
from server.settings import Settings
from tests.factories import gql, login


@pytest.fixture
async def traced(
    settings: Settings, demo: None
) -> AsyncIterator[tuple[httpx.AsyncClient, InMemorySpanExporter]]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    app = create_app(settings, tracer_provider=provider)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50002))
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
            yield c, exporter


async def test_request_resolver_and_sql_spans_share_a_trace(traced) -> None:  # type: ignore[no-untyped-def]
    client, exporter = traced
    token = await login(client, "boss.acme")
    exporter.clear()
    await gql(client, "query Mine { orders(first: 5) { totalCount } }", token=token)
    spans = exporter.get_finished_spans()
    names = [s.name for s in spans]
    [server] = [s for s in spans if s.parent is None]
    assert server.name.startswith("POST /graphql"), names
    trace_id = server.context.trace_id
    assert all(s.context.trace_id == trace_id for s in spans), names
    assert "GraphQL Query: Mine" in names
    resolver = [s for s in spans if s.attributes.get("graphql.path") == "orders"]
    assert resolver, names
    sql = [
        s for s in spans if s.attributes.get("db.statement") or s.attributes.get("db.query.text")
    ]
    assert sql, names
    # A statement run by the resolver hangs below the resolver's span.
    by_id = {s.context.span_id: s for s in spans}

    def ancestors(span):  # type: ignore[no-untyped-def]
        while span.parent is not None and span.parent.span_id in by_id:
            span = by_id[span.parent.span_id]
            yield span

    assert any(resolver[0] in list(ancestors(s)) for s in sql), names
    # Arguments are not recorded (they carry passwords).
    assert not any("password" in str(s.attributes) for s in exporter.get_finished_spans())


async def test_no_tracing_unless_configured() -> None:
    base = {"PRESSROOM_JWT_SECRET": "x" * 48}
    assert not Settings.from_env(base).tracing
    assert Settings.from_env(
        {**base, "OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318"}
    ).tracing
    assert Settings.from_env({**base, "PRESSROOM_TRACING": "true"}).tracing
