"""The example receiver accepts a signed message once, and refuses a forged one."""

from __future__ import annotations

import datetime as dt

import httpx

from adapters.webhook_http import sign
from domain.integrations.webhooks import new_webhook_secret
from examples.webhook_receiver import receiver_app


async def test_the_example_receiver_verifies_and_skips_repeats() -> None:
    secret = new_webhook_secret()
    app = receiver_app(secret)
    body = b'{"orderStatusChanged":{"status":"RELEASED"}}'
    now = dt.datetime.now(dt.UTC)
    headers = {
        "content-type": "application/json",
        "webhook-id": "msg_1",
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": sign([secret], "msg_1", now, body),
    }
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://receiver") as client:
        for _ in range(2):  # a retry of the same message
            assert (
                await client.post("/pressroom", content=body, headers=headers)
            ).status_code == 200
        forged = {**headers, "webhook-signature": sign([new_webhook_secret()], "msg_1", now, body)}
        assert (await client.post("/pressroom", content=body, headers=forged)).status_code == 401
    assert app.state.received == [{"orderStatusChanged": {"status": "RELEASED"}}]
