"""Client mistakes answer typed errors: a malformed global ID names the argument and carries
extensions.code, is never masked as an internal error in production, and logs no traceback."""

from __future__ import annotations

import logging

import pytest

from tests.api.test_hardening import post

MALFORMED = ["xyz", "UHJvZHVjdDox%3D", "%20", "Tm9kZQ=="]


@pytest.mark.parametrize("bad", MALFORMED)
async def test_node_with_a_malformed_id_answers_bad_user_input(client, bad: str) -> None:  # type: ignore[no-untyped-def]
    for query, variables in (
        (f'{{ node(id: "{bad}") {{ id }} }}', None),
        ("query ($i: ID!) { node(id: $i) { id } }", {"i": bad}),
    ):
        resp = await post(client, query, variables)
        body = resp.json()
        assert body["data"] == {"node": None}
        [error] = body["errors"]
        assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": ["id"]}
        assert error["path"] == ["node"]


async def test_a_malformed_id_in_an_input_names_the_input_field(client, as_user) -> None:  # type: ignore[no-untyped-def]
    token = await as_user("acme")
    resp = await post(
        client,
        "mutation ($i: PortalUserUpdateInput!) { portalUserUpdate(input: $i) { errors { code } } }",
        {"i": {"id": "not-an-id", "fullName": "X"}},
        token=token,
    )
    [error] = resp.json()["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": ["input", "id"]}


async def test_production_treats_a_malformed_id_as_a_client_error(  # type: ignore[no-untyped-def]
    client_with, caplog
) -> None:
    prod = await client_with(environment="production")
    caplog.set_level(logging.INFO)
    for bad in MALFORMED:
        resp = await post(prod, f'{{ node(id: "{bad}") {{ id }} }}')
        [error] = resp.json()["errors"]
        assert error["extensions"]["code"] == "BAD_USER_INPUT", error
        assert "Unexpected error" not in error["message"]
    tracebacks = [r for r in caplog.records if r.exc_info and r.levelno >= logging.WARNING]
    assert tracebacks == []
    masked = [r for r in caplog.records if r.name == "pressroom.graphql"]
    assert masked == []


async def test_a_login_longer_than_any_account_is_refused_as_invalid(client, demo) -> None:  # type: ignore[no-untyped-def]
    # Found by the fuzzer: a 300-character login overflowed the throttle key (a 500).
    query = "mutation ($i: TokenCreateInput!) { tokenCreate(input: $i) { errors { code } } }"
    for login in ("é" * 300, "x" * 5000 + "@shop.example"):
        for _ in range(2):
            resp = await post(client, query, {"i": {"login": login, "password": "x"}})
            assert resp.status_code == 200, resp.text[:300]
            assert resp.json()["data"]["tokenCreate"]["errors"] == [{"code": "INVALID_CREDENTIALS"}]


async def test_payload_errors_name_the_input_field_the_caller_sent(client, as_user) -> None:  # type: ignore[no-untyped-def]
    import base64
    import uuid

    token = await as_user("boss.acme")
    # Well-formed IDs of nothing: the error points at the field that carried each one.
    missing_config = base64.b64encode(f"Configuration:{uuid.uuid4()}".encode()).decode()
    missing_part = base64.b64encode(b"Part:999999").decode()
    query = """mutation ($i: CartLineAddInput!) { cartLineAdd(input: $i) {
        errors { code field } } }"""
    for field, value in (("configurationId", missing_config), ("partId", missing_part)):
        resp = await post(client, query, {"i": {"quantity": 1, field: value}}, token=token)
        assert resp.json()["data"]["cartLineAdd"]["errors"] == [
            {"code": "NOT_FOUND", "field": [field]}
        ], (field, resp.text)
