"""Parsed and validated documents are cached per process (a performance change, see
bench/RESULTS.md): the cache must actually hit, and the limits must hold on every request."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

import schema.document_cache as document_cache
from server.schema import SchemaOptions, build_schema

# Valid but for its depth: seven levels under a limit of five.
DEEP = (
    "{ me { ... on PortalUser { company { users { company { users { company { code } } } } } } } }"
)


def run(schema, query: str):  # type: ignore[no-untyped-def]
    return asyncio.run(schema.execute(query))


@pytest.fixture
def validations(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every validation the document cache runs (parse + validate are its whole cost)."""
    seen: list[Any] = []
    real = document_cache.validate

    def counting(*args: Any) -> Any:
        seen.append(args[1])
        return real(*args)

    monkeypatch.setattr(document_cache, "validate", counting)
    return seen


def test_the_same_document_is_validated_once(validations: list[Any]) -> None:
    schema = build_schema(SchemaOptions(production=True, document_cache_size=64))
    query = "query DocumentCacheProbe { __typename }"
    for _ in range(4):
        assert run(schema, query).errors is None
    assert len(validations) == 1
    run(schema, "query Other { __typename }")
    assert len(validations) == 2


def test_limits_hold_on_cached_documents() -> None:
    schema = build_schema(SchemaOptions(production=True, max_depth=5, document_cache_size=64))
    for _ in range(2):
        result = run(schema, DEEP)
        assert result.errors and "exceeds maximum operation depth of 5" in result.errors[0].message
    aliases = "{ " + " ".join(f"a{i}: __typename" for i in range(31)) + " }"
    for _ in range(2):
        result = run(schema, aliases)
        assert result.errors and "aliases" in result.errors[0].message.lower()


def test_introspection_stays_off_in_production_when_cached() -> None:
    schema = build_schema(SchemaOptions(production=True, document_cache_size=64))
    for _ in range(2):
        result = run(schema, "{ __schema { queryType { name } } }")
        assert result.errors and "introspection" in result.errors[0].message.lower()


def test_the_cache_can_be_turned_off(validations: list[Any]) -> None:
    schema = build_schema(SchemaOptions(production=True, document_cache_size=0))
    for _ in range(2):
        assert run(schema, "query DocumentCacheOff { __typename }").errors is None
    assert len(validations) == 2


def test_the_token_limit_holds_and_syntax_errors_read_as_before() -> None:
    schema = build_schema(SchemaOptions(production=True, max_tokens=20, document_cache_size=64))
    long = "{ " + " ".join(f"a{i}: __typename" for i in range(12)) + " }"
    for _ in range(2):
        result = run(schema, long)
        assert result.errors and "tokens" in result.errors[0].message
    broken = run(schema, "{ me { ")
    assert broken.errors and "Syntax Error" in broken.errors[0].message
