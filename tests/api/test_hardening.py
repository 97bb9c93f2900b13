"""OWASP GraphQL cheat sheet: depth, alias, token and cost limits; production mode hides the
schema (introspection, GraphiQL, suggestions) and masks unexpected errors with a request id."""

from __future__ import annotations

import logging
from typing import Any

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.accounts import queries as account_queries
from tests.factories import gql

GRJ = "application/graphql-response+json"


async def post(
    client: httpx.AsyncClient,
    query: str,
    variables: dict[str, Any] | None = None,
    token: str | None = None,
    **headers: str,
) -> httpx.Response:
    h = {"accept": GRJ, **headers}
    if token:
        h["authorization"] = f"Bearer {token}"
    return await client.post("/graphql", json={"query": query, "variables": variables}, headers=h)


def nested(depth: int) -> str:
    """A query nesting ``depth`` fields: companies > edges > node > users > company > users..."""
    levels = ["companies(first: 1)", "edges", "node", *(["users", "company"] * 10)][:depth]
    body = "__typename"
    for level in reversed(levels):
        body = f"{level} {{ __typename {body} }}"
    return "{ " + body + " }"


def aliases(n: int) -> str:
    return "{ " + " ".join(f"a{i}: __typename" for i in range(n)) + " }"


# --- limits ------------------------------------------------------------------------------------


async def test_depth_limit(client, as_user) -> None:  # type: ignore[no-untyped-def]
    token = await as_user("acme")
    ok = await post(client, nested(12), token=token)
    assert ok.status_code == 200, ok.text
    assert ok.json()["data"]["companies"]["edges"][0]["node"]["users"]
    too_deep = await post(client, nested(13), token=token)
    assert too_deep.status_code == 400
    body = too_deep.json()
    assert "data" not in body
    assert body["errors"][0]["message"] == "'anonymous' exceeds maximum operation depth of 12"


async def test_depth_limit_follows_fragments(client) -> None:  # type: ignore[no-untyped-def]
    query = "{ ...F } fragment F on Query { " + nested(13)[1:-1] + " }"
    resp = await post(client, query)
    assert resp.status_code == 400
    assert "maximum operation depth" in resp.json()["errors"][0]["message"]


async def test_alias_limit(client) -> None:  # type: ignore[no-untyped-def]
    ok = await post(client, aliases(30))
    assert ok.status_code == 200
    assert len(ok.json()["data"]) == 30
    refused = await post(client, aliases(31))
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["message"] == "31 aliases found. Allowed: 30"


def many_ids(n: int) -> str:
    """`{ nodes(ids: [n IDs]) { __typename } }`: n + 12 tokens."""
    return "{ nodes(ids: [" + ' "Q29tcGFueTox"' * n + " ]) { __typename } }"


async def test_token_limit(client) -> None:  # type: ignore[no-untyped-def]
    at_limit = await post(client, many_ids(5000 - 12))
    # Parsed and executed: the resolver refuses that many IDs, a field error.
    assert at_limit.status_code == 200, at_limit.text[:300]
    assert at_limit.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    refused = await post(client, many_ids(5000 - 11))
    assert refused.status_code == 400
    body = refused.json()
    assert "data" not in body
    assert body["errors"][0]["message"].startswith(
        "Syntax Error: Document contains more than 5000 tokens."
    )


# --- query cost --------------------------------------------------------------------------------

COMPANY_CODES = "query ($n: Int) { companies(first: $n) { edges { node { code } } } }"


def cost_of(resp: httpx.Response) -> dict[str, int]:
    return resp.json()["extensions"]["cost"]  # type: ignore[no-any-return]


async def test_cost_is_reported_on_success(client, as_user) -> None:  # type: ignore[no-untyped-def]
    token = await as_user("acme")
    resp = await post(client, "{ companies(first: 10) { edges { node { code } } } }", token=token)
    assert resp.status_code == 200
    # connection 2 + 10 x (edges 1 + node 1 + code 0)
    assert cost_of(resp) == {"requestedQueryCost": 22, "maximumAvailable": 5000}
    me = await post(client, "{ me { __typename } }", token=token)
    assert cost_of(me) == {"requestedQueryCost": 1, "maximumAvailable": 5000}


