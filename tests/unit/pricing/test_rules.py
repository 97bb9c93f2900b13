"""Rule documents: every validation code, with the path of the offending field."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from domain.pricing import rules
from domain.pricing.context import PriceContext
from domain.pricing.demo_products import LEAFLET_SPEC
from domain.pricing.engine import compile_pricing, evaluate
from domain.pricing.errors import PricingErrorCode as P
from domain.pricing.spec import ProductSpec
from domain.shared.errors import DomainError

SPEC = ProductSpec.from_json(
    {
        "parameters": [
            {
                "key": "size",
                "label": "Size",
                "kind": "enum",
                "default": "a5",
                "options": [{"key": k, "label": k.upper()} for k in ("a6", "a5", "a4")],
            },
            {
                "key": "colour",
                "label": "Colour",
                "kind": "enum",
                "options": [{"key": "cmyk", "label": "CMYK"}, {"key": "black", "label": "Black"}],
            },
            {
                "key": "pages",
                "label": "Pages",
                "kind": "integer",
                "min": "1",
                "max": "2",
                "default": 2,
            },
            {"key": "width", "label": "Width", "kind": "decimal", "min": "0", "max": "1000"},
            {
                "key": "gap",
                "label": "Gap",
                "kind": "decimal",
                "min": "0",
                "max": "10",
                "default": "1",
            },
            {
                "key": "ups",
                "label": "Ups",
                "kind": "integer",
                "min": "1",
                "max": "64",
                "default": 8,
            },
            {"key": "corners", "label": "Corners", "kind": "boolean"},
            {"key": "notes", "label": "Notes", "kind": "text"},
        ]
    }
)
SHEETS = {"ceil": {"div": ["quantity", 4]}}
BASE: dict[str, Any] = {
    "currency": "EUR",
    "vat_rate_percent": "19",
    "components": [
        {"type": "setup", "code": "setup", "label": "Setup", "amount": "10"},
        {
            "type": "per_sheet",
            "code": "paper",
            "label": "Paper",
            "amount": "0.05",
            "sheets": SHEETS,
        },
    ],
}


def doc(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    data.update(changes)
    return data


def amount(expr: object) -> dict[str, Any]:
    """The base document with the setup amount replaced by ``expr`` (path ...,"0","amount")."""
    data = doc()
    data["components"][0]["amount"] = expr
    return data


def sheets(expr: object) -> dict[str, Any]:
    data = doc()
    data["components"][1]["sheets"] = expr
    return data


def component(index: int, **changes: Any) -> dict[str, Any]:
    data = doc()
    data["components"][index].update(changes)
    return data


def without(index: int, name: str) -> dict[str, Any]:
    data = doc()
    del data["components"][index][name]
    return data


def rule_errors(data: object) -> list[tuple[P, tuple[str, ...] | None]]:
    with pytest.raises(DomainError) as caught:
        compile_pricing(SPEC, data)  # type: ignore[arg-type]
    return [(d.code, d.field) for d in caught.value.details]


A = ("rules", "components", "0", "amount")
S = ("rules", "components", "1", "sheets")
LOOKUP_A4_MISSING = {"lookup": {"param": "size", "table": {"a6": 1, "a5": 2}}}

CASES: list[tuple[P, object, tuple[str, ...]]] = [
    (P.INVALID_RULES, [], ("rules",)),
    (P.INVALID_RULES, doc(extra=1), ("rules", "extra")),
    (P.INVALID_RULES, doc(components=[]), ("rules", "components")),
    (P.INVALID_CURRENCY, doc(currency="eur"), ("rules", "currency")),
    (P.INVALID_VAT_RATE, doc(vat_rate_percent="119"), ("rules", "vat_rate_percent")),
    (P.INVALID_MINIMUM, doc(minimum_net="25.001"), ("rules", "minimum_net")),
    (P.INVALID_MINIMUM, doc(minimum_net="-1"), ("rules", "minimum_net")),
    (
        P.INVALID_QUANTITY_BREAKS,
        doc(quantity_breaks=[{"min_quantity": 2, "factor": "1"}]),
        ("rules", "quantity_breaks", "0", "min_quantity"),
    ),
    (
        P.INVALID_QUANTITY_BREAKS,
        doc(
            quantity_breaks=[
                {"min_quantity": 1, "factor": "1"},
                {"min_quantity": 100, "factor": "1.1"},
            ]
        ),
        ("rules", "quantity_breaks", "1", "factor"),
    ),
    (
        P.INVALID_QUANTITY_BREAKS,
        doc(
            quantity_breaks=[
                {"min_quantity": 1, "factor": "1"},
                {"min_quantity": 100, "factor": "0.9"},
                {"min_quantity": 100, "factor": "0.8"},
            ]
        ),
        ("rules", "quantity_breaks", "2", "min_quantity"),
    ),
    (
        P.INVALID_QUANTITY_BREAKS,
        doc(quantity_breaks=[{"min_quantity": 1, "factor": "0"}]),
        ("rules", "quantity_breaks", "0", "factor"),
    ),
    (
        P.INVALID_COMPONENT,
        doc(components=[{"type": "per_litre", "code": "x", "label": "X"}]),
        ("rules", "components", "0"),
    ),
    (P.INVALID_COMPONENT, without(1, "sheets"), ("rules", "components", "1", "sheets")),
    (P.INVALID_COMPONENT, component(0, code="Setup!"), ("rules", "components", "0", "code")),
    (P.INVALID_COMPONENT, component(0, colour="red"), ("rules", "components", "0", "colour")),
    (P.DUPLICATE_CODE, component(1, code="setup"), ("rules", "components", "1", "code")),
    (P.INVALID_LABEL, component(1, label="Paper {colours}"), ("rules", "components", "1", "label")),
    (P.INVALID_LABEL, component(0, label="Setup {count}"), ("rules", "components", "0", "label")),
    (P.INVALID_LABEL, component(0, label="Setup {notes}"), ("rules", "components", "0", "label")),
    (P.INVALID_LABEL, component(0, label="Setup {"), ("rules", "components", "0", "label")),
    (P.INVALID_DERIVED, doc(derived={"size": 1}), ("rules", "derived", "size")),
    (P.INVALID_DERIVED, doc(derived=[1]), ("rules", "derived")),
    (P.INVALID_EXPRESSION, amount({"pow": [2, 3]}), (*A, "pow")),
    (P.INVALID_EXPRESSION, amount({"add": [1]}), (*A, "add")),
    (P.INVALID_EXPRESSION, amount({"add": [1, 2], "mul": [1, 2]}), A),
    (
        P.INVALID_EXPRESSION,
        amount({"lookup": {"param": "size", "table": {"a6": 1}, "x": 1}}),
        (*A, "lookup", "x"),
    ),
    (P.INVALID_NUMBER, amount(0.5), A),
    (P.INVALID_NUMBER, amount("ten"), A),
    (P.INVALID_NUMBER, amount(True), A),
    (P.UNKNOWN_PARAMETER, amount({"param": "nope"}), (*A, "param")),
    (
        P.UNKNOWN_PARAMETER,
        doc(components=[{"type": "option_surcharge", "param": "nope", "options": {}}]),
        ("rules", "components", "0", "param"),
    ),
    (P.WRONG_PARAMETER_KIND, amount({"param": "size"}), (*A, "param")),
    (
        P.WRONG_PARAMETER_KIND,
        amount({"lookup": {"param": "pages", "table": {"1": 1}}}),
        (*A, "lookup", "param"),
    ),
    (
        P.WRONG_PARAMETER_KIND,
        amount({"if_true": {"param": "size", "then": 1, "else": 2}}),
        (*A, "if_true", "param"),
    ),
    (P.PARAMETER_MAY_BE_MISSING, amount({"param": "width"}), (*A, "param")),
    (
        P.PARAMETER_MAY_BE_MISSING,
        amount({"lookup": {"param": "colour", "table": {"cmyk": 1, "black": 2}}}),
        (*A, "lookup", "param"),
    ),
    (
        P.UNKNOWN_OPTION,
        amount({"lookup": {"param": "size", "table": {"a3": 1}, "default": 1}}),
        (*A, "lookup", "table", "a3"),
    ),
    (
        P.UNKNOWN_OPTION,
        amount({"if_option": {"param": "size", "option": "a3", "then": 1, "else": 2}}),
        (*A, "if_option", "option"),
    ),
    (
        P.UNKNOWN_OPTION,
        doc(
            components=[
                {"type": "option_surcharge", "param": "corners", "options": {"yes": {"setup": 1}}}
            ]
        ),
        ("rules", "components", "0", "options", "yes"),
    ),
    (P.MISSING_OPTION, amount(LOOKUP_A4_MISSING), (*A, "lookup", "table")),
    (P.UNKNOWN_REFERENCE, sheets({"ref": "sheets"}), (*S, "ref")),
    (P.DIVISION_BY_ZERO, sheets({"ceil": {"div": ["quantity", 0]}}), (*S, "ceil", "div", "1")),
    (
        P.DIVISION_BY_ZERO,
        sheets({"ceil": {"div": ["quantity", 4, {"sub": [2, 2]}]}}),
        (*S, "ceil", "div", "2"),
    ),
    (
        P.DIVISOR_MAY_BE_ZERO,
        sheets({"ceil": {"div": ["quantity", {"param": "gap"}]}}),
        (*S, "ceil", "div", "1"),
    ),
    (
        P.DIVISOR_MAY_BE_ZERO,
        sheets({"ceil": {"div": ["quantity", {"sub": [{"param": "ups"}, 1]}]}}),
        (*S, "ceil", "div", "1"),
    ),
    (P.NOT_MONOTONE, amount({"sub": [100, "quantity"]}), ("rules", "components", "0")),
    (P.NOT_MONOTONE, sheets({"div": [1000, "quantity"]}), ("rules", "components", "1")),
    (P.NOT_MONOTONE, component(1, amount="-0.05"), ("rules", "components", "1")),
]


@pytest.mark.parametrize(("code", "data", "path"), CASES)
def test_rule_errors_name_code_and_path(code: P, data: object, path: tuple[str, ...]) -> None:
    assert (code, path) in rule_errors(data)


def test_depth_limit() -> None:
    nested: object = "quantity"
    for _ in range(30):
        nested = {"ceil": nested}
    errors = rule_errors(sheets(nested))
    assert [code for code, _ in errors] == [P.TOO_DEEP]
    assert errors[0][1] is not None and errors[0][1][:4] == S and len(errors[0][1]) == 4 + 25


def test_node_limit() -> None:
    derived = {f"d{i}": {"add": [1] * 50} for i in range(45)}
    assert (P.TOO_COMPLEX, ("rules", "derived", "d39", "add", "10")) in rule_errors(
        doc(derived=derived)
    )


# Codes of the rule compiler and the engine (other pricing services add theirs to the enum).
ENGINE_CODES = {
    P.INVALID_RULES,
    P.INVALID_CURRENCY,
    P.INVALID_VAT_RATE,
    P.INVALID_MINIMUM,
    P.INVALID_QUANTITY_BREAKS,
    P.INVALID_COMPONENT,
    P.DUPLICATE_CODE,
    P.INVALID_LABEL,
    P.INVALID_DERIVED,
    P.INVALID_EXPRESSION,
    P.INVALID_NUMBER,
    P.UNKNOWN_PARAMETER,
    P.WRONG_PARAMETER_KIND,
    P.PARAMETER_MAY_BE_MISSING,
    P.UNKNOWN_OPTION,
    P.MISSING_OPTION,
    P.UNKNOWN_REFERENCE,
    P.DIVISION_BY_ZERO,
    P.DIVISOR_MAY_BE_ZERO,
    P.TOO_DEEP,
    P.TOO_COMPLEX,
    P.NOT_MONOTONE,
    P.INVALID_QUANTITY,
    P.CURRENCY_MISMATCH,
    P.EVALUATION_FAILED,
}


def test_every_engine_code_is_tested() -> None:
    runtime = {P.INVALID_QUANTITY, P.CURRENCY_MISMATCH, P.EVALUATION_FAILED}  # test_engine.py
    tested = {code for code, *_ in CASES} | {P.TOO_DEEP, P.TOO_COMPLEX}
    assert tested | runtime == ENGINE_CODES
    assert all(code.value == code.name for code in P)


def test_all_problems_are_reported_at_once() -> None:
    data = doc(currency="euro", vat_rate_percent=19.0)
    data["components"][0]["amount"] = {"param": "nope"}
    data["components"][1]["sheets"] = {"div": ["quantity", 0]}
    codes = [code for code, _ in rule_errors(data)]
    assert codes == [
        P.INVALID_CURRENCY,
        P.INVALID_NUMBER,
        P.INVALID_VAT_RATE,
        P.UNKNOWN_PARAMETER,
        P.DIVISION_BY_ZERO,
    ]


def test_a_broken_derived_value_is_reported_once() -> None:
    data = doc(derived={"sheets": {"ceil": {"div": ["quantity", {"param": "nope"}]}}})
    data["components"][1]["sheets"] = {"ref": "sheets"}
    assert rule_errors(data) == [
        (P.UNKNOWN_PARAMETER, ("rules", "derived", "sheets", "ceil", "div", "1", "param"))
    ]


def test_the_analysis_accepts_what_it_can_prove() -> None:
    """Divisors with a positive range, subtractions that stay positive, if/lookup choices."""
    data = doc(
        derived={
            "sheets": {
                "ceil": {"div": [{"mul": ["quantity", {"param": "pages"}]}, {"param": "ups"}]}
            },
            "margin": {"sub": [{"param": "gap"}, -5]},
        },
        minimum_net="9.99",
    )
    data["components"].append(
        {
            "type": "formula",
            "code": "extra",
            "label": "Extra {sheets}",
            "amount": {
                "mul": [
                    {"ref": "margin"},
                    {"ref": "sheets"},
                    {"if_true": {"param": "corners", "then": "0.02", "else": "0.01"}},
                ]
            },
        }
    )
    compiled = compile_pricing(SPEC, data)
    result = evaluate(compiled, {"ups": 4, "gap": "2"}, 100, PriceContext())
    assert result.valid
    # sheets = ceil(100 * 2 / 4) = 50; extra = (2 + 5) * 50 * 0.01 = 3.50
    assert [(line.code, line.label, line.amount.amount) for line in result.lines][-1] == (
        "extra",
        "Extra 50",
        350,
    )


def test_degressive_rates_are_refused_use_quantity_breaks() -> None:
    """The analysis is conservative: a falling per-piece rate times the quantity is not provably
    rising, so shops express volume discounts through quantity breaks."""
    rate = {"max": ["0.05", {"sub": ["0.10", {"mul": ["quantity", "0.0001"]}]}]}
    data = doc(
        components=[{"type": "per_unit", "code": "pieces", "label": "Pieces", "amount": rate}]
    )
    assert rule_errors(data) == [(P.NOT_MONOTONE, ("rules", "components", "0"))]


def test_the_documented_leaflet_example_compiles_and_prices() -> None:
    doc_text = rules.__doc__ or ""
    example = json.loads(doc_text[doc_text.index('    {\n      "currency"') :])
    compiled = compile_pricing(ProductSpec.from_json(LEAFLET_SPEC), example)
    result = evaluate(compiled, {"size": "a5"}, 1000, PriceContext())
    assert result.net is not None and result.net.amount == 6619  # as the demo leaflet
