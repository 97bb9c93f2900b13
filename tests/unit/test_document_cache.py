"""Parsed and validated documents are cached per process (a performance change, see
bench/RESULTS.md): the cache must actually hit, and the limits must hold on every request."""

from __future__ import annotations

import asyncio

from strawberry.extensions.validation_cache import _get_validate_cache

from schema.build import SchemaOptions, build_schema

# Valid but for its depth: seven levels under a limit of five.
DEEP = (
    "{ me { ... on PortalUser { company { users { company { users { company { code } } } } } } } }"
)


def run(schema, query: str):  # type: ignore[no-untyped-def]
    return asyncio.run(schema.execute(query))


def test_the_same_document_is_validated_once() -> None:
    schema = build_schema(SchemaOptions(production=True, document_cache_size=64))
    cache = _get_validate_cache(64)
    query = "query DocumentCacheProbe { __typename }"
    run(schema, query)
    before = cache.cache_info()
    for _ in range(3):
        assert run(schema, query).errors is None
    after = cache.cache_info()
    # Stable rule classes: a per-request limiter instance would make every lookup a miss.
    assert after.hits - before.hits == 3
    assert after.misses == before.misses


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


def test_the_cache_can_be_turned_off() -> None:
    schema = build_schema(SchemaOptions(production=True, document_cache_size=0))
    cache = _get_validate_cache(64)
    before = cache.cache_info()
    run(schema, "query DocumentCacheOff { __typename }")
    assert cache.cache_info() == before
