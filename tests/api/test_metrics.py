"""Prometheus metrics at /metrics, scraped after real requests."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from adapters.db import SqlUnitOfWork, session_factory
from server.app import create_app
from server.settings import Settings
from tests.factories import gql
from tests.live_server import live_server

PRODUCTS = 'query Shop { products(channel: "main", first: 2) { totalCount } }'


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    out = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


def value(found: dict, name: str, **labels: str) -> float:
    return found.get((name, tuple(sorted(labels.items()))), 0.0)


async def scrape(client: httpx.AsyncClient) -> dict:
    resp = await client.get("/metrics")
    assert resp.status_code == 200
    assert resp.headers["content-type"].startswith("text/plain")
    return samples(resp.text)


async def test_requests_latency_caches_pool_and_outbox_are_exported(
    client: httpx.AsyncClient, as_user
) -> None:
    token = await as_user("boss.acme")
    before = await scrape(client)
    for _ in range(3):
        await gql(client, PRODUCTS)
    await gql(client, "{ nosuchfield }", expect_errors=True)
    await gql(client, "{ me { __typename } }", token=token)
    after = await scrape(client)

    ok = ("pressroom_requests_total", {"operation": "query:products", "outcome": "ok"})
    assert value(after, ok[0], **ok[1]) - value(before, ok[0], **ok[1]) == 3
    bad = {"operation": "graphql:invalid", "outcome": "client_error"}
    assert value(after, "pressroom_requests_total", **bad) >= 1
    count = value(after, "pressroom_request_duration_seconds_count", operation="query:products")
    assert count >= 3
    # The same catalog page three times: the response cache answered at least twice.
    hits = value(after, "pressroom_cache_lookups_total", cache="catalog_response", result="hit")
    assert hits >= 2
    assert ("pressroom_db_pool_connections", (("state", "checked_out"),)) in after
    assert ("pressroom_outbox_backlog", (("outbox", "mail"),)) in after
    assert ("pressroom_subscriptions_open", ()) in after
    assert ("pressroom_events_relayed_total", ()) in after
    # Client-chosen operation names never become labels.
    assert not [k for k in after if dict(k[1]).get("operation") == "Shop"]


@pytest.fixture
async def guarded(settings: Settings, clean_db: None) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(dataclasses.replace(settings, metrics_token="scrape-me"))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
            yield c


async def test_a_scrape_token_guards_the_endpoint(guarded: httpx.AsyncClient) -> None:
    assert (await guarded.get("/metrics")).status_code == 401
    wrong = await guarded.get("/metrics", headers={"authorization": "Bearer nope"})
    assert wrong.status_code == 401
    ok = await guarded.get("/metrics", headers={"authorization": "Bearer scrape-me"})
    assert ok.status_code == 200 and "pressroom_requests_total" in ok.text


def test_several_workers_report_together(database_url: str, tmp_path: Path, clean_db: None) -> None:
    """Multiprocess mode: whichever worker answers a scrape counts every worker's requests."""
    folder = tmp_path / "prometheus"
    folder.mkdir()
    env = {"PROMETHEUS_MULTIPROC_DIR": str(folder)}
    n = 40
    with live_server(database_url, tmp_path, secret="m" * 48, extra_env=env, workers=2) as base:
        with httpx.Client(base_url=base, timeout=10) as http:
            for _ in range(n):
                # A new connection each time, so both workers get some.
                resp = httpx.post(f"{base}/graphql", json={"query": "{ __typename }"})
                assert resp.status_code == 200
            pids = {p.name.rsplit("_", 1)[-1] for p in folder.glob("counter_*.db")}
            assert len(pids) == 2, sorted(p.name for p in folder.iterdir())
            for _ in range(4):
                found = samples(http.get("/metrics").text)
                total = value(
                    found, "pressroom_requests_total", operation="query:__typename", outcome="ok"
                )
                assert total == n


async def test_subscriptions_open_and_events_relayed(
    app, client: httpx.AsyncClient, engine
) -> None:  # type: ignore[no-untyped-def]
    hub = app.state.events
    await scrape(client)  # the sampler's first reading of the hub
    stream = hub.subscribe(lambda event: True)
    uow = SqlUnitOfWork(session_factory(engine))
    try:
        async with uow:
            for i in range(3):
                uow.record_event("order.status", None, {"i": i})
            await uow.commit()
    finally:
        await uow.close()
    received = [await asyncio.wait_for(anext(stream), 10) for _ in range(3)]
    assert len(received) == 3
    found = await scrape(client)
    assert value(found, "pressroom_subscriptions_open") == 1
    assert value(found, "pressroom_events_relayed_total") >= 3
    await stream.aclose()
    assert value(await scrape(client), "pressroom_subscriptions_open") == 0
