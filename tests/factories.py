"""Helpers for API tests: a GraphQL call over real HTTP (ASGI transport) and demo logins."""

from __future__ import annotations

from typing import Any

import httpx

from adapters.db import SqlUnitOfWork
from server.demo import DEMO_PASSWORD, seed_demo


async def gql(
    client: httpx.AsyncClient,
    query: str,
    variables: dict[str, Any] | None = None,
    token: str | None = None,
    *,
    expect_errors: bool = False,
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    """POST a GraphQL operation; fails the test on top-level errors unless expected."""
    h = {"content-type": "application/json", **(headers or {})}
    if token:
        h["authorization"] = f"Bearer {token}"
    resp = await client.post(
        "/graphql", json={"query": query, "variables": variables or {}}, headers=h
    )
    body = resp.json()
    if not expect_errors:
        assert resp.status_code == 200, body
        assert not body.get("errors"), body["errors"]
    return body


LOGIN = """
mutation Login($login: String!, $password: String!) {
  tokenCreate(input: {login: $login, password: $password}) {
    accessToken refreshToken errors { code field message }
  }
}"""


async def login(client: httpx.AsyncClient, who: str, password: str = DEMO_PASSWORD) -> str:
    body = await gql(client, LOGIN, {"login": who, "password": password})
    payload = body["data"]["tokenCreate"]
    assert payload["errors"] == [], payload["errors"]
    return str(payload["accessToken"])


async def company_id(client: httpx.AsyncClient, token: str) -> str:
    """The global ID of the logged-in portal user's company."""
    body = await gql(client, "{ me { ... on PortalUser { company { id } } } }", token=token)
    return str(body["data"]["me"]["company"]["id"])


async def seed(uow: SqlUnitOfWork) -> None:
    assert await seed_demo(uow)
