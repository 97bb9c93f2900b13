"""Webhooks against real HTTP receivers: the payload is exactly what the document selects, run
with the key's rights, signed per Standard Webhooks; retries keep the webhook-id; disabled
webhooks get nothing; replay, ping, secret rotation, auto-disable and the SSRF check."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import json
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from standardwebhooks.webhooks import Webhook as Verifier
from standardwebhooks.webhooks import WebhookVerificationError

from server.settings import Settings
from tests.api.test_api_keys import create_key, place_order
from tests.factories import gql
from tests.webhook_receiver import Received, receiver

DOCUMENT = "subscription { orderStatusChanged { status order { number lines { quantity } } } }"
CREATE = """
mutation ($i: WebhookCreateInput!) {
  webhookCreate(input: $i) { secret webhook { id isActive } errors { code field message } }
}"""
DELIVERIES = """
query ($w: ID!, $s: WebhookDeliveryStatus) {
  webhookDeliveries(webhookId: $w, status: $s) {
    nodes { id msgId status attemptCount payload
            attempts { attempt responseStatus responseExcerpt durationMs succeeded requestHeaders } }
  }
}"""


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The served process runs its webhook loops, with short waits so retries show quickly."""
    return dataclasses.replace(
        settings,
        webhooks_enabled=True,
        embedded_worker=True,
        job_poll_interval_s=0.1,
        webhook_poll_interval_s=0.1,
        webhook_backoff_base_s=0.1,
        webhook_max_attempts=5,
        webhook_disable_after=50,
        webhook_timeout_s=5.0,
    )


async def key_and_hook(
    client: httpx.AsyncClient,
    user_token: str,
    url: str,
    document: str = DOCUMENT,
    *,
    rights: tuple[str, ...] = ("VIEW_COMPANY_ORDERS", "PLACE_ORDERS"),
    active: bool = True,
) -> tuple[str, str, str]:
    """A company key of the user's, and a webhook the key makes for itself: (key, id, secret)."""
    key = (await create_key(client, user_token, "ERP", rights=list(rights)))["secret"]
    made = await gql(
        client,
        CREATE,
        {"i": {"targetUrl": url, "document": document, "isActive": active}},
        key,
    )
    payload = made["data"]["webhookCreate"]
    assert payload["errors"] == [], payload
    return key, payload["webhook"]["id"], payload["secret"]


def verified(secret: str, request: Received) -> Any:
    """The body, once the standardwebhooks library accepts its signature."""
    headers = {k: v for k, v in request.headers.items() if k.startswith("webhook-")}
    return Verifier(secret).verify(request.body, headers)


async def test_a_webhook_gets_exactly_the_selected_fields_signed(
    client: httpx.AsyncClient, as_user: Any
) -> None:
    acme = await as_user("acme")
    async with receiver() as target:
        _, hook_id, secret = await key_and_hook(client, acme, target.url)
        assert secret.startswith("whsec_")
        await place_order(client, acme)
        [request] = await target.wait_for(1)
        body = verified(secret, request)
        await _wait_for_status(client, acme, hook_id, "SUCCEEDED")
        orders = await gql(client, "{ orders { nodes { number } } }", token=acme)
        number = orders["data"]["orders"]["nodes"][0]["number"]
        assert body == {
            "orderStatusChanged": {
                "status": body["orderStatusChanged"]["status"],
                "order": {"number": number, "lines": [{"quantity": 100}]},
            }
        }
        assert body["orderStatusChanged"]["status"] in {"RELEASED", "AWAITING_APPROVAL", "PLACED"}
        assert request.headers["content-type"] == "application/json"
        assert request.headers["webhook-id"].startswith("msg_")
        # A tampered body fails verification.
        with pytest.raises(WebhookVerificationError):
            Verifier(secret).verify(request.body + b" ", dict(request.headers))
        log = await gql(client, DELIVERIES, {"w": hook_id}, acme)
        [delivery] = log["data"]["webhookDeliveries"]["nodes"]
        assert delivery["status"] == "SUCCEEDED" and delivery["payload"] == body
        assert delivery["attempts"][0]["responseStatus"] == 200
        assert delivery["attempts"][0]["responseExcerpt"] == "ok"
        assert "webhook-signature" not in delivery["attempts"][0]["requestHeaders"]


async def test_a_failing_receiver_gets_the_event_again_with_the_same_id(
    client: httpx.AsyncClient, as_user: Any
) -> None:
    acme = await as_user("acme")
    async with receiver() as target:
        target.fail_with = [500, 503, 502]
        _, hook_id, secret = await key_and_hook(client, acme, target.url)
        await place_order(client, acme)
        requests = await target.wait_for(4)
        assert len({r.headers["webhook-id"] for r in requests}) == 1
        bodies = [verified(secret, r) for r in requests]
        assert all(b == bodies[0] for b in bodies)
        delivery = await _wait_for_status(client, acme, hook_id, "SUCCEEDED")
        statuses = [a["responseStatus"] for a in delivery["attempts"]]
        assert statuses == [500, 503, 502, 200] and delivery["status"] == "SUCCEEDED"
        assert delivery["attemptCount"] == 4
        assert delivery["msgId"] == requests[0].headers["webhook-id"]


