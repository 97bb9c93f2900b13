"""Hostile input at the edge (issue 11): documents that expand exponentially, bodies that are
not GraphQL requests, text PostgreSQL cannot store, absurd decimals, oversized bodies and the
per-request time budget. Each answers a typed client error; none reaches SQL or a 500."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from graphql import parse
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.db import SqlUnitOfWork
from schema.hardening import CostCalculator
from server.schema import build_schema
from tests.api.test_hardening import GRJ, post

JSON = {"content-type": "application/json", "accept": GRJ}


def fragment_chain(levels: int, leaf: str = "__typename") -> str:
    """`levels` fragments that each spread the next one twice: 2^levels leaves when expanded."""
    frags = [f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(levels)]
    frags.append(f"fragment F{levels} on Query {{ {leaf} }}")
    return "{ ...F0 } " + " ".join(frags)


# --- 1. documents whose validation or cost grows faster than their size ---------------------


@pytest.mark.timeout(60)
async def test_exponential_fragments_are_refused_at_once(client) -> None:  # type: ignore[no-untyped-def]
    for levels in (20, 40):
        resp = await post(client, fragment_chain(levels))
        assert resp.status_code == 400, resp.text
        [error] = resp.json()["errors"]
        assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
        assert "units of validation work" in error["message"]
    # A document that spreads fragments a few times is fine.
    resp = await post(client, fragment_chain(3))
    assert resp.status_code == 200, resp.text
    assert resp.json()["data"] == {"__typename": "Query"}
    assert (await client.get("/healthz")).status_code == 200


@pytest.mark.timeout(60)
async def test_depth_alias_and_cost_follow_fragments_once(client) -> None:  # type: ignore[no-untyped-def]
    # Deep, aliased and costly through fragments: each limit still sees through the spreads.
    deep = "{ ...D0 } " + " ".join(
        f"fragment D{i} on Company {{ users {{ company {{ ...D{i + 1} }} }} }}" for i in range(8)
    )
    deep = deep.replace("{ ...D0 }", "{ companies { edges { node { ...D0 } } } }")
    deep += " fragment D8 on Company { code }"
    resp = await post(client, deep)
    assert resp.status_code == 400
    assert "maximum operation depth" in resp.json()["errors"][0]["message"]
    aliased = "{ ...A0 } " + " ".join(
        f"fragment A{i} on Query {{ x{i}: __typename ...A{i + 1} ...A{i + 1} }}" for i in range(5)
    )
    aliased += " fragment A5 on Query { __typename }"
    resp = await post(client, aliased)
    assert resp.json()["errors"][0]["message"] == "31 aliases found. Allowed: 30"


@pytest.mark.timeout(60)
def test_cost_estimate_is_linear_in_the_document() -> None:
    schema = build_schema()._schema
    doc = parse(fragment_chain(60, "me { __typename }"))
    fragments = {d.name.value: d for d in doc.definitions[1:]}  # type: ignore[union-attr]
    calc = CostCalculator(schema, fragments, {}, 20)  # type: ignore[arg-type]
    assert calc.operation(doc.definitions[0]) == 2**60  # type: ignore[arg-type]


async def test_fields_repeated_under_one_name_are_refused(client) -> None:  # type: ignore[no-untyped-def]
    # graphql-core compares same-named fields pairwise: 1000 of them took 1.3 s to validate.
    resp = await post(client, "{ " + "me { __typename } " * 1000 + "}")
    assert resp.status_code == 400
    assert resp.json()["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"


# --- 2. bodies that are not GraphQL requests --------------------------------------------------


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    "body",
    [
        b"42",
        b"null",
        b'"x"',
        b"true",
        b'{"query": "{ __typename }"',
        b'{"query": "\xff\xfe{ __typename }"}',
        b"\xc3\x28",
        b"[" * 300_000 + b"]" * 300_000,
        b'{"query": "{ __typename }", "variables": {"a": '
        + b"[" * 300_000
        + b"]" * 300_000
        + b"}}",
        b'{"query": "{ __typename }", "variables": 42}',
        b'{"query": 42}',
    ],
    ids=[
        "int",
        "null",
        "string",
        "bool",
        "truncated",
        "bad-utf8-in",
        "bad-utf8",
        "deep",
        "deep-variables",
        "variables-int",
        "query-int",
    ],
)
async def test_bodies_that_are_not_requests_answer_400(client, body: bytes) -> None:  # type: ignore[no-untyped-def]
    resp = await client.post("/graphql", content=body, headers=JSON)
    assert resp.status_code == 400, resp.text[:300]
    [error] = resp.json()["errors"]
    assert error["message"]
    assert len(resp.content) < 1000


async def test_get_with_variables_that_are_not_an_object_answers_400(client) -> None:  # type: ignore[no-untyped-def]
    for variables in ("42", "null-ish", "[" * 5000):
        resp = await client.get(
            "/graphql",
            params={"query": "{ __typename }", "variables": variables},
            headers={"accept": GRJ},
        )
        assert resp.status_code == 400, resp.text[:300]
        assert resp.json()["errors"][0]["message"]


# --- 3. text PostgreSQL cannot store ----------------------------------------------------------

LOGIN = (
    "mutation ($i: TokenCreateInput!) { tokenCreate(input: $i) { accessToken errors { code } } }"
)


def assert_refused(resp: Any, field: str) -> None:
    assert resp.status_code == 400, resp.text[:500]
    body = resp.json()
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT", error
    assert field in error["message"], error
    for sql in ("SELECT", "INSERT", "asyncpg", "sqlalchemy", "0x00"):
        assert sql not in resp.text


@pytest.mark.parametrize("bad", ["ac\x00me", "ac\ud800me", "\udfff"], ids=["nul", "high", "low"])
async def test_unstorable_text_in_variables_is_refused_naming_the_field(client, bad: str) -> None:  # type: ignore[no-untyped-def]
    import json

    # json.dumps keeps a lone surrogate as the escape \ud800, which is valid JSON.
    body = json.dumps({"query": LOGIN, "variables": {"i": {"login": bad, "password": "x"}}})
    resp = await client.post("/graphql", content=body.encode(), headers=JSON)
    assert_refused(resp, "$i.login")
    assert resp.json()["errors"][0]["extensions"]["field"] == ["i", "login"]
    reset = json.dumps(
        {
            "query": "mutation ($e: String!) { passwordResetRequest(input: {login: $e}) "
            "{ accepted } }",
            "variables": {"e": bad},
        }
    )
    assert_refused(await client.post("/graphql", content=reset.encode(), headers=JSON), "$e")


async def test_unstorable_text_in_literals_is_refused_naming_the_field(client) -> None:  # type: ignore[no-untyped-def]
    cases = [
        (
            'mutation { tokenCreate(input: {login: "a\\u0000", password: "x"}) { accessToken } }',
            "input.login",
        ),
        ('{ products(search: "x\\u0000") { totalCount } }', "search"),
        ('{ node(id: "\\u0000") { id } }', "id"),
        (
            '{ priceQuote(input: {productId: "x", configuration: {size: "\\u0000"}}) '
            "{ __typename } }",
            "input.configuration.size",
        ),
    ]
    import json

    for query, field in cases:
        resp = await client.post(
            "/graphql", content=json.dumps({"query": query}).encode(), headers=JSON
        )
        assert_refused(resp, field)
    # A raw unpaired surrogate in the document itself is a syntax error.
    query = '{ companies(search: "x\ud800") { totalCount } }'
    resp = await client.post(
        "/graphql", content=json.dumps({"query": query}).encode(), headers=JSON
    )
    assert resp.status_code == 400
    assert "Invalid character within String: U+D800" in resp.json()["errors"][0]["message"]


# --- 4. decimals ------------------------------------------------------------------------------

PART_QUOTE = """query ($t: Decimal) { partQuote(input: {template: "rectangle",
    parameters: {widthMm: 100, heightMm: 50}, material: "S235", thicknessMm: $t}) { __typename } }"""


@pytest.mark.parametrize(
    "value",
    [
        "NaN",
        "sNaN",
        "Infinity",
        "-Infinity",
        "1e9999999",
        "1" * 5000,
        "0.0000000000001",
        "1e13",
        "abc",
        True,
    ],
)
async def test_decimal_accepts_only_sane_finite_values(client, value: Any) -> None:  # type: ignore[no-untyped-def]
    resp = await post(client, PART_QUOTE, {"t": value})
    assert resp.status_code == 400, resp.text[:500]
    [error] = resp.json()["errors"]
    assert "finite decimal number" in error["message"]
    assert len(error["message"]) < 400
    assert "INTERNAL_SERVER_ERROR" not in resp.text
    if isinstance(value, str) and value.isalpha():
        literal = PART_QUOTE.replace("($t: Decimal) ", "").replace("$t", f'"{value}"')
        resp = await post(client, literal)
        assert resp.status_code == 400
        assert "finite decimal number" in resp.json()["errors"][0]["message"]


async def test_decimal_literals_out_of_range_are_refused(client) -> None:  # type: ignore[no-untyped-def]
    for literal in ("1e9999999", "1" * 200, '"NaN"'):
        resp = await post(client, PART_QUOTE.replace("($t: Decimal) ", "").replace("$t", literal))
        assert resp.status_code == 400, resp.text[:300]
        assert "finite decimal number" in resp.json()["errors"][0]["message"]
        assert len(resp.content) < 1000


async def test_an_upload_variable_that_is_not_a_file_is_refused(client, as_user) -> None:  # type: ignore[no-untyped-def]
    # Found by the fuzzer: a number in place of a file reached the resolver (500 inside).
    token = await as_user("acme")
    query = """mutation ($i: PartImportPreviewInput!) { partImportPreview(input: $i) {
        errors { code } } }"""
    for value in (2147483647, "sheet.csv", {"filename": "x"}):
        resp = await post(client, query, {"i": {"sheet": value, "archive": value}}, token=token)
        assert resp.status_code == 400, resp.text[:300]
        assert "Upload expects a file" in resp.json()["errors"][0]["message"]


# --- 5. body size -----------------------------------------------------------------------------


async def test_json_body_over_the_limit_answers_413(client) -> None:  # type: ignore[no-untyped-def]
    big = b'{"query": "{ __typename }", "variables": {"x": "' + b"a" * (1024 * 1024) + b'"}}'
    resp = await client.post("/graphql", content=big, headers=JSON)
    assert resp.status_code == 413
    assert resp.json()["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"

    async def chunks() -> Any:  # no Content-Length: cut off while streaming
        for _ in range(40):
            yield b" " * 32_768
        yield b'{"query": "{ __typename }"}'

    resp = await client.post("/graphql", content=chunks(), headers=JSON)
    assert resp.status_code == 413
    ok = await client.post(
        "/graphql", content=b" " * 500_000 + b'{"query": "{ __typename }"}', headers=JSON
    )
    assert ok.status_code == 200


def multipart(files: dict[str, bytes]) -> tuple[dict[str, Any], dict[str, Any]]:
    import json

    operations = {
        "query": "mutation ($f: Upload!) { __typename }",
        "variables": {"f": None},
    }
    mapping = {str(i): ["variables.f"] for i, _ in enumerate(files)}
    data = {"operations": json.dumps(operations), "map": json.dumps(mapping)}
    upload = {str(i): (name, content) for i, (name, content) in enumerate(files.items())}
    return data, upload


async def test_uploads_over_the_limits_answer_413(client_with) -> None:  # type: ignore[no-untyped-def]
    small = await client_with(max_upload_bytes=300_000, max_upload_file_bytes=100_000)
    headers = {"graphql-preflight": "1", "accept": GRJ}
    data, files = multipart({"a.dxf": b"x" * 150_000})
    resp = await small.post("/graphql", data=data, files=files, headers=headers)
    assert resp.status_code == 413, resp.text[:300]
    assert "file is larger than the limit" in resp.json()["errors"][0]["message"]
    data, files = multipart(
        {"a.dxf": b"x" * 90_000, "b.dxf": b"y" * 90_000, "c": b"z" * 90_000, "d": b"w" * 90_000}
    )
    resp = await small.post("/graphql", data=data, files=files, headers=headers)
    assert resp.status_code == 413
    assert "request body is larger" in resp.json()["errors"][0]["message"]
    data, files = multipart({"a.dxf": b"x" * 90_000})
    resp = await small.post("/graphql", data=data, files=files, headers=headers)
    assert resp.status_code != 413, resp.text[:300]


# --- per-request budget -----------------------------------------------------------------------

REGISTER = """mutation { registrationRequestCreate(input: {
    companyName: "Slowpoke", legalForm: COMPANY, contactName: "Sam",
    email: "sam@slow.example", password: "tps-reports-forever-42"
}) { accepted errors { code } } }"""


async def test_a_request_over_its_time_budget_is_cancelled_and_saves_nothing(  # type: ignore[no-untyped-def]
    client_with, engine: AsyncEngine, monkeypatch
) -> None:
    hasty = await client_with(request_timeout_s=0.5)
    real_commit = SqlUnitOfWork.commit

    async def slow_commit(self: SqlUnitOfWork) -> None:
        await asyncio.sleep(5)  # the row is flushed; the commit has not happened
        await real_commit(self)

    monkeypatch.setattr(SqlUnitOfWork, "commit", slow_commit)

    async def count() -> int:
        async with engine.connect() as conn:
            q = "SELECT count(*) FROM registration_request WHERE company_name = 'Slowpoke'"
            return int((await conn.execute(text(q))).scalar_one())

    resp = await post(hasty, REGISTER)
    assert resp.status_code == 503, resp.text
    assert resp.headers["retry-after"]
    [error] = resp.json()["errors"]
    assert error["extensions"]["code"] == "REQUEST_TIMEOUT"
    assert await count() == 0
    # The worker goes on serving, and the same mutation without the delay saves its row.
    monkeypatch.setattr(SqlUnitOfWork, "commit", real_commit)
    resp = await post(hasty, REGISTER)
    assert resp.json()["data"]["registrationRequestCreate"]["accepted"] is True
    assert await count() == 1
