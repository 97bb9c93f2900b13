"""Webhook deliveries go out in rounds: many webhooks' head deliveries claimed, sent and
recorded together, so the database round trips do not grow with the number of deliveries,
while each webhook still gets its deliveries in order, each once, and a failing receiver
still gets its retry (bench/webhooks.py measures the speed)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Any

import httpx
import orjson
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.webhook_http import TargetGuard, WebhookSender
from adapters.webhook_worker import DeliverWebhook
from domain.integrations.delivery import DeliveryPolicy
from domain.shared.jobs import JobRun
from tests.api.test_api_keys import create_key
from tests.factories import gql
from tests.webhook_receiver import receiver

DOCUMENT = "subscription { orderStatusChanged { status } }"
HOOKS, EACH = 20, 3


async def make_webhooks(client: httpx.AsyncClient, token: str, url: str, count: int) -> None:
    key = (await create_key(client, token, "ERP", rights=["VIEW_COMPANY_ORDERS"]))["secret"]
    for _ in range(count):
        made = await gql(
            client,
            "mutation ($u: String!, $d: String!) { webhookCreate(input: "
            "{targetUrl: $u, document: $d}) { errors { code } } }",
            {"u": url, "d": DOCUMENT},
            key,
        )
        assert made["data"]["webhookCreate"]["errors"] == []


async def add_deliveries(engine: AsyncEngine, each: int) -> list[int]:
    """`each` pending deliveries per webhook, numbered in their order."""
    async with engine.begin() as conn:
        hooks = [r.id for r in await conn.execute(text("SELECT id FROM webhook ORDER BY id"))]
        for n in range(each):
            for hook in hooks:
                await conn.execute(
                    text(
                        "INSERT INTO webhook_delivery (webhook_id, kind, msg_id, payload, "
                        "status, attempts, next_attempt_at) VALUES (:w, 'EVENT', :m, "
                        "CAST(:p AS jsonb), 'PENDING', 0, now())"
                    ),
                    {
                        "w": hook,
                        "m": f"msg_{uuid.uuid4().hex}",
                        "p": orjson.dumps({"hook": hook, "n": n}).decode(),
                    },
                )
    return hooks


async def test_a_round_trip_count_independent_of_deliveries_and_each_webhook_in_order(
    client: httpx.AsyncClient, as_user: Any, engine: AsyncEngine, app: Any
) -> None:
    boss = await as_user("acme")
    async with receiver() as target:
        await make_webhooks(client, boss, target.url, HOOKS)
        hooks = await add_deliveries(engine, EACH)
        target.fail_with = [503]  # the first request fails: that webhook retries later
        statements: list[str] = []

        def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            statements.append(statement)

        deliver = DeliverWebhook(
            app.state.sessions,
            WebhookSender(TargetGuard(production=False)),
            DeliveryPolicy(backoff_base_s=0.0),
        )
        event.listen(app.state.engine.sync_engine, "before_cursor_execute", count)
        try:
            await deliver(JobRun(1, 1, 1), {"webhookIds": hooks})
        finally:
            event.remove(app.state.engine.sync_engine, "before_cursor_execute", count)
        # The failed webhook stopped at its failure (its retry is a job of its own); every
        # other got all of its deliveries.
        assert len(target.requests) == (HOOKS - 1) * EACH + 1
        assert len(statements) < HOOKS * EACH / 2, len(statements)
        # Its retry, deferred at the backoff time (0 s here), sends the rest in order.
        await app.state.jobs.run_until_idle()
        await target.wait_for(HOOKS * EACH + 1)
    got: dict[int, list[int]] = defaultdict(list)
    ids: dict[int, list[str]] = defaultdict(list)
    for request in target.requests:
        body = orjson.loads(request.body)
        got[body["hook"]].append(body["n"])
        ids[body["hook"]].append(request.headers["webhook-id"])
    retried = [h for h, ns in got.items() if len(ns) == EACH + 1]
    assert len(retried) == 1 and got[retried[0]] == [0, 0, 1, 2]
    assert ids[retried[0]][0] == ids[retried[0]][1]  # the retry has the same webhook-id
    assert all(ns == list(range(EACH)) for h, ns in got.items() if h not in retried)
    async with engine.connect() as conn:
        states = (
            await conn.execute(
                text("SELECT status, count(*) FROM webhook_delivery GROUP BY status")
            )
        ).all()
        attempts = (await conn.execute(text("SELECT count(*) FROM webhook_attempt"))).scalar()
    assert dict(states) == {"SUCCEEDED": HOOKS * EACH}
    assert attempts == HOOKS * EACH + 1
