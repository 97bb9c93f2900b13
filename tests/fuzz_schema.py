"""Hypothesis strategies for the arguments of any GraphQL field, generated from the schema's
own types: hostile text (NUL, unpaired surrogates, long strings), integers past 32 bits,
absurd decimals, malformed and well-formed global IDs of every node type, unknown enum values,
wrong types where a value is expected, nested JSON."""

from __future__ import annotations

import base64
from typing import Any

from graphql import (
    GraphQLArgument,
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLUnionType,
    get_named_type,
    is_leaf_type,
    print_type,
)
from hypothesis import strategies as st

HOSTILE_TEXT = st.sampled_from(
    [
        "",
        " ",
        "a\x00b",
        "\ud800",
        "x\udfffy",
        "%00",
        "' OR 1=1 --",
        "Robert'); DROP TABLE company;--",
        "../../etc/passwd",
        "\u202e\u0000",
        "é" * 300,
        "x" * 10_000,
        "NaN",
        "1e9999999",
        "{",
        "acme",
        "admin@shop.example",
        "leaflet",
        "main",
        "S235",
        "rectangle",
    ]
)
TEXT = st.one_of(HOSTILE_TEXT, st.text(max_size=40))
INTS = st.one_of(
    st.sampled_from([0, -1, 1, 2**31 - 1, 2**31, -(2**31) - 1, 2**63, 10**30]),
    st.integers(-1000, 1000),
)
FLOATS = st.one_of(st.floats(allow_nan=False, allow_infinity=False), st.sampled_from([1e308]))
DECIMALS = st.one_of(
    st.sampled_from(["NaN", "sNaN", "Infinity", "-0", "1e9999999", "0.1", "2", "1" * 60, "1e-40"]),
    st.integers(-(10**15), 10**15),
    FLOATS,
)
DATES = st.one_of(
    st.sampled_from(["2027-01-01", "0001-01-01", "9999-12-31", "2027-02-30", "yesterday"]),
    st.dates().map(str),
)
DATETIMES = st.one_of(
    st.sampled_from(["2027-01-01T00:00:00Z", "2027-13-01T00:00:00", "now"]),
    st.datetimes().map(lambda d: d.isoformat()),
)
JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), INTS, TEXT, FLOATS),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(TEXT, inner, max_size=4)),
    max_leaves=12,
)


def global_id(type_name: str, pk: Any) -> str:
    return base64.b64encode(f"{type_name}:{pk}".encode("utf-8", "surrogatepass")).decode()


class ArgumentStrategies:
    """Strategies for the variables of one field, by the schema's types."""

    def __init__(self, schema: GraphQLSchema, known_ids: list[str] | None = None) -> None:
        self.schema = schema
        node_types = [
            t.name
            for t in schema.type_map.values()
            if isinstance(t, GraphQLObjectType) and any(i.name == "Node" for i in t.interfaces)
        ]
        self.ids = st.one_of(
            st.builds(global_id, st.sampled_from(node_types), st.integers(0, 5)),
            st.builds(global_id, st.sampled_from(node_types), TEXT),
            st.sampled_from(known_ids or ["x"]),
            TEXT,
        )

    def value(self, type_: Any, depth: int = 0) -> st.SearchStrategy[Any]:
        if isinstance(type_, GraphQLNonNull):
            inner = self._nullable(type_.of_type, depth)
            # Rarely a null or a value of the wrong kind where one is required: each makes the
            # whole request invalid before any resolver runs.
            wrong = st.one_of(st.none(), INTS, TEXT)
            return st.integers(0, 99).flatmap(lambda k: wrong if k < 3 else inner)
        nullable = self._nullable(type_, depth)
        return st.one_of(st.none(), nullable, nullable, nullable)

    def _nullable(self, type_: Any, depth: int) -> st.SearchStrategy[Any]:
        if isinstance(type_, GraphQLList):
            return st.lists(self.value(type_.of_type, depth + 1), max_size=3 if depth < 2 else 1)
        if isinstance(type_, GraphQLEnumType):
            return st.one_of(st.sampled_from(list(type_.values)), st.just("NOT_A_VALUE"))
        if isinstance(type_, GraphQLInputObjectType):
            if depth > 3:
                return st.just({})
            fields = type_.fields
            required = {
                name: self.value(f.type, depth + 1)
                for name, f in fields.items()
                if isinstance(f.type, GraphQLNonNull)
            }
            optional = {
                name: self.value(f.type, depth + 1)
                for name, f in fields.items()
                if not isinstance(f.type, GraphQLNonNull)
            }
            return st.fixed_dictionaries(required, optional=optional)
        if isinstance(type_, GraphQLScalarType):
            return self._scalar(type_.name)
        return st.none()

    def _scalar(self, name: str) -> st.SearchStrategy[Any]:
        return {
            "String": TEXT,
            "ID": self.ids,
            "Int": INTS,
            "Float": FLOATS,
            "Boolean": st.booleans(),
            "Decimal": DECIMALS,
            "Date": DATES,
            "DateTime": DATETIMES,
            "JSON": JSON_VALUES,
            "Upload": st.none(),
        }.get(name, TEXT)

    def arguments(self, field: GraphQLField) -> st.SearchStrategy[dict[str, Any]]:
        args: dict[str, GraphQLArgument] = field.args
        required = {n: self.value(a.type) for n, a in args.items() if _required(a)}
        optional = {n: self.value(a.type) for n, a in args.items() if not _required(a)}
        return st.fixed_dictionaries(required, optional=optional)


def _required(arg: GraphQLArgument) -> bool:
    return isinstance(arg.type, GraphQLNonNull) and arg.default_value is None


def operation(schema: GraphQLSchema, kind: str, name: str, field: GraphQLField) -> str:
    """`query ($a: T!, ...) { name(a: $a, ...) { <selection> } }` for every argument."""
    params = ", ".join(f"${n}: {_type_ref(a.type)}" for n, a in field.args.items())
    call = ", ".join(f"{n}: ${n}" for n in field.args)
    head = f"{kind} ({params})" if params else kind
    field_call = f"{name}({call})" if call else name
    return f"{head} {{ {field_call}{selection(field.type, 0)} }}"


def _type_ref(type_: Any) -> str:
    if isinstance(type_, GraphQLNonNull):
        return _type_ref(type_.of_type) + "!"
    if isinstance(type_, GraphQLList):
        return f"[{_type_ref(type_.of_type)}]"
    return str(type_.name)


def selection(type_: Any, depth: int) -> str:
    """Every field without required arguments, two levels deep, and `__typename`."""
    named: GraphQLNamedType = get_named_type(type_)
    if is_leaf_type(named):
        return ""
    if isinstance(named, GraphQLUnionType):
        return " { __typename }"
    assert isinstance(named, GraphQLObjectType | GraphQLInterfaceType), print_type(named)
    parts = ["__typename"]
    for fname, f in named.fields.items():
        if any(_required(a) for a in f.args.values()):
            continue
        inner = get_named_type(f.type)
        if is_leaf_type(inner):
            parts.append(fname)
        elif depth < 1:
            parts.append(fname + selection(f.type, depth + 1))
    return " { " + " ".join(parts) + " }"
