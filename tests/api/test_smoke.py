from __future__ import annotations

from tests.factories import gql

ME = "{ me { __typename ... on PortalUser { login rights company { code } } ... on StaffUser { email role } } }"


async def test_healthz(client) -> None:  # type: ignore[no-untyped-def]
    resp = await client.get("/healthz")
    assert resp.status_code == 200
    assert resp.json() == {"status": "ok", "database": "up"}


async def test_each_demo_user_logs_in_and_me_answers(client, as_user) -> None:  # type: ignore[no-untyped-def]
    expected = {
        "acme": ("PortalUser", "acme", 8),
        "boss.acme": ("PortalUser", "acme", 4),
        "buyer.acme": ("PortalUser", "acme", 1),
        "globex": ("PortalUser", "globex", 8),
        "jdoe": ("PortalUser", "jdoe", 8),
    }
    for who, (typename, company, n_rights) in expected.items():
        token = await as_user(who)
        me = (await gql(client, ME, token=token))["data"]["me"]
        assert me["__typename"] == typename
        assert me["login"] == who
        assert me["company"]["code"] == company
        assert len(me["rights"]) == n_rights
    for who, role in (("admin@shop.example", "ADMIN"), ("maker@shop.example", "PRODUCTION")):
        token = await as_user(who)
        me = (await gql(client, ME, token=token))["data"]["me"]
        assert me == {"__typename": "StaffUser", "email": who, "role": role}


async def test_anonymous_me_is_null(client) -> None:  # type: ignore[no-untyped-def]
    assert (await gql(client, ME))["data"]["me"] is None
