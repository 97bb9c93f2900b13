"""Rate limits (server/rate_limits.py): login, password reset, uploads, imports and anonymous
quotes, per client address and per account; a refused request answers 429 with Retry-After
and a RATE_LIMITED error, before anything runs."""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest

from server.app import create_app
from server.rate_limits import DEFAULT_LIMITS, parse_limits
from server.settings import Settings
from tests.api.laser_support import CREATE_DXF, plate_with_holes, upload
from tests.factories import login

LOGIN = 'mutation($l: String!) { tokenCreate(input: {login: $l, password: "wrong-pass-1"}) { errors { code } } }'
HIDDEN_LOGIN = (
    "mutation($l: String!) { ...F } "
    'fragment F on Mutation { tokenCreate(input: {login: $l, password: "x"}) { accessToken } }'
)
QUOTE = 'query { priceQuote(input: {productId: "UHJvZHVjdDo5OTk=", quantity: 1}) { priceToken } }'
RESET = "mutation($l: String!) { passwordResetRequest(input: {login: $l}) { errors { code } } }"

Factory = Callable[..., Any]


@pytest.fixture
async def limited(settings: Settings, demo: None) -> AsyncIterator[Factory]:
    async with contextlib.AsyncExitStack() as stack:

        async def make(limits: str, address: str = "10.9.8.7") -> httpx.AsyncClient:
            app = create_app(dataclasses.replace(settings, rate_limits=parse_limits(limits)))
            await stack.enter_async_context(app.router.lifespan_context(app))
            transport = httpx.ASGITransport(app=app, client=(address, 40000))
            return await stack.enter_async_context(
                httpx.AsyncClient(transport=transport, base_url="http://t")
            )

        yield make


async def send(
    client: httpx.AsyncClient, query: str, token: str | None = None, **variables: Any
) -> httpx.Response:
    headers = {"authorization": f"Bearer {token}"} if token else {}
    return await client.post(
        "/graphql", json={"query": query, "variables": variables}, headers=headers
    )


def assert_refused(resp: httpx.Response) -> None:
    assert resp.status_code == 429, resp.text
    retry = int(resp.headers["retry-after"])
    assert 1 <= retry <= 3600
    [error] = resp.json()["errors"]
    assert error["extensions"]["code"] == "RATE_LIMITED"
    assert error["extensions"]["retryAfter"] == retry
    assert resp.json().get("data") is None


async def test_login_is_limited_per_account_then_per_address(limited: Factory) -> None:
    client = await limited("login.account=2/minute,login.address=4/minute")
    for _ in range(2):
        resp = await send(client, LOGIN, l="acme")
        assert resp.status_code == 200
        assert resp.json()["data"]["tokenCreate"]["errors"][0]["code"] == "INVALID_CREDENTIALS"
    assert_refused(await send(client, LOGIN, l=" ACME "))  # the same account, spelt otherwise
    # Another account from the same address: allowed until the address limit.
    assert (await send(client, LOGIN, l="globex")).status_code == 200
    assert (await send(client, HIDDEN_LOGIN, l="jdoe")).status_code == 200
    assert_refused(await send(client, HIDDEN_LOGIN, l="buyer.acme"))  # inside a fragment too
    metrics = (await client.get("/metrics")).text
    assert 'pressroom_requests_total{operation="mutation:tokenCreate",outcome="rate_limited"}' in (
        metrics
    )


async def test_anonymous_quotes_are_limited_but_logged_in_buyers_are_not(limited: Factory) -> None:
    client = await limited("quote.address=2/minute")
    token = await login(client, "boss.acme")
    for _ in range(2):
        assert (await send(client, QUOTE)).status_code == 200
    assert_refused(await send(client, QUOTE))
    for _ in range(3):
        assert (await send(client, QUOTE, token=token)).status_code == 200


async def test_password_reset_and_uploads_are_limited(limited: Factory) -> None:
    client = await limited("password_reset.account=1/hour,upload.account=1/minute")
    assert (await send(client, RESET, l="acme")).status_code == 200
    assert_refused(await send(client, RESET, l="acme"))
    assert (await send(client, RESET, l="globex")).status_code == 200
    token = await login(client, "acme")
    variables = {
        "i": {"name": "P", "material": "S235", "thicknessMm": "2", "quantity": 1, "file": None}
    }
    files = {"i.file": ("p.dxf", plate_with_holes())}
    first = await upload(client, CREATE_DXF, variables, files, token)
    assert first.status_code == 200, first.text
    assert_refused(await upload(client, CREATE_DXF, variables, files, token))


def test_limit_settings() -> None:
    assert parse_limits("") == DEFAULT_LIMITS
    assert parse_limits("off") is None
    custom = parse_limits("login.account=3/minute,quote.address=off")
    assert custom is not None
    assert custom["login.account"] == "3/minute" and "quote.address" not in custom
    with pytest.raises(ValueError, match="unknown limit"):
        parse_limits("logins.account=3/minute")
    with pytest.raises(ValueError):
        parse_limits("login.account=three per minute")
