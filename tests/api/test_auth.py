"""Logging in, throttling, access and refresh tokens, through GraphQL over HTTP."""

from __future__ import annotations

import time
from typing import Any

import httpx
import jwt
import pytest
from argon2 import PasswordHasher, Type
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from server.demo import DEMO_PASSWORD
from server.settings import Settings
from tests.factories import gql

TOKEN_CREATE = """
mutation($login: String!, $password: String!) {
  tokenCreate(input: {login: $login, password: $password}) {
    accessToken refreshToken accessTokenExpiresAt refreshTokenExpiresAt
    errors { code field message }
    me { __typename ... on PortalUser { login } ... on StaffUser { email } }
  }
}"""
TOKEN_REFRESH = """
mutation($t: String!) {
  tokenRefresh(refreshToken: $t) { accessToken refreshToken errors { code field message } }
}"""
TOKEN_REVOKE = """
mutation($t: String!) { tokenRevoke(refreshToken: $t) { revoked errors { code } } }"""
ME = "{ me { __typename ... on PortalUser { login } ... on StaffUser { email } } }"


@pytest.fixture
def settings(settings: Settings, request: pytest.FixtureRequest) -> Settings:
    """No background job worker here; tests may shrink limits with indirect parametrization."""
    settings.embedded_worker = False
    for name, value in getattr(request, "param", {}).items():
        setattr(settings, name, value)
    return settings


async def token_create(client: httpx.AsyncClient, login: str, password: str) -> dict[str, Any]:
    body = await gql(client, TOKEN_CREATE, {"login": login, "password": password})
    return body["data"]["tokenCreate"]  # type: ignore[no-any-return]


async def log_in(
    client: httpx.AsyncClient, login: str, password: str = DEMO_PASSWORD
) -> dict[str, Any]:
    payload = await token_create(client, login, password)
    assert payload["errors"] == [], payload["errors"]
    return payload


def codes(payload: dict[str, Any]) -> list[str]:
    return [e["code"] for e in payload["errors"]]


async def me_status(client: httpx.AsyncClient, token: str) -> tuple[int, Any]:
    resp = await client.post(
        "/graphql", json={"query": ME}, headers={"authorization": f"Bearer {token}"}
    )
    return resp.status_code, resp.json()


async def assert_unauthenticated(client: httpx.AsyncClient, token: str) -> None:
    status, body = await me_status(client, token)
    assert status == 401, body
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert "data" not in body


async def assert_me(client: httpx.AsyncClient, token: str, login: str) -> None:
    status, body = await me_status(client, token)
    assert status == 200, body
    me = body["data"]["me"]
    assert me is not None and login in (me.get("login"), me.get("email"))


# --- logging in ------------------------------------------------------------------------------


async def test_portal_user_logs_in_with_login(client, demo) -> None:  # type: ignore[no-untyped-def]
    payload = await log_in(client, "boss.acme")
    assert payload["me"] == {"__typename": "PortalUser", "login": "boss.acme"}
    assert payload["refreshToken"] and payload["refreshToken"] != payload["accessToken"]
    assert payload["accessTokenExpiresAt"] < payload["refreshTokenExpiresAt"]
    await assert_me(client, payload["accessToken"], "boss.acme")
    # Logins are case-insensitive and trimmed.
    assert (await log_in(client, "  Boss.ACME "))["me"]["login"] == "boss.acme"


async def test_staff_log_in_with_email_case_insensitively(client, demo) -> None:  # type: ignore[no-untyped-def]
    payload = await log_in(client, "Admin@Shop.EXAMPLE")
    assert payload["me"] == {"__typename": "StaffUser", "email": "admin@shop.example"}
    await assert_me(client, payload["accessToken"], "admin@shop.example")


async def test_wrong_password_and_unknown_login_answer_alike(client, demo) -> None:  # type: ignore[no-untyped-def]
    wrong = await token_create(client, "boss.acme", "not-the-password")
    unknown = await token_create(client, "nobody.acme", DEMO_PASSWORD)
    unknown_staff = await token_create(client, "nobody@shop.example", DEMO_PASSWORD)
    for payload in (wrong, unknown, unknown_staff):
        assert payload["accessToken"] is None and payload["refreshToken"] is None
        assert payload["me"] is None
        assert payload["errors"] == wrong["errors"]
    assert wrong["errors"] == [
        {
            "code": "INVALID_CREDENTIALS",
            "field": ["password"],
            "message": "The login or the password is wrong.",
        }
    ]


