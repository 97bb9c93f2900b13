"""API keys: made by a company's user managers or the shop's admins, shown once, accepted as a
bearer token, bound to their owner's tenant and rights, rotated and revoked at once everywhere."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.factories import gql, login, seed
from tests.live_server import live_server

CREATE = """
mutation ($i: ApiKeyCreateInput!) {
  apiKeyCreate(input: $i) {
    secret apiKey { id name secretHint rights scopes lastUsedAt revokedAt }
    errors { code field message }
  }
}"""
ROTATE = "mutation ($id: ID!) { apiKeyRotate(id: $id) { secret errors { code } } }"
REVOKE = "mutation ($id: ID!) { apiKeyRevoke(id: $id) { apiKey { revokedAt } errors { code } } }"
ORDERS = "{ orders { totalCount nodes { number company { code } } } }"


async def create_key(
    client: httpx.AsyncClient, token: str, name: str, **fields: Any
) -> dict[str, Any]:
    body = await gql(client, CREATE, {"i": {"name": name, **fields}}, token)
    return dict(body["data"]["apiKeyCreate"])


async def place_order(client: httpx.AsyncClient, token: str) -> None:
    products = await gql(client, "{ products(first: 1) { nodes { id } } }", token=token)
    product = products["data"]["products"]["nodes"][0]["id"]
    config = await gql(
        client,
        "mutation ($p: ID!) { configurationCreate(input: {productId: $p, quantity: 100}) "
        "{ configuration { id } errors { code } } }",
        {"p": product},
        token,
    )
    config_id = config["data"]["configurationCreate"]["configuration"]["id"]
    line = await gql(
        client,
        "mutation ($c: ID!) { cartLineAdd(input: {configurationId: $c, quantity: 100}) "
        "{ cartLine { id } errors { code } } }",
        {"c": config_id},
        token,
    )
    line_id = line["data"]["cartLineAdd"]["cartLine"]["id"]
    placed = await gql(
        client,
        "mutation ($l: [ID!], $k: String!) { orderPlace(input: {idempotencyKey: $k, "
        "cartLineIds: $l, acceptPriceChanges: true}) { order { number } errors { code } } }",
        {"l": [line_id], "k": uuid.uuid4().hex},
        token,
    )
    assert placed["data"]["orderPlace"]["errors"] == [], placed


async def test_a_company_key_acts_within_its_company_and_rights(
    client: httpx.AsyncClient, as_user: Any, engine: AsyncEngine
) -> None:
    acme, globex = await as_user("acme"), await as_user("globex")
    await place_order(client, acme)
    await place_order(client, globex)
    made = await create_key(client, acme, "ERP", rights=["VIEW_COMPANY_ORDERS", "PLACE_ORDERS"])
    assert made["errors"] == []
    secret, key = made["secret"], made["apiKey"]
    assert secret.startswith("prs_key_") and len(secret) > 40
    assert key["secretHint"] == secret[:12] + "…" and key["lastUsedAt"] is None
    assert sorted(key["rights"]) == ["PLACE_ORDERS", "VIEW_COMPANY_ORDERS"]
    # Stored as a digest only.
    async with engine.connect() as conn:
        stored = (await conn.execute(text("SELECT secret_digest FROM api_key"))).scalar_one()
    assert secret not in stored and len(stored) == 64

    body = await gql(client, ORDERS, token=secret)
    assert {n["company"]["code"] for n in body["data"]["orders"]["nodes"]} == {"acme"}
    assert body["data"]["orders"]["totalCount"] == 1
    listed = await gql(client, "{ apiKeys { name lastUsedAt } }", token=acme)
    assert listed["data"]["apiKeys"][0]["lastUsedAt"] is not None

    # People's doors stay shut to keys: their own account, logins, keys.
    for query in ("{ me { __typename } }", "{ apiKeys { id } }"):
        refused = await gql(client, query, token=secret, expect_errors=True)
        assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN", refused
    refused = await gql(client, CREATE, {"i": {"name": "x"}}, secret, expect_errors=True)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    # A wrong key is a wrong token.
    bad = await client.post(
        "/graphql", json={"query": ORDERS}, headers={"authorization": "Bearer prs_key_nope"}
    )
    assert bad.status_code == 401


async def test_a_key_holds_no_right_its_maker_lacks_and_keys_need_manage_users(
    client: httpx.AsyncClient, as_user: Any, engine: AsyncEngine
) -> None:
    boss = await as_user("boss.acme")  # no MANAGE_USERS
    refused = await create_key(client, boss, "mine")
    assert [e["code"] for e in refused["errors"]] == ["PERMISSION_DENIED"]
    acme = await as_user("acme")
    assert (await create_key(client, acme, ""))["errors"][0]["code"] == "REQUIRED"
    scoped = await create_key(client, acme, "x", scopes=["READ_ORDERS"])
    assert scoped["errors"][0]["field"] == ["scopes"]
    # The key's rights shrink with its maker's: take ACME's primary user out of its groups.
    made = await create_key(client, acme, "ERP", rights=["VIEW_COMPANY_ORDERS"])
    await place_order(client, await as_user("buyer.acme"))
    assert (await gql(client, ORDERS, token=made["secret"]))["data"]["orders"]["totalCount"] == 1
    async with engine.begin() as conn:
        await conn.execute(
            text(
                "DELETE FROM portal_user_group WHERE user_id = "
                "(SELECT id FROM portal_user WHERE login = 'acme')"
            )
        )
    assert (await gql(client, ORDERS, token=made["secret"]))["data"]["orders"]["totalCount"] == 0


async def test_a_shop_key_calls_only_what_its_scopes_open(
    client: httpx.AsyncClient, as_user: Any
) -> None:
    admin, acme, globex = [await as_user(w) for w in ("admin@shop.example", "acme", "globex")]
    await place_order(client, acme)
    await place_order(client, globex)
    made = await create_key(client, admin, "MIS", scopes=["READ_ORDERS", "READ_CATALOG"])
    assert made["errors"] == [] and made["apiKey"]["scopes"] == ["READ_CATALOG", "READ_ORDERS"]
    secret = made["secret"]
    body = await gql(client, ORDERS, token=secret)
    assert {n["company"]["code"] for n in body["data"]["orders"]["nodes"]} == {"acme", "globex"}
    assert (await gql(client, "{ products { totalCount } }", token=secret))["data"]
    for query in (
        "{ stockItems { totalCount } }",
        "{ staffUsers { __typename } }",
        '{ orders { totalCount } node(id: "x") { id } }',
        'mutation { customerGroupCreate(input: {name: "x"}) { errors { code } } }',
    ):
        refused = await gql(client, query, token=secret, expect_errors=True)
        assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN", (query, refused)
        assert refused.get("data") is None
    # Rights are for company keys; a production member cannot make keys at all.
    assert (await create_key(client, admin, "x", rights=["PLACE_ORDERS"]))["errors"]
    maker = await as_user("maker@shop.example")
    assert (await create_key(client, maker, "x"))["errors"][0]["code"] == "PERMISSION_DENIED"


async def test_rotation_replaces_the_secret_and_another_company_cannot_touch_the_key(
    client: httpx.AsyncClient, as_user: Any
) -> None:
    acme, globex = await as_user("acme"), await as_user("globex")
    made = await create_key(client, acme, "ERP", rights=["VIEW_COMPANY_ORDERS"])
    key_id, old = made["apiKey"]["id"], made["secret"]
    for mutation in (ROTATE, REVOKE):
        other = await gql(client, mutation, {"id": key_id}, globex)
        assert next(iter(other["data"].values()))["errors"] == [{"code": "NOT_FOUND"}]
    assert (await gql(client, "{ apiKeys { id } }", token=globex))["data"]["apiKeys"] == []
    rotated = (await gql(client, ROTATE, {"id": key_id}, acme))["data"]["apiKeyRotate"]
    assert rotated["errors"] == [] and rotated["secret"] != old
    stale = await client.post(
        "/graphql", json={"query": ORDERS}, headers={"authorization": f"Bearer {old}"}
    )
    assert stale.status_code == 401
    assert (await gql(client, ORDERS, token=rotated["secret"]))["data"]["orders"]


SECRET = "api-key-test-secret-" + "k" * 40


@pytest.fixture
async def seeded(engine: AsyncEngine, clean_db: None) -> AsyncIterator[None]:
    from adapters.db import SqlUnitOfWork, session_factory

    uow = SqlUnitOfWork(session_factory(engine))
    try:
        await seed(uow)
    finally:
        await uow.close()
    yield


async def test_a_revoked_key_is_refused_by_every_process_at_once(
    database_url: str, seeded: None, tmp_path: Path
) -> None:
    with (
        live_server(database_url, tmp_path, secret=SECRET) as base_a,
        live_server(database_url, tmp_path, secret=SECRET) as base_b,
    ):
        async with (
            httpx.AsyncClient(base_url=base_a, timeout=10) as a,
            httpx.AsyncClient(base_url=base_b, timeout=10) as b,
        ):
            acme = await login(a, "acme")
            made = await create_key(a, acme, "ERP", rights=["VIEW_COMPANY_ORDERS"])
            secret = made["secret"]
            for _ in range(3):  # warm whatever B would keep
                assert (await gql(b, ORDERS, token=secret))["data"]["orders"]
            revoked = await gql(a, REVOKE, {"id": made["apiKey"]["id"]}, acme)
            assert revoked["data"]["apiKeyRevoke"]["apiKey"]["revokedAt"]
            for server in (b, a):
                response = await server.post(
                    "/graphql",
                    json={"query": ORDERS},
                    headers={"authorization": f"Bearer {secret}"},
                )
                assert response.status_code == 401, response.text


async def test_the_readme_key_and_webhook_examples_run(
    client: httpx.AsyncClient, as_user: Any
) -> None:
    from tests.api.test_readme_queries import _blocks

    make_key = next(b for b in _blocks() if "apiKeyCreate" in b)
    make_hook = next(b for b in _blocks() if "webhookCreate" in b)
    made = (await gql(client, make_key, token=await as_user("acme")))["data"]["apiKeyCreate"]
    assert made["errors"] == []
    hook = (await gql(client, make_hook, token=made["secret"]))["data"]["webhookCreate"]
    assert hook["errors"] == [] and hook["secret"].startswith("whsec_")
