"""Scalars that replace strawberry's own where those accept more than the domain can handle:
Decimal (finite and bounded) and Upload (a file, never a number or a string from JSON)."""

from __future__ import annotations

import decimal
from decimal import Decimal
from typing import Any

from graphql import GraphQLError, ValueNode
from strawberry.file_uploads import Upload
from strawberry.types.scalar import ScalarDefinition

# Amounts, percentages and millimetres: nothing the shop handles comes near these bounds, and a
# value past them (1e9999999, 40 digits after the point) only costs time and memory.
DECIMAL_MAX_ABS = Decimal("1e12")
DECIMAL_MAX_PLACES = 12
DECIMAL_MAX_TEXT = 40
_DECIMAL_RULE = (
    "a finite decimal number between -10^12 and 10^12 with at most "
    f'{DECIMAL_MAX_PLACES} decimal places, e.g. "12.5"'
)


def parse_decimal(value: Any) -> Decimal:
    """A Decimal within the bounds, or a GraphQLError with a short message (the value itself is
    echoed only when it is short)."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise GraphQLError(f"Decimal expects {_DECIMAL_RULE}.")
    text = str(value).strip()
    shown = f" (got {text!r})" if len(text) <= DECIMAL_MAX_TEXT else ""
    try:
        if len(text) > DECIMAL_MAX_TEXT:
            raise decimal.InvalidOperation
        number = Decimal(text)
    except (decimal.DecimalException, ValueError):
        raise GraphQLError(f"Decimal expects {_DECIMAL_RULE}{shown}.") from None
    exponent = number.as_tuple().exponent
    # The exponent first: arithmetic on 1e9999999 (even abs()) raises decimal.Overflow.
    if (
        not number.is_finite()
        or number.adjusted() > DECIMAL_MAX_ABS.adjusted()
        or abs(number) > DECIMAL_MAX_ABS
        or (isinstance(exponent, int) and exponent < -DECIMAL_MAX_PLACES)
    ):
        raise GraphQLError(f"Decimal expects {_DECIMAL_RULE}{shown}.")
    return number


def _parse_decimal_literal(node: ValueNode, variables: Any = None) -> Decimal:
    # String, Int and Float literals all hold their source text.
    raw = getattr(node, "value", None)
    if not isinstance(raw, str):
        raise GraphQLError(f"Decimal expects {_DECIMAL_RULE}.")
    return parse_decimal(raw)


DecimalScalar = ScalarDefinition(
    name="Decimal",
    description=f"Decimal (fixed-point): {_DECIMAL_RULE}; sent and answered as a string.",
    specified_by_url=None,
    serialize=str,
    parse_value=parse_decimal,
    parse_literal=_parse_decimal_literal,
    origin=Decimal,
)


def parse_upload(value: Any) -> Any:
    """A multipart file, as the GraphQL multipart request spec puts in place of the variable;
    strawberry's own scalar passes a number or a string sent in JSON on to the resolver."""
    if hasattr(value, "read") and hasattr(value, "filename"):
        return value
    raise GraphQLError(
        "Upload expects a file sent as a multipart request "
        "(https://github.com/jaydenseric/graphql-multipart-request-spec)."
    )


def _upload_literal(node: ValueNode, variables: Any = None) -> Any:
    raise GraphQLError("Upload expects a file sent as a multipart request, not a literal.")


UploadScalar = ScalarDefinition(
    name="Upload",
    description="A file sent in a multipart request (GraphQL multipart request spec).",
    specified_by_url=None,
    serialize=lambda value: None,
    parse_value=parse_upload,
    parse_literal=_upload_literal,
    origin=Upload,
)

SCALAR_OVERRIDES: dict[object, Any] = {Decimal: DecimalScalar, Upload: UploadScalar}