async def test_empty_login_or_password_is_required(client, demo) -> None:  # type: ignore[no-untyped-def]
    empty_login = await token_create(client, "   ", DEMO_PASSWORD)
    assert [(e["code"], e["field"]) for e in empty_login["errors"]] == [("REQUIRED", ["login"])]
    empty_password = await token_create(client, "boss.acme", "")
    assert [(e["code"], e["field"]) for e in empty_password["errors"]] == [
        ("REQUIRED", ["password"])
    ]


async def test_inactive_user_cannot_log_in(client, demo, engine: AsyncEngine) -> None:  # type: ignore[no-untyped-def]
    async with engine.begin() as conn:
        await conn.execute(
            text("UPDATE portal_user SET is_active = false WHERE login = 'boss.acme'")
        )
        await conn.execute(
            text("UPDATE staff_user SET is_active = false WHERE email = 'maker@shop.example'")
        )
    assert codes(await token_create(client, "boss.acme", DEMO_PASSWORD)) == ["INVALID_CREDENTIALS"]
    assert codes(await token_create(client, "maker@shop.example", DEMO_PASSWORD)) == [
        "INVALID_CREDENTIALS"
    ]
    await log_in(client, "buyer.acme")  # the colleague is not affected


async def test_company_without_portal_cannot_log_in(client, demo, engine: AsyncEngine) -> None:  # type: ignore[no-untyped-def]
    boss = await log_in(client, "boss.acme")
    async with engine.begin() as conn:
        await conn.execute(text("UPDATE company SET portal_enabled = false WHERE code = 'acme'"))
    for who in ("acme", "boss.acme"):
        assert codes(await token_create(client, who, DEMO_PASSWORD)) == ["INVALID_CREDENTIALS"]
    await assert_unauthenticated(client, boss["accessToken"])
    refreshed = (await gql(client, TOKEN_REFRESH, {"t": boss["refreshToken"]}))["data"]
    assert codes(refreshed["tokenRefresh"]) == ["INVALID_TOKEN"]
    await log_in(client, "globex")


# --- throttling ------------------------------------------------------------------------------


async def test_account_is_throttled_after_five_failures(client, demo) -> None:  # type: ignore[no-untyped-def]
    for attempt in range(5):
        # Case and spaces do not make it another account.
        login = "Boss.Acme" if attempt % 2 else " boss.acme"
        assert codes(await token_create(client, login, f"wrong-{attempt}")) == [
            "INVALID_CREDENTIALS"
        ]
    throttled = await token_create(client, "boss.acme", DEMO_PASSWORD)
    assert throttled["accessToken"] is None
    assert [(e["code"], e["field"]) for e in throttled["errors"]] == [
        ("TOO_MANY_ATTEMPTS", ["login"])
    ]
    await log_in(client, "buyer.acme")
    await log_in(client, "acme")


async def test_fewer_failures_do_not_throttle_and_success_resets(client, demo) -> None:  # type: ignore[no-untyped-def]
    for _ in range(4):
        await token_create(client, "boss.acme", "wrong")
    await log_in(client, "boss.acme")  # the fifth attempt is right: allowed, counter cleared
    for _ in range(4):
        await token_create(client, "boss.acme", "wrong")
    await log_in(client, "boss.acme")


