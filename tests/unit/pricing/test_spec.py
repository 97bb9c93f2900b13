"""Product specification: definition validation (with field paths) and configuration checks."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from domain.catalog.errors import CatalogErrorCode as C
from domain.pricing.demo_products import DEMO_PRODUCTS
from domain.pricing.spec import ProductSpec
from domain.shared.errors import DomainError


def enum(key: str, *options: str, **extra: Any) -> dict[str, Any]:
    return {
        "key": key,
        "label": key.title(),
        "kind": "enum",
        "options": [{"key": o, "label": o.upper()} for o in options],
        **extra,
    }


def spec_json(*parameters: dict[str, Any], rules: list[Any] | None = None) -> dict[str, Any]:
    return {"parameters": list(parameters), "rules": rules or []}


BASE: list[dict[str, Any]] = [
    enum("paper", "90", "135", "170", default="135"),
    enum("finish", "none", "gloss", "matt", default="none"),
    {
        "key": "pages",
        "label": "Pages",
        "kind": "integer",
        "min": "4",
        "max": "32",
        "step": "4",
        "unit": "pages",
        "required": True,
    },
    {
        "key": "width",
        "label": "Width",
        "kind": "decimal",
        "min": "50",
        "max": "500",
        "step": "0.5",
        "unit": "mm",
        "default": "210",
    },
    {"key": "corners", "label": "Rounded corners", "kind": "boolean"},
    {"key": "notes", "label": "Notes", "kind": "text", "max_length": 10},
]
RULES: list[dict[str, Any]] = [
    {
        "type": "excludes",
        "when": {"param": "paper", "option": "90"},
        "param": "finish",
        "options": ["gloss", "matt"],
    },
    {
        "type": "range_when",
        "when": {"param": "finish", "option": "gloss"},
        "param": "pages",
        "max": "16",
    },
]


@pytest.fixture()
def spec() -> ProductSpec:
    return ProductSpec.from_json(spec_json(*BASE, rules=RULES))


def definition_errors(data: object) -> list[tuple[C, tuple[str, ...] | None]]:
    with pytest.raises(DomainError) as caught:
        ProductSpec.from_json(data)
    return [(d.code, d.field) for d in caught.value.details]


# One broken definition per definition code, with the path the admin UI highlights.
DEFINITION_CASES: list[tuple[C, object, tuple[str, ...] | None]] = [
    (C.INVALID_SPEC, [], None),
    (C.INVALID_SPEC, {"parameters": []}, ("parameters",)),
    (
        C.INVALID_PARAMETER,
        spec_json({"key": "Paper", "label": "P", "kind": "text"}),
        ("parameters", "0", "key"),
    ),
    (
        C.INVALID_PARAMETER,
        spec_json({"key": "p", "lable": "P", "kind": "text"}),
        ("parameters", "0", "lable"),
    ),
    (
        C.INVALID_PARAMETER,
        spec_json({"key": "p", "label": "P", "kind": "colour"}),
        ("parameters", "0", "kind"),
    ),
    (
        C.DUPLICATE_PARAMETER,
        spec_json(enum("a", "x"), enum("b", "x"), enum("a", "y")),
        ("parameters", "2", "key"),
    ),
    (
        C.INVALID_OPTION,
        spec_json(enum("a", "x"), enum("b", "x"), enum("c")),
        ("parameters", "2", "options"),
    ),
    (
        C.INVALID_OPTION,
        spec_json({**BASE[2], "options": [{"key": "x", "label": "X"}]}),
        ("parameters", "0", "options"),
    ),
    (
        C.DUPLICATE_OPTION,
        spec_json(enum("a", "x", "y", "x")),
        ("parameters", "0", "options", "2", "key"),
    ),
    (C.INVALID_RANGE, spec_json({**BASE[2], "min": "40"}), ("parameters", "0", "min")),
    (C.INVALID_RANGE, spec_json({**BASE[2], "step": "0"}), ("parameters", "0", "step")),
    (C.INVALID_RANGE, spec_json({**BASE[2], "max": "7.5"}), ("parameters", "0", "max")),
    (C.INVALID_RANGE, spec_json({**BASE[0], "max_length": 5}), ("parameters", "0", "max_length")),
    (C.INVALID_DEFAULT, spec_json({**BASE[0], "default": "300"}), ("parameters", "0", "default")),
    (C.INVALID_DEFAULT, spec_json({**BASE[3], "default": "501"}), ("parameters", "0", "default")),
    (
        C.INVALID_RULE,
        spec_json(*BASE, rules=[{**RULES[0], "param": "nope"}]),
        ("rules", "0", "param"),
    ),
    (
        C.INVALID_RULE,
        spec_json(*BASE, rules=[{**RULES[0], "when": {"param": "paper", "option": "80"}}]),
        ("rules", "0", "when", "option"),
    ),
    (
        C.INVALID_RULE,
        spec_json(*BASE, rules=[{**RULES[1], "param": "paper"}]),
        ("rules", "0", "param"),
    ),
    (
        C.INVALID_RULE,
        spec_json(*BASE, rules=[{**RULES[0], "param": "paper"}]),
        ("rules", "0", "param"),
    ),
]


@pytest.mark.parametrize(("code", "data", "path"), DEFINITION_CASES)
def test_bad_definitions_name_code_and_path(
    code: C, data: object, path: tuple[str, ...] | None
) -> None:
    assert (code, path) in definition_errors(data)


def test_definition_problems_are_all_collected() -> None:
    data = spec_json(
        {"key": "Bad", "label": "", "kind": "text"},
        enum("a", "x", "x"),
        {**BASE[3], "min": "600"},
    )
    codes = [code for code, _ in definition_errors(data)]
    assert codes.count(C.INVALID_PARAMETER) == 2
    assert C.DUPLICATE_OPTION in codes and C.INVALID_RANGE in codes


def test_floats_are_refused_in_definitions() -> None:
    assert (C.INVALID_RANGE, ("parameters", "0", "min")) in definition_errors(
        spec_json({**BASE[3], "min": 50.5})
    )


@pytest.mark.parametrize("name", sorted(DEMO_PRODUCTS))
def test_json_round_trip(name: str) -> None:
    spec = ProductSpec.from_json(DEMO_PRODUCTS[name]["spec"])
    again = ProductSpec.from_json(spec.to_json())
    assert again == spec
    assert again.to_json() == spec.to_json()


def test_round_trip_keeps_limits_defaults_and_rules(spec: ProductSpec) -> None:
    data = spec.to_json()
    width = data["parameters"][3]
    assert width == {
        "key": "width",
        "label": "Width",
        "kind": "decimal",
        "min": "50",
        "max": "500",
        "step": "0.5",
        "unit": "mm",
        "default": "210",
    }
    assert data["rules"][1] == {
        "type": "range_when",
        "when": {"param": "finish", "option": "gloss"},
        "param": "pages",
        "max": "16",
    }


def test_check_normalises_and_fills_defaults(spec: ProductSpec) -> None:
    check = spec.check({"pages": "8", "width": 148.5, "notes": "hello"})
    assert check.valid
    assert check.values == {
        "paper": "135",
        "finish": "none",
        "pages": 8,
        "width": Decimal("148.5"),
        "corners": False,
        "notes": "hello",
    }
    assert type(check.values["pages"]) is int
    assert spec.check({"pages": Decimal("12"), "width": "200.0"}).values["pages"] == 12


# One bad configuration per configuration code.
CONFIGURATION_CASES: list[tuple[C, dict[str, object], str]] = [
    (C.UNKNOWN_PARAMETER, {"pages": 8, "colour": "red"}, "colour"),
    (C.REQUIRED, {}, "pages"),
    (C.INVALID_VALUE, {"pages": "eight"}, "pages"),
    (C.INVALID_VALUE, {"pages": 8.5}, "pages"),
    (C.INVALID_VALUE, {"pages": True}, "pages"),
    (C.INVALID_VALUE, {"pages": 8, "paper": 135}, "paper"),
    (C.INVALID_VALUE, {"pages": 8, "corners": "yes"}, "corners"),
    (C.INVALID_VALUE, {"pages": 8, "width": "NaN"}, "width"),
    (C.INVALID_VALUE, {"pages": 8, "width": "1e400"}, "width"),
    (C.UNKNOWN_OPTION, {"pages": 8, "paper": "300"}, "paper"),
    (C.BELOW_MINIMUM, {"pages": 0}, "pages"),
    (C.ABOVE_MAXIMUM, {"pages": 36}, "pages"),
    (C.OFF_STEP, {"pages": 6}, "pages"),
    (C.OFF_STEP, {"pages": 8, "width": "100.25"}, "width"),
    (C.TOO_LONG, {"pages": 8, "notes": "x" * 11}, "notes"),
    (C.OPTION_UNAVAILABLE, {"pages": 8, "paper": "90", "finish": "matt"}, "finish"),
    (C.OUT_OF_RANGE, {"pages": 20, "finish": "gloss"}, "pages"),
]


@pytest.mark.parametrize(("code", "values", "key"), CONFIGURATION_CASES)
def test_configuration_problems(
    spec: ProductSpec, code: C, values: dict[str, object], key: str
) -> None:
    check = spec.check(values)
    assert not check.valid
    assert [(e.code, e.field) for e in check.errors] == [(code, ("configuration", key))]
    assert check.errors[0].message


# The codes the specification layer emits (catalog services add their own to the same enum).
SPEC_CODES = {
    C.INVALID_SPEC,
    C.INVALID_PARAMETER,
    C.DUPLICATE_PARAMETER,
    C.INVALID_OPTION,
    C.DUPLICATE_OPTION,
    C.INVALID_RANGE,
    C.INVALID_DEFAULT,
    C.INVALID_RULE,
    C.UNKNOWN_PARAMETER,
    C.REQUIRED,
    C.INVALID_VALUE,
    C.UNKNOWN_OPTION,
    C.BELOW_MINIMUM,
    C.ABOVE_MAXIMUM,
    C.OFF_STEP,
    C.TOO_LONG,
    C.OPTION_UNAVAILABLE,
    C.OUT_OF_RANGE,
}


def test_every_spec_code_is_tested() -> None:
    tested = {code for code, *_ in DEFINITION_CASES} | {code for code, *_ in CONFIGURATION_CASES}
    assert tested == SPEC_CODES
    assert all(code.value == code.name for code in C)


def test_check_collects_every_problem(spec: ProductSpec) -> None:
    check = spec.check({"paper": "90", "finish": "gloss", "pages": 6, "width": 10, "x": 1})
    assert [(e.code, e.field[-1] if e.field else None) for e in check.errors] == [
        (C.UNKNOWN_PARAMETER, "x"),
        (C.OFF_STEP, "pages"),
        (C.BELOW_MINIMUM, "width"),
        (C.OPTION_UNAVAILABLE, "finish"),
    ]
    # Readable values are still returned, so a configurator keeps what the customer chose.
    assert check.values["paper"] == "90"
    assert "pages" not in check.values


def test_range_rule_messages_use_units(spec: ProductSpec) -> None:
    (error,) = spec.check({"pages": 20, "finish": "gloss"}).errors
    assert error.message == "Pages: must be at most 16 pages with Finish 'GLOSS'."


def test_available_options_follow_rules_both_ways(spec: ProductSpec) -> None:
    assert spec.available_options({"pages": 8}) == {
        "paper": ("90", "135", "170"),
        "finish": ("none", "gloss", "matt"),
    }
    assert spec.available_options({"pages": 8, "paper": "90"})["finish"] == ("none",)
    assert spec.available_options({"pages": 8, "finish": "matt"})["paper"] == ("135", "170")
    # With 20 pages, gloss would break the range rule.
    assert spec.available_options({"pages": 20})["finish"] == ("none", "matt")


def test_demo_rules_hold() -> None:
    cards = ProductSpec.from_json(DEMO_PRODUCTS["business-cards"]["spec"])
    assert cards.check({"finish": "spot-uv", "names": 6}).errors[0].code is C.OUT_OF_RANGE
    brochure = ProductSpec.from_json(DEMO_PRODUCTS["folded-brochure"]["spec"])
    assert brochure.check({"fold": "letter", "pages": 6}).valid
    assert brochure.check({"fold": "letter"}).errors[0].code is C.OUT_OF_RANGE