async def test_a_disabled_webhook_gets_nothing(client: httpx.AsyncClient, as_user: Any) -> None:
    acme = await as_user("acme")
    async with receiver() as active, receiver() as inactive:
        await key_and_hook(client, acme, inactive.url, active=False)
        await key_and_hook(client, acme, active.url)
        await place_order(client, acme)
        await active.wait_for(1)
        await place_order(client, acme)
        await active.wait_for(2)
        assert inactive.requests == []


async def test_a_key_of_one_company_gets_nothing_of_another(
    client: httpx.AsyncClient, as_user: Any
) -> None:
    acme, globex = await as_user("acme"), await as_user("globex")
    async with receiver() as target:
        _, _, secret = await key_and_hook(client, acme, target.url)
        # A's key sees its company's orders (VIEW_COMPANY_ORDERS): B's never reach it.
        await place_order(client, globex)
        await place_order(client, globex)
        await place_order(client, acme)  # the positive control, placed last
        [request] = await target.wait_for(1)
        orders = await gql(client, "{ orders { nodes { number } } }", token=acme)
        number = orders["data"]["orders"]["nodes"][0]["number"]
        assert verified(secret, request)["orderStatusChanged"]["order"]["number"] == number
        await place_order(client, acme)
        await target.wait_for(2)
        assert len(target.requests) == 2
        globex_orders = await gql(client, "{ orders { nodes { number } } }", token=globex)
        theirs = {n["number"] for n in globex_orders["data"]["orders"]["nodes"]}
        assert len(theirs) == 2
        seen = {json.dumps(verified(secret, r)) for r in target.requests}
        assert not any(n in s for n in theirs for s in seen)


async def test_a_document_is_checked_when_saved(client: httpx.AsyncClient, as_user: Any) -> None:
    acme = await as_user("acme")
    key = (await create_key(client, acme, "ERP", rights=["VIEW_COMPANY_ORDERS"]))["secret"]
    for document in (
        "{ orders { totalCount } }",
        "subscription { orderStatusChanged { nope } }",
        "subscription { livePrice(input: {}) { __typename } }",
        "subscription ($a: Int) { orderStatusChanged(after: $a) { status } }",
        "subscription { orderStatusChanged { status } } subscription B { incomingOrders { status } }",
        "subscription {",
    ):
        made = await gql(
            client, CREATE, {"i": {"targetUrl": "http://127.0.0.1:9/x", "document": document}}, key
        )
        errors = made["data"]["webhookCreate"]["errors"]
        assert errors and errors[0]["code"] == "INVALID_DOCUMENT", (document, errors)
    # A staff key may only subscribe where its scopes reach.
    admin = await as_user("admin@shop.example")
    stock_only = (await create_key(client, admin, "WMS", scopes=["READ_STOCK"]))["secret"]
    made = await gql(
        client,
        CREATE,
        {"i": {"targetUrl": "http://127.0.0.1:9/x", "document": DOCUMENT}},
        stock_only,
        expect_errors=True,
    )
    assert made["errors"][0]["extensions"]["code"] == "FORBIDDEN"  # no MANAGE_WEBHOOKS scope


async def test_replay_one_delivery_and_all_failed_since_a_time(
    client: httpx.AsyncClient, as_user: Any, engine: AsyncEngine
) -> None:
    acme = await as_user("acme")
    async with receiver() as target:
        target.always_fail = True
        _, hook_id, secret = await key_and_hook(client, acme, target.url)
        since = dt.datetime.now(dt.UTC).isoformat()
        await place_order(client, acme)
        await target.wait_for(5)  # max attempts: then FAILED
        failed = await _wait_for_status(client, acme, hook_id, "FAILED")
        target.always_fail = False
        replayed = await gql(
            client,
            "mutation ($w: ID!, $s: DateTime!) { webhookDeliveriesReplay(webhookId: $w, "
            "since: $s) { replayed errors { code } } }",
            {"w": hook_id, "s": since},
            acme,
        )
        assert replayed["data"]["webhookDeliveriesReplay"] == {"replayed": 1, "errors": []}
        requests = await target.wait_for(6)
        assert requests[-1].headers["webhook-id"] == failed["msgId"]
        verified(secret, requests[-1])
        await _wait_for_status(client, acme, hook_id, "SUCCEEDED")
        # One delivery again, on demand, although it succeeded.
        again = await gql(
            client,
            "mutation ($d: ID!) { webhookDeliveryReplay(id: $d) { delivery { status } "
            "errors { code } } }",
            {"d": failed["id"]},
            acme,
        )
        assert again["data"]["webhookDeliveryReplay"]["errors"] == []
        requests = await target.wait_for(7)
        assert requests[-1].headers["webhook-id"] == failed["msgId"]


