"""Every root field is placed in a scope (or kept for people), and the gate reads the root
fields of an operation through fragments."""

from __future__ import annotations

from graphql import parse

from schema.key_scopes import ROOT_SCOPES, refused_fields, root_field_names
from server.schema import build_schema


def test_every_root_field_has_a_scope_or_is_for_people_only() -> None:
    schema = build_schema()._schema
    names: set[str] = set()
    for root in (schema.query_type, schema.mutation_type, schema.subscription_type):
        assert root is not None
        names |= set(root.fields)
    assert names - set(ROOT_SCOPES) == set(), "place new root fields in schema/key_scopes.py"
    assert set(ROOT_SCOPES) - names == set(), "stale entries in schema/key_scopes.py"


def test_root_fields_are_found_through_fragments_and_aliases() -> None:
    document = parse(
        "query Q { a: orders { totalCount } ...F ... on Query { me { id } } __typename } "
        "fragment F on Query { stockItems { totalCount } ...F }"
        " query Other { staffUsers { id } }"
    )
    assert sorted(root_field_names(document, "Q")) == ["me", "orders", "stockItems"]
    assert list(root_field_names(document, "Other")) == ["staffUsers"]
    assert refused_fields(["orders", "me", "stockItems"], frozenset({"READ_ORDERS"})) == [
        "me",
        "stockItems",
    ]
