"""The committed SDL must match the code: `make schema` regenerates it."""

from __future__ import annotations

from pathlib import Path

from server.schema import SchemaOptions, build_schema

SDL = Path(__file__).resolve().parents[2] / "schema" / "schema.graphql"


def test_committed_schema_matches_code() -> None:
    printed = str(build_schema()).rstrip() + "\n"
    assert SDL.read_text() == printed, "schema/schema.graphql is stale: run `make schema`"


def test_production_schema_has_the_same_types() -> None:
    # Production only adds validation rules and error masking, never other types or fields.
    assert str(build_schema(SchemaOptions(production=True))) == str(build_schema())


def test_every_mutation_says_what_it_requires() -> None:
    schema = build_schema()
    mutation = schema._schema.mutation_type
    assert mutation is not None
    for name, field in mutation.fields.items():
        text = field.description or ""
        assert "Requires" in text or "Open to" in text, f"{name} does not state its right"