async def _wait_for_status(
    client: httpx.AsyncClient, token: str, hook_id: str, status: str
) -> dict[str, Any]:
    async with asyncio.timeout(20):
        while True:
            log = await gql(client, DELIVERIES, {"w": hook_id, "s": status}, token)
            nodes = log["data"]["webhookDeliveries"]["nodes"]
            if nodes:
                return dict(nodes[0])
            await asyncio.sleep(0.1)


async def test_ping_and_secret_rotation_with_an_overlap(
    client: httpx.AsyncClient, as_user: Any
) -> None:
    acme = await as_user("acme")
    async with receiver() as target:
        key, hook_id, old = await key_and_hook(client, acme, target.url)
        ping = "mutation ($w: ID!) { webhookPing(id: $w) { delivery { kind } errors { code } } }"
        made = await gql(client, ping, {"w": hook_id}, key)
        assert made["data"]["webhookPing"] == {"delivery": {"kind": "PING"}, "errors": []}
        [first] = await target.wait_for(1)
        assert "ping" in verified(old, first)
        rotated = await gql(
            client,
            "mutation ($w: ID!) { webhookSecretRotate(id: $w, overlapSeconds: 3600) "
            "{ secret errors { code } } }",
            {"w": hook_id},
            key,
        )
        new = rotated["data"]["webhookSecretRotate"]["secret"]
        assert new != old
        await gql(client, ping, {"w": hook_id}, key)
        [_, second] = await target.wait_for(2)
        assert len(second.headers["webhook-signature"].split(" ")) == 2
        assert verified(new, second) == verified(old, second)
        # Without an overlap the old secret stops at once.
        await gql(
            client,
            "mutation ($w: ID!) { webhookSecretRotate(id: $w, overlapSeconds: 0) "
            "{ errors { code } } }",
            {"w": hook_id},
            key,
        )
        await gql(client, ping, {"w": hook_id}, key)
        [*_, third] = await target.wait_for(3)
        with pytest.raises(WebhookVerificationError):
            verified(new, third)


async def test_a_long_failure_streak_turns_the_webhook_off_and_tells_the_owner(
    client: httpx.AsyncClient, as_user: Any, engine: AsyncEngine, app: Any
) -> None:
    deliver = app.state.jobs.tasks["webhook.deliver"].handler
    deliver.policy = dataclasses.replace(deliver.policy, disable_after=3)
    acme = await as_user("acme")
    async with receiver() as target:
        target.always_fail = True
        await key_and_hook(client, acme, target.url)
        await place_order(client, acme)
        await target.wait_for(3)
        hooks = "{ webhooks { nodes { isActive disabledReason failureStreak } } }"
        async with asyncio.timeout(10):
            while True:
                state = (await gql(client, hooks, token=acme))["data"]["webhooks"]["nodes"][0]
                if not state["isActive"]:
                    break
                await asyncio.sleep(0.1)
        assert state["failureStreak"] == 3 and "3 failed" in state["disabledReason"]
        await asyncio.sleep(0.5)
        assert len(target.requests) == 3  # nothing more once it is off
        async with engine.connect() as conn:
            mail = (await conn.execute(text("SELECT to_address, subject FROM mail_outbox"))).all()
        assert [m.to_address for m in mail if "Webhook turned off" in m.subject] == [
            "purchasing@acme.example"
        ]


async def test_private_targets_are_refused_in_production(
    settings: Settings, as_user: Any, client: httpx.AsyncClient
) -> None:
    from server.app import create_app

    acme = await as_user("acme")
    key = (await create_key(client, acme, "ERP", rights=["VIEW_COMPANY_ORDERS"]))["secret"]
    production = dataclasses.replace(settings, environment="production", webhooks_enabled=False)
    app = create_app(production)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50001))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as prod:
            for url in (
                "https://127.0.0.1/hook",
                "https://10.1.2.3/hook",
                "https://169.254.169.254/latest",
                "https://[::1]/hook",
                "https://[::ffff:192.168.0.1]/hook",
                "http://93.184.215.14/hook",  # public, but not https
                "https://user:pw@93.184.215.14/hook",
                "https://localhost/hook",
            ):
                made = await gql(prod, CREATE, {"i": {"targetUrl": url, "document": DOCUMENT}}, key)
                errors = made["data"]["webhookCreate"]["errors"]
                assert [e["code"] for e in errors] == ["FORBIDDEN_TARGET"], (url, errors)


async def test_a_revoked_keys_webhook_gets_nothing_more(
    client: httpx.AsyncClient, as_user: Any
) -> None:
    acme = await as_user("acme")
    async with receiver() as kept, receiver() as dropped:
        await key_and_hook(client, acme, kept.url)
        await key_and_hook(client, acme, dropped.url)
        keys = (await gql(client, "{ apiKeys { id } }", token=acme))["data"]["apiKeys"]
        revoked = await gql(
            client,
            "mutation ($id: ID!) { apiKeyRevoke(id: $id) { errors { code } } }",
            {"id": keys[0]["id"]},  # newest first: the key of `dropped`
            acme,
        )
        assert revoked["data"]["apiKeyRevoke"]["errors"] == []
        await place_order(client, acme)
        await kept.wait_for(1)
        await asyncio.sleep(0.3)
        assert dropped.requests == []
