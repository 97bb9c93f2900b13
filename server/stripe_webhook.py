"""POST /webhooks/stripe: Stripe's events about payment intents, verified with the SDK and
applied once (domain/payments/online.py)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.requests import Request
from starlette.responses import JSONResponse

from adapters.db import SqlUnitOfWork
from adapters.stripe_gateway import PROVIDER, InvalidWebhook, verify_webhook
from domain.payments.online import apply_provider_event

logger = logging.getLogger("pressroom.payments")
MAX_WEBHOOK_BYTES = 512 * 1024


def stripe_webhook(
    sessions: async_sessionmaker[AsyncSession], secret: str
) -> Callable[[Request], Awaitable[JSONResponse]]:
    async def endpoint(request: Request) -> JSONResponse:
        body = await request.body()
        if len(body) > MAX_WEBHOOK_BYTES:
            return JSONResponse({"error": "too large"}, status_code=413)
        try:
            event = verify_webhook(body, request.headers.get("stripe-signature"), secret)
        except InvalidWebhook:
            return JSONResponse({"error": "invalid signature"}, status_code=400)
        if event is None:
            return JSONResponse({"received": True, "handled": False})
        uow = SqlUnitOfWork(sessions)
        try:
            outcome = await apply_provider_event(uow, PROVIDER, event)
        finally:
            await uow.close()
        logger.info(
            "stripe event", extra={"event_id": event.event_id, "duplicate": outcome.duplicate}
        )
        return JSONResponse({"received": True, "duplicate": outcome.duplicate})

    return endpoint
