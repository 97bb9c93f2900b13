"""A webhook receiver for Pressroom, as a customer's system would run it.

    WEBHOOK_SECRET=whsec_... python examples/webhook_receiver.py  # listens on 127.0.0.1:8900

It verifies each message's Standard Webhooks signature (and its timestamp, against replays of
old messages), answers 2xx only once the message is handled, and handles each `webhook-id` once:
Pressroom delivers at least once, so a retry or a replay of something already handled is
acknowledged and skipped. Keep `handled` in your database in a real system.
"""

from __future__ import annotations

import os

from standardwebhooks.webhooks import Webhook, WebhookVerificationError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route


def receiver_app(secret: str) -> Starlette:
    verifier = Webhook(secret)
    handled: set[str] = set()
    received: list[dict[str, object]] = []

    async def hook(request: Request) -> PlainTextResponse:
        body = await request.body()
        try:
            payload = verifier.verify(body, dict(request.headers))
        except WebhookVerificationError:
            return PlainTextResponse("bad signature", status_code=401)
        msg_id = request.headers["webhook-id"]
        if msg_id not in handled:
            received.append(payload)  # your system's work goes here
            handled.add(msg_id)
        return PlainTextResponse("ok")

    app = Starlette(routes=[Route("/pressroom", hook, methods=["POST"])])
    app.state.received = received
    return app


if __name__ == "__main__":
    import uvicorn

    uvicorn.run(receiver_app(os.environ["WEBHOOK_SECRET"]), host="127.0.0.1", port=8900)
