"""CostCalculator on the real schema: scalars 0, objects 1, connections 2 + first x children."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import FragmentDefinitionNode, OperationDefinitionNode, parse

from schema.hardening import CostCalculator
from server.schema import build_schema

SCHEMA = build_schema()._schema


def cost(query: str, variables: dict[str, Any] | None = None, default_page_size: int = 20) -> int:
    doc = parse(query)
    fragments = {d.name.value: d for d in doc.definitions if isinstance(d, FragmentDefinitionNode)}
    [op] = [d for d in doc.definitions if isinstance(d, OperationDefinitionNode)]
    return CostCalculator(SCHEMA, fragments, variables or {}, default_page_size).operation(op)


def test_scalar_fields_cost_nothing() -> None:
    assert cost("{ __typename }") == 0
    assert cost("{ me { __typename } }") == cost(
        "{ me { __typename ... on PortalUser { login email fullName isActive rights } } }"
    )


def test_each_object_costs_one() -> None:
    assert cost("{ me { __typename } }") == 1
    assert cost("{ me { ... on PortalUser { company { code } } } }") == 2
    assert cost("{ me { ... on PortalUser { company { users { login } } } } }") == 3
    # A plain list (not a connection) costs one, whatever its length.
    assert cost("{ me { ... on PortalUser { company { users { company { code } } } } } }") == 4


def test_aliases_count_each_time() -> None:
    assert cost("{ a: me { __typename } b: me { __typename } c: me { __typename } }") == 3


@pytest.mark.parametrize(
    ("first", "expected"),
    [(0, 2), (1, 4), (10, 22), (100, 202)],
)
def test_connection_costs_two_plus_first_times_children(first: int, expected: int) -> None:
    # children: edges (1) + node (1) + code (0) = 2
    assert cost(f"{{ companies(first: {first}) {{ edges {{ node {{ code }} }} }} }}") == expected


def test_connection_with_only_scalars_counts_each_item_once() -> None:
    assert cost("{ companies(first: 10) { totalCount } }") == 2 + 10 * 1


def test_nested_lists_multiply_by_the_page() -> None:
    query = "{ companies(first: 10) { edges { node { users { company { code } } } } } }"
    # node: 1 + users (1 + company 1) = 3; edges: 1 + 3 = 4
    assert cost(query) == 2 + 10 * 4


def test_default_page_size_when_first_is_absent_or_null() -> None:
    query = "{ companies { edges { node { code } } } }"
    assert cost(query) == 2 + 20 * 2
    assert cost(query, default_page_size=5) == 2 + 5 * 2
    assert cost("{ companies(first: null) { edges { node { code } } } }") == 2 + 20 * 2


def test_first_from_variables() -> None:
    query = "query ($n: Int) { companies(first: $n) { edges { node { code } } } }"
    assert cost(query, {"n": 7}) == 2 + 7 * 2
    assert cost(query, {"n": 70}) == 2 + 70 * 2
    # Unset or null variable: the default page size.
    assert cost(query) == 2 + 20 * 2
    assert cost(query, {"n": None}) == 2 + 20 * 2


def test_negative_first_cannot_lower_the_estimate() -> None:
    query = "query ($n: Int) { a: companies(first: $n) { edges { node { code } } } }"
    assert cost(query, {"n": -1000}) == 2
    assert cost("{ a: companies(first: -1000) { edges { node { code } } } }") == 2


def test_named_fragments_cost_like_the_fields_they_hold() -> None:
    inline = "{ companies(first: 3) { edges { node { code users { login } } } } }"
    named = """{ companies(first: 3) { ...Page } }
    fragment Page on CompanyConnection { edges { node { ...C } } }
    fragment C on Company { code users { login } }"""
    assert cost(named) == cost(inline) == 2 + 3 * 3


def test_inline_fragments_use_their_type_condition() -> None:
    query = """{ me {
        ... on PortalUser { company { users { login } } }
        ... on StaffUser { email }
    } }"""
    assert cost(query) == 3
    # Without a type condition the fragment applies to the parent type.
    assert cost("{ companies(first: 2) { ... { edges { node { code } } } } }") == 2 + 2 * 2


def test_fragment_on_an_interface() -> None:
    query = "query ($id: ID!) { node(id: $id) { ... on Company { users { login } } } }"
    assert cost(query, {"id": "x"}) == 2


def test_recursive_fragment_spreads_do_not_loop() -> None:
    # Invalid documents (validation refuses cycles), but the estimate must still terminate.
    direct = """{ companies(first: 1) { edges { node { ...A } } } }
    fragment A on Company { users { company { ...A } } }"""
    assert cost(direct) == 2 + 1 * (1 + 1 + 2)
    mutual = """{ me { ... on PortalUser { ...U } } }
    fragment U on PortalUser { company { ...C } }
    fragment C on Company { users { ...U } }"""
    assert cost(mutual) == 1 + 1 + 1
    # The same fragment used twice side by side counts twice: only cycles are cut.
    twice = """{ me { ... on PortalUser { a: company { ...C } b: company { ...C } } } }
    fragment C on Company { code }"""
    assert cost(twice) == 3


def test_unknown_fragments_and_fields_cost_nothing() -> None:
    assert cost("{ me { ...Missing } }") == 1
    assert cost("{ nope { nothing } }") == 0


def test_mutations_are_estimated_from_the_mutation_root() -> None:
    query = """mutation { tokenCreate(input: {login: "a", password: "b"}) {
        accessToken errors { code } me { __typename } } }"""
    assert cost(query) == 1 + 1 + 1