async def test_cost_grows_with_first_literal_and_variable(client) -> None:  # type: ignore[no-untyped-def]
    costs = []
    for n in (1, 10, 50):
        literal = await post(client, COMPANY_CODES.replace("($n: Int) ", "").replace("$n", str(n)))
        variable = await post(client, COMPANY_CODES, {"n": n})
        assert cost_of(literal) == cost_of(variable)
        costs.append(cost_of(variable)["requestedQueryCost"])
    assert costs == [4, 22, 102]
    # Without `first` the default page size (20) counts.
    assert cost_of(await post(client, COMPANY_CODES))["requestedQueryCost"] == 42


async def test_query_over_the_maximum_is_refused_before_anything_runs(  # type: ignore[no-untyped-def]
    client, as_user, monkeypatch
) -> None:
    token = await as_user("acme")
    calls: list[object] = []
    real = account_queries.companies_query

    def spy(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(account_queries, "companies_query", spy)
    node = "users { company { users { company { permissionGroups { company { code } } } } } }"
    one = f"companies(first: 100) {{ edges {{ node {{ {node} }} }} }}"
    resp = await post(client, "{ " + " ".join(f"c{i}: {one}" for i in range(7)) + " }", token=token)
    assert resp.status_code == 400
    body = resp.json()
    assert "data" not in body
    [error] = body["errors"]
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert cost_of(resp)["requestedQueryCost"] > 5000
    assert calls == []
    # One of them alone is within budget and does run (so the spy can see calls).
    resp = await post(client, "{ " + one + " }", token=token)
    assert resp.status_code == 200, resp.text
    assert cost_of(resp)["requestedQueryCost"] <= 5000
    assert len(calls) == 1


async def test_mutation_over_the_maximum_is_refused_and_changes_nothing(  # type: ignore[no-untyped-def]
    client_with, engine: AsyncEngine
) -> None:
    small = await client_with(max_cost=1)
    mutation = """mutation { registrationRequestCreate(input: {
        companyName: "Initech", legalForm: COMPANY, contactName: "Peter",
        email: "peter@initech.example", password: "tps-reports-forever-42"
    }) { accepted errors { code } } }"""

    async def count() -> int:
        async with engine.connect() as conn:
            return int(
                (await conn.execute(text("SELECT count(*) FROM registration_request"))).scalar_one()
            )

    before = await count()
    resp = await post(small, mutation)
    assert resp.status_code == 400
    assert resp.json()["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert cost_of(resp) == {"requestedQueryCost": 2, "maximumAvailable": 1}
    assert await count() == before
    # Under the default budget the same mutation runs.
    big = await client_with()
    assert (await post(big, mutation)).status_code == 200
    assert await count() == before + 1


async def test_negative_first_does_not_buy_budget(client_with, as_user) -> None:  # type: ignore[no-untyped-def]
    small = await client_with(max_cost=100)
    token = await as_user("acme")
    expensive = "a: companies(first: 50) { edges { node { code } } }"  # 102
    resp = await post(small, "{ " + expensive + " }", token=token)
    assert resp.json()["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    # A negative page size must not lower the estimate of the rest of the operation.
    rebate = "b: companies(first: -50) { edges { node { code } } }"
    resp = await post(small, "{ " + expensive + " " + rebate + " }", token=token)
    assert resp.status_code == 400, resp.text
    assert resp.json()["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"


# --- production mode ---------------------------------------------------------------------------

INTROSPECTION = "{ __schema { queryType { name } } }"
TYPE_INTROSPECTION = '{ __type(name: "Company") { name } }'
TYPO = "{ companies { totalCont } }"
TYPO_MESSAGE = "Cannot query field 'totalCont' on type 'CompanyConnection'."


async def test_production_refuses_introspection(client_with) -> None:  # type: ignore[no-untyped-def]
    prod = await client_with(environment="production")
    for query in (INTROSPECTION, TYPE_INTROSPECTION):
        resp = await post(prod, query)
        assert resp.status_code == 400
        body = resp.json()
        assert "data" not in body
        assert "introspection has been disabled" in body["errors"][0]["message"]
    # __typename is not introspection of the schema.
    resp = await post(prod, "{ __typename }")
    assert resp.json()["data"] == {"__typename": "Query"}


async def test_development_allows_introspection(client) -> None:  # type: ignore[no-untyped-def]
    resp = await post(client, INTROSPECTION)
    assert resp.status_code == 200
    assert resp.json()["data"] == {"__schema": {"queryType": {"name": "Query"}}}
    resp = await post(client, TYPE_INTROSPECTION)
    assert resp.json()["data"] == {"__type": {"name": "Company"}}


async def test_production_serves_no_graphiql(client_with) -> None:  # type: ignore[no-untyped-def]
    prod = await client_with(environment="production")
    resp = await prod.get("/graphql", headers={"accept": "text/html"})
    assert resp.status_code == 404
    assert "graphiql" not in resp.text.lower()


async def test_production_drops_suggestions_but_keeps_messages(client_with) -> None:  # type: ignore[no-untyped-def]
    prod = await client_with(environment="production")
    cases = [
        (TYPO, None, TYPO_MESSAGE),
        (
            "{ companies(frist: 1) { totalCount } }",
            None,
            "Unknown argument 'frist' on field 'Query.companies'.",
        ),
        (
            "{ registrationRequests(status: PENDNG) { totalCount } }",
            None,
            "Value 'PENDNG' does not exist in 'RegistrationStatus' enum.",
        ),
        (
            "mutation ($i: TokenCreateInput!) { tokenCreate(input: $i) { accessToken } }",
            {"i": {"lgin": "acme", "password": "x"}},
            "Expected value of type 'TokenCreateInput' not to include unknown field 'lgin'.",
        ),
    ]
    for query, variables, message in cases:
        resp = await post(prod, query, variables)
        assert resp.status_code == 400, resp.text
        errors = resp.json()["errors"]
        assert any(message in e["message"] for e in errors), errors
        assert "Did you mean" not in resp.text


async def test_development_keeps_suggestions(client) -> None:  # type: ignore[no-untyped-def]
    resp = await post(client, TYPO)
    assert resp.json()["errors"][0]["message"] == TYPO_MESSAGE + " Did you mean 'totalCount'?"


def _explode(*args: Any, **kwargs: Any) -> Any:
    raise RuntimeError("connection string postgres://secret@db")


async def test_production_masks_unexpected_errors_with_the_request_id(  # type: ignore[no-untyped-def]
    client_with, as_user, monkeypatch, caplog
) -> None:
    prod = await client_with(environment="production")
    token = await as_user("acme")
    monkeypatch.setattr(account_queries, "companies_query", _explode)
    caplog.set_level(logging.ERROR)
    for sent in (None, "client-req-7"):
        headers = {"x-request-id": sent} if sent else {}
        resp = await post(prod, "{ companies { totalCount } }", token=token, **headers)
        assert resp.status_code == 200
        rid = resp.headers["x-request-id"]
        assert rid == (sent or rid)
        assert "secret" not in resp.text
        [error] = resp.json()["errors"]
        assert error["message"] == f"Unexpected error. Quote request id {rid} to the shop."
        assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "requestId": rid}
        assert error["path"] == ["companies"]
        # The log has the real error under the same id, so support can find it.
        logged = [
            r
            for r in caplog.records
            if rid in r.getMessage() and r.exc_info and "secret" in str(r.exc_info[1])
        ]
        assert logged, [r.getMessage() for r in caplog.records]


async def test_production_keeps_expected_errors_readable(client_with, as_user) -> None:  # type: ignore[no-untyped-def]
    prod = await client_with(environment="production")
    token = await as_user("acme")
    resp = await post(prod, "{ registrationRequests { totalCount } }", token=token)
    [error] = resp.json()["errors"]
    assert error["message"] == "Only the shop's staff may do this."
    assert error["extensions"] == {"code": "FORBIDDEN"}
    resp = await post(prod, "{ registrationRequests { totalCount } }")
    assert resp.json()["errors"][0]["message"].startswith("Authentication required")
    resp = await post(prod, "{ companies(first: 1000) { totalCount } }", token=token)
    [error] = resp.json()["errors"]
    assert error["message"] == "`first` must lie between 0 and 100."
    assert error["extensions"] == {"code": "BAD_USER_INPUT"}


async def test_development_shows_unexpected_errors(client, as_user, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    token = await as_user("acme")
    monkeypatch.setattr(account_queries, "companies_query", _explode)
    body = await gql(client, "{ companies { totalCount } }", token=token, expect_errors=True)
    assert body["errors"][0]["message"] == "connection string postgres://secret@db"
