"""The request log of a production server, read from its output (issue #11, finding 7): one
JSON line per request; client mistakes at INFO with their codes, never the document; an
unexpected error at ERROR once, with its stack and the request id."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import httpx

from domain.accounts import queries as account_queries
from server.graphql_view import PressroomGraphQL
from tests.live_server import live_server

SECRET = "log-test-secret-" + "x" * 40
# A schema-guessing run sends documents like this one: unknown fields, a long body.
PADDING = " ".join(f"field{i}" for i in range(400))
BAD_DOCUMENT = "query Guess { nosuchfield { " + PADDING + " } products(first: 1) { bogus } }"


def _lines(path: Path) -> list[dict]:
    out = []
    for raw in path.read_text().splitlines():
        raw = raw.strip()
        if raw.startswith("{"):
            out.append(json.loads(raw))
    return out


def test_invalid_documents_log_one_small_info_line_without_the_document(
    database_url: str, tmp_path: Path, clean_db: None
) -> None:
    log = tmp_path / "server.log"
    env = {"PRESSROOM_ENV": "production"}
    with live_server(database_url, tmp_path, secret=SECRET, extra_env=env, log_path=log) as base:
        with httpx.Client(base_url=base, timeout=10) as http:
            http.get("/healthz")  # let start-up lines be written first
            before = log.stat().st_size
            n = 20
            for i in range(n):
                resp = http.post(
                    "/graphql",
                    json={"query": BAD_DOCUMENT},
                    headers={"x-request-id": f"bad-{i}"},
                )
                assert resp.status_code in (200, 400), resp.text
                assert resp.json()["errors"]
            http.post(
                "/graphql", content=b"{not json", headers={"content-type": "application/json"}
            )
            ok = http.post("/graphql", json={"query": "{ __typename }"})
            assert ok.status_code == 200
    written = log.read_bytes()[before:].decode()
    assert len(BAD_DOCUMENT) > 3000
    assert "nosuchfield" not in written and "field399" not in written, written[:2000]
    assert "bogus" not in written
    lines = _lines(log)
    bad = [line for line in lines if str(line.get("request_id", "")).startswith("bad-")]
    assert len(bad) == n, lines[-5:]
    for line in bad:
        assert line["event"] == "request"
        assert line["level"] == "info"
        assert line["status"] in (200, 400)
        assert line["operation"] == "graphql:invalid"
        assert line["operation_name"] == "Guess"
        assert "GRAPHQL_VALIDATION_FAILED" in line["error_codes"]
        assert line["viewer"] == "anonymous"
        assert isinstance(line["duration_ms"], float | int)
    assert not [line for line in lines if line.get("level") in ("error", "critical")], lines
    # Log bytes per bad request stay small (the hostile-input target is 1 KB).
    per_request = (len(written.encode())) / (n + 2)
    assert per_request < 600, per_request
    [good] = [line for line in lines if line.get("operation") == "query:__typename"]
    assert good["error_codes"] == [] and good["status"] == 200


def _explode(*args: object, **kwargs: object) -> object:
    raise RuntimeError("boom in companies")


async def test_an_unexpected_error_is_logged_once_with_its_stack_and_request_id(
    client, as_user, monkeypatch, caplog
) -> None:  # type: ignore[no-untyped-def]
    token = await as_user("admin@shop.example")
    monkeypatch.setattr(account_queries, "companies_query", _explode)
    caplog.set_level(logging.INFO)
    caplog.clear()
    resp = await client.post(
        "/graphql",
        json={"query": "{ companies { totalCount } }"},
        headers={"authorization": f"Bearer {token}", "x-request-id": "oops-1"},
    )
    assert resp.json()["errors"][0]["path"] == ["companies"]
    with_stack = [r for r in caplog.records if r.exc_info]
    assert len(with_stack) == 1, [r.getMessage() for r in caplog.records]
    assert with_stack[0].levelno == logging.ERROR
    assert "oops-1" in with_stack[0].getMessage()
    assert "boom in companies" in str(with_stack[0].exc_info[1])
    [line] = [r for r in caplog.records if r.name == "pressroom.request"]
    assert line.levelno == logging.ERROR
    assert line.error_codes == ["INTERNAL_SERVER_ERROR"]  # type: ignore[attr-defined]
    assert line.operation == "query:companies"  # type: ignore[attr-defined]
    assert line.viewer == "staff"  # type: ignore[attr-defined]
    assert not [r for r in caplog.records if r.name.startswith("strawberry")]


async def test_an_error_outside_graphql_answers_500_with_the_request_id(
    client, monkeypatch, caplog
) -> None:  # type: ignore[no-untyped-def]
    async def broken_context(self, request, response):  # type: ignore[no-untyped-def]
        raise RuntimeError("context exploded")

    monkeypatch.setattr(PressroomGraphQL, "get_context", broken_context)
    caplog.set_level(logging.INFO)
    resp = await client.post(
        "/graphql", json={"query": "{ __typename }"}, headers={"x-request-id": 'q"1'}
    )
    assert resp.status_code == 500
    [error] = resp.json()["errors"]
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "requestId": 'q"1'}
    assert "context exploded" not in resp.text
    with_stack = [r for r in caplog.records if r.exc_info]
    assert len(with_stack) == 1 and 'q"1' in with_stack[0].getMessage()
    [line] = [r for r in caplog.records if r.name == "pressroom.request"]
    assert line.levelno == logging.ERROR and line.status == 500  # type: ignore[attr-defined]


async def test_payload_errors_are_codes_on_an_info_line(client, demo, caplog) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.INFO)
    resp = await client.post(
        "/graphql",
        json={
            "query": 'mutation Login { tokenCreate(input: {login: "acme", password: '
            '"not-the-password"}) { errors { code } } }'
        },
    )
    assert resp.json()["data"]["tokenCreate"]["errors"][0]["code"] == "INVALID_CREDENTIALS"
    [line] = [r for r in caplog.records if r.name == "pressroom.request"]
    assert line.levelno == logging.INFO
    assert line.error_codes == ["INVALID_CREDENTIALS"]  # type: ignore[attr-defined]
    assert line.operation == "mutation:tokenCreate"  # type: ignore[attr-defined]
    assert line.operation_name == "Login"  # type: ignore[attr-defined]
    assert "not-the-password" not in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
