"""GraphQL over HTTP (graphql-over-http spec) as the ASGI app serves it.

Decisions pinned here:
- `Accept: application/graphql-response+json`: a request that never executes (parse, validation)
  answers 400 without a `data` key; once execution starts the answer is 200 with `data`.
- `Accept: application/json` (or none): the legacy behaviour, 200 for every well-formed request.
- A mutation over GET answers 405 with `Allow: POST` (the spec's MUST) and does not run.
- Malformed JSON and batches (JSON arrays) answer 400; batching is off.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.factories import gql

GRJ = "application/graphql-response+json"
COMPANIES = "{ companies(first: 5) { totalCount edges { node { code } } } }"
REGISTER = """mutation {
  registrationRequestCreate(input: {
    companyName: "Initech", legalForm: COMPANY, contactName: "Peter Gibbons",
    email: "peter@initech.example", password: "tps-reports-forever-42"
  }) { accepted errors { code } }
}"""


async def _count(engine: AsyncEngine, table: str) -> int:
    async with engine.connect() as conn:
        return int((await conn.execute(text(f"SELECT count(*) FROM {table}"))).scalar_one())


async def _post(
    client: httpx.AsyncClient, body: Any, accept: str | None = None, **headers: str
) -> httpx.Response:
    h = {"content-type": "application/json", **headers}
    if accept is not None:
        h["accept"] = accept
    return await client.post("/graphql", content=json.dumps(body), headers=h)


# --- transport basics --------------------------------------------------------------------------


async def test_post_application_json_runs_a_query(client, as_user) -> None:  # type: ignore[no-untyped-def]
    token = await as_user("acme")
    resp = await _post(
        client, {"query": COMPANIES}, accept="application/json", authorization=f"Bearer {token}"
    )
    assert resp.status_code == 200
    assert resp.headers["content-type"].startswith("application/json")
    body = resp.json()
    assert "errors" not in body
    assert body["data"]["companies"] == {"totalCount": 1, "edges": [{"node": {"code": "acme"}}]}


async def test_get_runs_a_query(client, as_user) -> None:  # type: ignore[no-untyped-def]
    token = await as_user("acme")
    resp = await client.get(
        "/graphql",
        params={
            "query": "query Q($n: Int) { companies(first: $n) { totalCount } }",
            "variables": json.dumps({"n": 1}),
            "operationName": "Q",
        },
        headers={"authorization": f"Bearer {token}", "accept": "application/json"},
    )
    assert resp.status_code == 200
    body = resp.json()
    assert body["data"] == {"companies": {"totalCount": 1}}
    assert "errors" not in body
    assert body["extensions"]["cost"]["requestedQueryCost"] == 3  # 2 + first (1) x 1


async def test_mutation_over_get_is_refused_with_405_and_does_not_run(  # type: ignore[no-untyped-def]
    client, demo, engine
) -> None:
    before = await _count(engine, "registration_request")
    for accept in ("application/json", GRJ):
        resp = await client.get("/graphql", params={"query": REGISTER}, headers={"accept": accept})
        assert resp.status_code == 405, resp.text
        assert resp.headers["allow"] == "POST"
        assert "mutation" in resp.text.lower()
    # A named mutation picked by operationName next to a query is refused the same way.
    doc = f"query Q {{ __typename }}\n{REGISTER.replace('mutation', 'mutation M', 1)}"
    resp = await client.get("/graphql", params={"query": doc, "operationName": "M"})
    assert resp.status_code == 405
    assert await _count(engine, "registration_request") == before
    # The same mutation over POST does run: the count above can move.
    body = await gql(client, REGISTER)
    assert body["data"]["registrationRequestCreate"] == {"accepted": True, "errors": []}
    assert await _count(engine, "registration_request") == before + 1


async def test_healthz(client) -> None:  # type: ignore[no-untyped-def]
    resp = await client.get("/healthz")
    assert resp.status_code == 200
    assert resp.json() == {"status": "ok", "database": "up"}


async def test_root_redirects_to_graphql(client) -> None:  # type: ignore[no-untyped-def]
    resp = await client.get("/", follow_redirects=False)
    assert resp.status_code in (302, 307)
    assert resp.headers["location"].endswith("/graphql")


async def test_graphiql_is_served_in_development(client) -> None:  # type: ignore[no-untyped-def]
    resp = await client.get("/graphql", headers={"accept": "text/html"})
    assert resp.status_code == 200
    assert resp.headers["content-type"].startswith("text/html")
    assert "graphiql" in resp.text.lower()


async def test_other_methods_are_refused(client) -> None:  # type: ignore[no-untyped-def]
    resp = await client.put("/graphql", content=json.dumps({"query": "{ __typename }"}))
    assert resp.status_code == 405


# --- request ids -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"), [("GET", "/healthz"), ("POST", "/graphql"), ("GET", "/")]
)
async def test_every_response_carries_a_request_id(client, method, path) -> None:  # type: ignore[no-untyped-def]
    kwargs: dict[str, Any] = {}
    if method == "POST":
        kwargs["json"] = {"query": "{ __typename }"}
    first = await client.request(method, path, **kwargs)
    second = await client.request(method, path, **kwargs)
    rid1, rid2 = first.headers["x-request-id"], second.headers["x-request-id"]
    assert rid1 and rid2 and rid1 != rid2
    echoed = await client.request(method, path, headers={"x-request-id": "abc-123"}, **kwargs)
    assert echoed.headers["x-request-id"] == "abc-123"


async def test_error_responses_carry_a_request_id_too(client) -> None:  # type: ignore[no-untyped-def]
    resp = await _post(client, {"query": "{"}, accept=GRJ, **{"x-request-id": "req-42"})
    assert resp.status_code == 400
    assert resp.headers["x-request-id"] == "req-42"
    resp = await client.post(
        "/graphql", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert resp.status_code == 400
    assert resp.headers["x-request-id"]
    resp = await client.post(
        "/graphql", json={"query": "{ __typename }"}, headers={"authorization": "Bearer nope"}
    )
    assert resp.status_code == 401
    assert resp.headers["x-request-id"]


# --- application/graphql-response+json ---------------------------------------------------------


async def test_parse_error_answers_400_without_data(client) -> None:  # type: ignore[no-untyped-def]
    resp = await _post(client, {"query": "{ companies { "}, accept=GRJ)
    assert resp.status_code == 400
    assert resp.headers["content-type"].split(";")[0] == GRJ
    body = resp.json()
    assert "data" not in body
    assert body["errors"] and "Syntax Error" in body["errors"][0]["message"]


async def test_validation_error_answers_400_without_data(client) -> None:  # type: ignore[no-untyped-def]
    resp = await _post(client, {"query": "{ companies { nope } }"}, accept=GRJ)
    assert resp.status_code == 400
    assert resp.headers["content-type"].split(";")[0] == GRJ
    body = resp.json()
    assert "data" not in body
    assert "Cannot query field 'nope'" in body["errors"][0]["message"]


async def test_variable_coercion_error_answers_400_without_data(client) -> None:  # type: ignore[no-untyped-def]
    resp = await _post(
        client,
        {
            "query": "query ($n: Int!) { companies(first: $n) { totalCount } }",
            "variables": {"n": "many"},
        },
        accept=GRJ,
    )
    assert resp.status_code == 400
    body = resp.json()
    assert "data" not in body
    assert "$n" in body["errors"][0]["message"]


async def test_success_answers_200_with_graphql_response_json(client, as_user) -> None:  # type: ignore[no-untyped-def]
    token = await as_user("globex")
    resp = await _post(client, {"query": COMPANIES}, accept=GRJ, authorization=f"Bearer {token}")
    assert resp.status_code == 200
    assert resp.headers["content-type"].split(";")[0] == GRJ
    body = resp.json()
    assert body["data"]["companies"]["edges"] == [{"node": {"code": "globex"}}]
    assert "errors" not in body


async def test_field_error_during_execution_answers_200_with_data(client, demo) -> None:  # type: ignore[no-untyped-def]
    query = "{ me { __typename } registrationRequests { totalCount } }"
    resp = await _post(client, {"query": query}, accept=GRJ)
    assert resp.status_code == 200
    assert resp.headers["content-type"].split(";")[0] == GRJ
    body = resp.json()
    # registrationRequests is non-null, so the error nulls the whole `data`: still present.
    assert "data" in body and body["data"] is None
    [error] = body["errors"]
    assert error["path"] == ["registrationRequests"]
    assert error["extensions"]["code"] in {"UNAUTHENTICATED", "FORBIDDEN"}


async def test_resolver_error_answers_200_with_data(client, demo) -> None:  # type: ignore[no-untyped-def]
    # A GraphQLError raised by a resolver (page size over the maximum) is a field error too.
    resp = await _post(
        client,
        {"query": "{ me { __typename } companies(first: 1000) { totalCount } }"},
        accept=GRJ,
    )
    assert resp.status_code == 200
    body = resp.json()
    assert "data" in body and body["data"] is None
    assert body["errors"][0]["path"] == ["companies"]
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


@pytest.mark.parametrize("accept", ["application/json", None, "*/*"])
async def test_legacy_json_answers_200_even_for_request_errors(client, accept) -> None:  # type: ignore[no-untyped-def]
    for query in ("{ companies { ", "{ companies { nope } }"):
        resp = await _post(client, {"query": query}, accept=accept)
        assert resp.status_code == 200, resp.text
        assert resp.headers["content-type"].startswith("application/json")
        body = resp.json()
        assert body["data"] is None
        assert body["errors"]


# --- malformed requests ------------------------------------------------------------------------


@pytest.mark.parametrize("accept", ["application/json", GRJ])
async def test_malformed_json_body_answers_400(client, accept) -> None:  # type: ignore[no-untyped-def]
    resp = await client.post(
        "/graphql",
        content=b'{"query": "{ __typename }"',
        headers={"content-type": "application/json", "accept": accept},
    )
    assert resp.status_code == 400
    assert "JSON" in resp.text


async def test_query_must_be_a_string(client) -> None:  # type: ignore[no-untyped-def]
    resp = await _post(client, {"query": 42})
    assert resp.status_code == 400
    resp = await _post(client, {"query": "{ __typename }", "variables": [1]})
    assert resp.status_code == 400


async def test_missing_query_answers_400(client) -> None:  # type: ignore[no-untyped-def]
    resp = await _post(client, {"variables": {}})
    assert resp.status_code == 400


async def test_unsupported_content_type_answers_400(client) -> None:  # type: ignore[no-untyped-def]
    resp = await client.post(
        "/graphql",
        content=b"query=%7B__typename%7D",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert resp.status_code == 400
    # Multipart without a preflight-forcing header is a "simple" cross-site request: refused.
    resp = await client.post(
        "/graphql",
        files={"operations": (None, json.dumps({"query": "{ __typename }"})), "map": (None, "{}")},
    )
    assert resp.status_code == 400


async def test_batching_is_refused_and_nothing_runs(client, demo, engine) -> None:  # type: ignore[no-untyped-def]
    before = await _count(engine, "registration_request")
    resp = await _post(client, [{"query": REGISTER}, {"query": "{ __typename }"}])
    assert resp.status_code == 400
    assert "Batching is not enabled" in resp.text
    resp = await _post(client, [{"query": REGISTER}], accept=GRJ)
    assert resp.status_code == 400
    assert await _count(engine, "registration_request") == before
