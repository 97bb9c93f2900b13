"""Sending webhook messages over HTTP, signed per the Standard Webhooks specification.

Headers: `webhook-id` (the delivery's message id, the same on every attempt and replay),
`webhook-timestamp` (seconds, when the attempt is made) and `webhook-signature` (`v1,<base64>`
per secret; during a secret's overlap window both are sent, space separated). In production a
target must resolve to public addresses only (checked when saved and again before each
request); development and tests may call loopback receivers.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import socket
import time
from collections.abc import Sequence
from urllib.parse import urlsplit

import httpx
import orjson
from standardwebhooks.webhooks import Webhook as Signer

from domain.integrations.delivery import Outcome
from domain.integrations.targets import addresses_problem, url_problem

EXCERPT_CHARS = 2000
USER_AGENT = "Pressroom-Webhooks/1"


class TargetGuard:
    """The SSRF check: URL shape always; resolved addresses in production only."""

    def __init__(self, *, production: bool) -> None:
        self.production = production

    async def __call__(self, url: str) -> str | None:
        problem = url_problem(url, production=self.production)
        if problem is not None or not self.production:
            return problem
        parts = urlsplit(url)
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(
                parts.hostname,
                parts.port or (443 if parts.scheme == "https" else 80),
                type=socket.SOCK_STREAM,
            )
        except (OSError, UnicodeError):
            return "The host does not resolve."
        return addresses_problem(str(info[4][0]) for info in infos)


def sign(secrets: Sequence[str], msg_id: str, at: dt.datetime, body: bytes) -> str:
    """The `webhook-signature` header: one `v1,<signature>` per secret."""
    return " ".join(Signer(secret).sign(msg_id, at, body) for secret in secrets)


class WebhookSender:
    """Each request bounded by `timeout_s`; no redirects followed (a redirect could lead past
    the SSRF check); no proxy settings from the environment."""

    def __init__(self, guard: TargetGuard, *, timeout_s: float = 10.0) -> None:
        self.guard = guard
        self.timeout_s = timeout_s

    def client(self) -> httpx.AsyncClient:
        """A client for one job run (its connections are reused for the run's deliveries)."""
        return httpx.AsyncClient(
            timeout=self.timeout_s,
            follow_redirects=False,
            headers={"user-agent": USER_AGENT},
            trust_env=False,
            # A job sends up to `DeliverWebhook.in_flight` deliveries at once; the pool scans all
            # its connections for every request it assigns, so it is kept to that size.
            limits=httpx.Limits(max_connections=32, max_keepalive_connections=32),
        )

    async def send(
        self,
        client: httpx.AsyncClient,
        url: str,
        msg_id: str,
        payload: object,
        secrets: Sequence[str],
    ) -> Outcome:
        body = orjson.dumps(payload)
        now = dt.datetime.now(dt.UTC)
        headers = {
            "content-type": "application/json",
            "webhook-id": msg_id,
            "webhook-timestamp": str(int(now.timestamp())),
        }
        logged = dict(headers)  # the signature is not logged: it is all the receiver checks
        headers["webhook-signature"] = sign(secrets, msg_id, now, body)
        started = time.perf_counter()
        problem = await self.guard(url)
        if problem is not None:
            return Outcome(logged, None, None, f"refused: {problem}", 0)
        try:
            async with client.stream("POST", url, content=body, headers=headers) as response:
                # Only the start of the answer is kept: a receiver cannot make us read more.
                read = bytearray()
                async for chunk in response.aiter_raw():
                    read += chunk
                    if len(read) >= EXCERPT_CHARS * 4:
                        break
                status = response.status_code
        except httpx.HTTPError as exc:
            elapsed = int((time.perf_counter() - started) * 1000)
            return Outcome(logged, None, None, f"{type(exc).__name__}: {exc}"[:500], elapsed)
        elapsed = int((time.perf_counter() - started) * 1000)
        excerpt = bytes(read).decode("utf-8", "replace")[:EXCERPT_CHARS]
        return Outcome(logged, status, excerpt, None, elapsed)
