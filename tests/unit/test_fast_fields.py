"""Plain leaf fields answered without graphql-core's per-field machinery must answer exactly as
the normal path does: values, enums, custom scalars, nulls, errors and their paths."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import strawberry
from graphql import execute, parse

from schema.fast_fields import FastLeafExecutor


@strawberry.enum
class Colour(enum.Enum):
    CMYK = "cmyk"
    BLACK = "black"


def _shout(value: str) -> str:
    return value.upper()


@strawberry.type
class Line:
    code: str
    amount: int
    colour: Colour
    at: dt.datetime
    note: str | None = None
    required: str = "x"

    @strawberry.field
    def label(self) -> str:
        return f"label {self.code}"

    @strawberry.field
    def shouted(self, prefix: str = "") -> str:
        return prefix + _shout(self.code)


LINES = [
    Line(code="a", amount=1, colour=Colour.CMYK, at=dt.datetime(2026, 11, 23, tzinfo=dt.UTC)),
    Line(code="b", amount=2, colour=Colour.BLACK, at=dt.datetime(2026, 11, 24, tzinfo=dt.UTC)),
]
BROKEN: list[Any] = [
    Line(code="c", amount=3, colour=Colour.CMYK, at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)),
    # Wrong types a resolver bug could produce: the normal path's errors must come out.
    Line(code="d", amount="many", colour="purple", at="never"),  # type: ignore[arg-type]
]
BROKEN[1].required = None


@strawberry.type
class Query:
    @strawberry.field
    def lines(self) -> list[Line]:
        return LINES

    @strawberry.field
    def broken(self) -> list[Line]:
        return BROKEN


DOCUMENT = """
query($skip: Boolean!) {
  lines {
    code amount colour at note label shouted(prefix: "> ")
    alias: code
    ... on Line { amount }
    skipped: code @skip(if: $skip)
    __typename
  }
}
"""
BROKEN_DOCUMENT = "{ broken { code amount colour at required } }"


def _both(document: str, variables: dict[str, Any] | None = None) -> tuple[Any, Any]:
    plain = strawberry.Schema(query=Query)
    fast = strawberry.Schema(query=Query, execution_context_class=FastLeafExecutor)
    doc = parse(document)
    normal = execute(plain._schema, doc, variable_values=variables)
    quick = execute(fast._schema, doc, variable_values=variables, executor_class=FastLeafExecutor)
    return normal, quick


def test_plain_leaves_answer_like_the_normal_path() -> None:
    for skip in (True, False):
        normal, quick = _both(DOCUMENT, {"skip": skip})
        assert normal.errors is None and quick.errors is None
        assert quick.data == normal.data
    assert quick.data["lines"][0]["colour"] == "CMYK"
    assert quick.data["lines"][0]["at"] == "2026-11-23T00:00:00+00:00"


def test_bad_values_fail_like_the_normal_path() -> None:
    normal, quick = _both(BROKEN_DOCUMENT)
    assert quick.data == normal.data
    assert normal.errors
    assert [(e.message, e.path) for e in quick.errors or ()] == [
        (e.message, e.path) for e in normal.errors
    ]


def test_the_fast_path_is_taken_for_plain_leaves_only() -> None:
    from schema import fast_fields

    fast_fields._PLANS.clear()
    _both(DOCUMENT, {"skip": False})
    plain = {
        name: plan is not fast_fields._NOT_PLAIN
        for (parent, name), plan in fast_fields._PLANS.items()
        if parent.name == "Line"
    }
    assert all(plain[n] for n in ("code", "amount", "colour", "at", "note"))
    assert plain["label"] is False  # a resolver: the normal path
    assert plain.get("shouted", False) is False  # arguments: never planned