@pytest.mark.parametrize(
    "settings",
    [{"login_max_failures_address": 3, "login_max_failures_account": 100}],
    indirect=True,
)
async def test_client_address_is_throttled(client, demo, app) -> None:  # type: ignore[no-untyped-def]
    for who in ("ghost1", "ghost2", "buyer.acme"):
        assert codes(await token_create(client, who, "wrong-password")) == ["INVALID_CREDENTIALS"]
    # From this address even a correct login of an untouched account is refused now.
    assert codes(await token_create(client, "globex", DEMO_PASSWORD)) == ["TOO_MANY_ATTEMPTS"]
    transport = httpx.ASGITransport(app=app, client=("10.1.2.3", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as other:
        await log_in(other, "globex")
        await log_in(other, "buyer.acme")


# --- access tokens ---------------------------------------------------------------------------


def _claims(token: str) -> dict[str, Any]:
    return jwt.decode(token, options={"verify_signature": False})  # type: ignore[no-any-return]


def _forge(settings: Settings, claims: dict[str, Any], **override: Any) -> str:
    key = override.pop("key", settings.jwt_secret)
    algorithm = override.pop("algorithm", "HS256")
    return jwt.encode({**claims, **override}, key, algorithm=algorithm)


async def test_forged_or_expired_access_tokens_answer_401(client, demo, settings) -> None:  # type: ignore[no-untyped-def]
    real = (await log_in(client, "boss.acme"))["accessToken"]
    claims = _claims(real)
    now = int(time.time())
    # The forging itself is right: the same claims re-signed with the secret are accepted.
    await assert_me(client, _forge(settings, claims, iat=now, exp=now + 60), "boss.acme")
    bad = {
        "expired": _forge(settings, claims, iat=now - 1000, nbf=now - 1000, exp=now - 60),
        "alg none": jwt.encode(claims, None, algorithm="none"),
        "wrong key": _forge(settings, claims, key="another-secret-" + "y" * 40),
        "wrong audience": _forge(settings, claims, aud="someone-else"),
        "wrong issuer": _forge(settings, claims, iss="evil"),
        "no expiry": jwt.encode(
            {k: v for k, v in claims.items() if k != "exp"}, settings.jwt_secret, "HS256"
        ),
        "other user": _forge(settings, claims, sub="portal:999999"),
        "unknown session": _forge(settings, claims, sid="00000000-0000-4000-8000-000000000000"),
        "garbage": "not.a.jwt",
        "signature cut": real.rsplit(".", 1)[0] + ".",
    }
    for name, token in bad.items():
        status, body = await me_status(client, token)
        assert status == 401, (name, body)
        assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED", name


async def test_401_carries_www_authenticate(client, demo) -> None:  # type: ignore[no-untyped-def]
    resp = await client.post(
        "/graphql", json={"query": ME}, headers={"authorization": "Bearer nonsense"}
    )
    assert resp.status_code == 401
    assert resp.headers["www-authenticate"] == 'Bearer error="invalid_token"'


async def test_no_authorization_header_is_anonymous(client, demo) -> None:  # type: ignore[no-untyped-def]
    assert (await gql(client, ME))["data"]["me"] is None


async def test_malformed_authorization_header_answers_401(client, demo) -> None:  # type: ignore[no-untyped-def]
    token = (await log_in(client, "boss.acme"))["accessToken"]
    for header in ("Bearer", "Bearer   ", "Basic dXNlcjpwYXNz", token):
        resp = await client.post("/graphql", json={"query": ME}, headers={"authorization": header})
        assert resp.status_code == 401, header
        assert resp.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


# --- refresh tokens --------------------------------------------------------------------------


async def refresh(client: httpx.AsyncClient, token: str) -> dict[str, Any]:
    return (await gql(client, TOKEN_REFRESH, {"t": token}))["data"]["tokenRefresh"]  # type: ignore[no-any-return]


async def test_refresh_rotates_and_reuse_ends_the_session(client, demo) -> None:  # type: ignore[no-untyped-def]
    first = await log_in(client, "boss.acme")
    other_session = await log_in(client, "boss.acme")

    second = await refresh(client, first["refreshToken"])
    assert second["errors"] == []
    assert second["refreshToken"] not in (None, first["refreshToken"])
    assert second["accessToken"] not in (None, first["accessToken"])
    await assert_me(client, second["accessToken"], "boss.acme")

    # The spent token shows up again: it leaked. The whole family dies.
    reused = await refresh(client, first["refreshToken"])
    assert reused["accessToken"] is None
    assert [(e["code"], e["field"]) for e in reused["errors"]] == [
        ("TOKEN_REUSED", ["refreshToken"])
    ]
    assert codes(await refresh(client, second["refreshToken"])) == ["INVALID_TOKEN"]
    await assert_unauthenticated(client, second["accessToken"])
    await assert_unauthenticated(client, first["accessToken"])
    # Another login of the same user is another session, untouched.
    await assert_me(client, other_session["accessToken"], "boss.acme")
    assert (await refresh(client, other_session["refreshToken"]))["errors"] == []


async def test_refresh_with_unknown_token_is_invalid(client, demo) -> None:  # type: ignore[no-untyped-def]
    assert codes(await refresh(client, "no-such-token")) == ["INVALID_TOKEN"]


async def test_revoke_ends_the_session(client, demo) -> None:  # type: ignore[no-untyped-def]
    session = await log_in(client, "admin@shop.example")
    other = await log_in(client, "admin@shop.example")
    revoked = (await gql(client, TOKEN_REVOKE, {"t": session["refreshToken"]}))["data"]
    assert revoked["tokenRevoke"] == {"revoked": True, "errors": []}
    await assert_unauthenticated(client, session["accessToken"])
    assert codes(await refresh(client, session["refreshToken"])) == ["INVALID_TOKEN"]
    await assert_me(client, other["accessToken"], "admin@shop.example")
    # Idempotent, and an unknown token reveals nothing.
    again = (await gql(client, TOKEN_REVOKE, {"t": session["refreshToken"]}))["data"]
    assert again["tokenRevoke"]["revoked"] is True
    unknown = (await gql(client, TOKEN_REVOKE, {"t": "unknown"}))["data"]
    assert unknown["tokenRevoke"]["revoked"] is True


# --- password hashes and deactivation -------------------------------------------------------


async def test_weaker_hash_is_upgraded_on_login(client, demo, engine: AsyncEngine) -> None:  # type: ignore[no-untyped-def]
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1, type=Type.ID)
    async with engine.begin() as conn:
        await conn.execute(
            text("UPDATE portal_user SET password_hash = :h WHERE login = 'buyer.acme'"),
            {"h": weak.hash(DEMO_PASSWORD)},
        )

    async def stored() -> str:
        async with engine.connect() as conn:
            return str(
                await conn.scalar(
                    text("SELECT password_hash FROM portal_user WHERE login = 'buyer.acme'")
                )
            )

    assert (await stored()).startswith("$argon2id$v=19$m=8192,t=1,p=1$")
    await log_in(client, "buyer.acme")
    upgraded = await stored()
    assert upgraded.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    await log_in(client, "buyer.acme")  # the new hash verifies
    assert await stored() == upgraded  # and is not rehashed again


async def test_wrong_password_does_not_touch_a_weak_hash(client, demo, engine: AsyncEngine) -> None:  # type: ignore[no-untyped-def]
    weak_hash = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(DEMO_PASSWORD)
    async with engine.begin() as conn:
        await conn.execute(
            text("UPDATE portal_user SET password_hash = :h WHERE login = 'buyer.acme'"),
            {"h": weak_hash},
        )
    await token_create(client, "buyer.acme", "wrong-password")
    async with engine.connect() as conn:
        assert (
            await conn.scalar(
                text("SELECT password_hash FROM portal_user WHERE login = 'buyer.acme'")
            )
            == weak_hash
        )


USERS = "{ me { ... on PortalUser { company { users { id login isActive } } } } }"
USER_UPDATE = """
mutation($input: PortalUserUpdateInput!) {
  portalUserUpdate(input: $input) { user { login isActive } errors { code field } }
}"""


async def test_deactivated_user_is_locked_out_at_once(client, demo) -> None:  # type: ignore[no-untyped-def]
    admin = (await log_in(client, "acme"))["accessToken"]
    boss = await log_in(client, "boss.acme")
    await assert_me(client, boss["accessToken"], "boss.acme")
    users = (await gql(client, USERS, token=admin))["data"]["me"]["company"]["users"]
    boss_id = next(u["id"] for u in users if u["login"] == "boss.acme")

    result = await gql(
        client, USER_UPDATE, {"input": {"id": boss_id, "isActive": False}}, token=admin
    )
    assert result["data"]["portalUserUpdate"] == {
        "user": {"login": "boss.acme", "isActive": False},
        "errors": [],
    }
    await assert_unauthenticated(client, boss["accessToken"])
    assert codes(await refresh(client, boss["refreshToken"])) == ["INVALID_TOKEN"]
    assert codes(await token_create(client, "boss.acme", DEMO_PASSWORD)) == ["INVALID_CREDENTIALS"]
    await assert_me(client, admin, "acme")

    # Reactivated: a fresh login works, the old session stays ended.
    await gql(client, USER_UPDATE, {"input": {"id": boss_id, "isActive": True}}, token=admin)
    await log_in(client, "boss.acme")
    await assert_unauthenticated(client, boss["accessToken"])
