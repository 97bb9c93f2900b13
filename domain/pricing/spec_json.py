"""Reading and writing a product specification as JSON (shop data, stored per product version).

Parsing collects every problem of the document before raising, so the shop admin sees all of
them at once, each with the path of the offending field, e.g. ``("parameters", "2", "options")``.
Unknown fields are refused: a typo such as ``"lable"`` must not silently vanish.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal
from typing import Any

from domain.pricing.parameters import (
    NUMERIC_KINDS,
    ExcludesRule,
    OptionDef,
    ParameterDef,
    ParameterKind,
    ParameterRule,
    ParamValue,
    RangeWhenRule,
    coerce_value,
    to_decimal,
)
from domain.pricing.spec_errors import CatalogErrorCode as Code
from domain.shared.errors import DomainError, ErrorCollector

Path = tuple[str, ...]

KEY_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,39}")
OPTION_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,39}")
MAX_PARAMETERS = 100
MAX_OPTIONS = 200
MAX_RULES = 200
MAX_LABEL = 200
MIN_STEP = Decimal("0.000001")

_SPEC_FIELDS = frozenset({"parameters", "rules"})
_PARAM_FIELDS = frozenset(
    {"key", "label", "kind", "options", "min", "max", "step", "unit", "default", "required"}
    | {"max_length"}
)
_OPTION_FIELDS = frozenset({"key", "label"})
_RULE_FIELDS = {
    "excludes": frozenset({"type", "when", "param", "options"}),
    "range_when": frozenset({"type", "when", "param", "min", "max"}),
}


def parse_spec(data: object) -> tuple[tuple[ParameterDef, ...], tuple[ParameterRule, ...]]:
    """Validate a specification document; raise one DomainError listing every problem."""
    errors = ErrorCollector()
    if not isinstance(data, Mapping):
        raise DomainError.single(Code.INVALID_SPEC, "A specification must be a JSON object.")
    _unknown_fields(data, _SPEC_FIELDS, (), Code.INVALID_SPEC, errors)
    raw_params = data.get("parameters")
    params: list[ParameterDef] = []
    if not isinstance(raw_params, list) or not raw_params or len(raw_params) > MAX_PARAMETERS:
        errors.add(
            Code.INVALID_SPEC,
            f"'parameters' must be a list of 1 to {MAX_PARAMETERS} parameters.",
            ("parameters",),
        )
        raw_params = []
    for index, raw in enumerate(raw_params):
        path = ("parameters", str(index))
        param = _parse_parameter(raw, path, errors)
        if param is None:
            continue
        if any(p.key == param.key for p in params):
            errors.add(
                Code.DUPLICATE_PARAMETER,
                f"Parameter '{param.key}' is defined twice.",
                (*path, "key"),
            )
            continue
        params.append(param)
    raw_rules = data.get("rules", [])
    rules: list[ParameterRule] = []
    if not isinstance(raw_rules, list) or len(raw_rules) > MAX_RULES:
        errors.add(
            Code.INVALID_SPEC, f"'rules' must be a list of at most {MAX_RULES} rules.", ("rules",)
        )
        raw_rules = []
    by_key = {p.key: p for p in params}
    for index, raw in enumerate(raw_rules):
        rule = _parse_rule(raw, ("rules", str(index)), by_key, errors)
        if rule is not None:
            rules.append(rule)
    errors.raise_if_any()
    return tuple(params), tuple(rules)


def _unknown_fields(
    raw: Mapping[Any, Any], allowed: frozenset[str], path: Path, code: Code, errors: ErrorCollector
) -> bool:
    bad = [name for name in raw if name not in allowed]
    for name in bad:
        errors.add(code, f"Unknown field '{str(name)[:64]}'.", (*path, str(name)[:64]))
    return bool(bad)


def _label(raw: object) -> str | None:
    if isinstance(raw, str) and raw.strip() and len(raw) <= MAX_LABEL:
        return raw
    return None


def _parse_parameter(raw: object, path: Path, errors: ErrorCollector) -> ParameterDef | None:
    if not isinstance(raw, Mapping):
        errors.add(Code.INVALID_PARAMETER, "A parameter must be a JSON object.", path)
        return None
    broken = _unknown_fields(raw, _PARAM_FIELDS, path, Code.INVALID_PARAMETER, errors)
    key = raw.get("key")
    if not isinstance(key, str) or not KEY_PATTERN.fullmatch(key):
        errors.add(
            Code.INVALID_PARAMETER,
            "Key: lowercase letters, digits and _, at most 40.",
            (*path, "key"),
        )
        broken = True
    label = _label(raw.get("label"))
    if label is None:
        errors.add(Code.INVALID_PARAMETER, f"Label: 1 to {MAX_LABEL} characters.", (*path, "label"))
        broken = True
    try:
        kind = ParameterKind(raw.get("kind"))
    except ValueError:
        names = ", ".join(k.value for k in ParameterKind)
        errors.add(Code.INVALID_PARAMETER, f"Kind must be one of {names}.", (*path, "kind"))
        return None
    options = _parse_options(raw, kind, path, errors)
    limits = _parse_limits(raw, kind, path, errors)
    unit = raw.get("unit")
    if unit is not None and (not isinstance(unit, str) or not 0 < len(unit) <= 20):
        errors.add(Code.INVALID_PARAMETER, "Unit: text of 1 to 20 characters.", (*path, "unit"))
        broken = True
    required = raw.get("required", False)
    if not isinstance(required, bool):
        errors.add(Code.INVALID_PARAMETER, "'required' must be true or false.", (*path, "required"))
        broken = True
    if broken or options is None or limits is None or key is None or label is None:
        return None
    param = ParameterDef(
        key=str(key),
        label=label,
        kind=kind,
        options=options,
        minimum=limits[0],
        maximum=limits[1],
        step=limits[2],
        max_length=limits[3],
        unit=unit if isinstance(unit, str) else None,
        required=bool(required),
    )
    if raw.get("default") is None:
        return param
    default, issue = coerce_value(param, raw["default"])
    if issue is not None:
        errors.add(Code.INVALID_DEFAULT, f"Default: {issue[1]}", (*path, "default"))
        return None
    return replace(param, default=default)


def _parse_options(
    raw: Mapping[str, Any], kind: ParameterKind, path: Path, errors: ErrorCollector
) -> tuple[OptionDef, ...] | None:
    raw_options = raw.get("options")
    opath = (*path, "options")
    if kind is not ParameterKind.ENUM:
        if raw_options:
            errors.add(Code.INVALID_OPTION, "Only enum parameters have options.", opath)
            return None
        return ()
    if not isinstance(raw_options, list) or not 0 < len(raw_options) <= MAX_OPTIONS:
        errors.add(Code.INVALID_OPTION, f"An enum needs 1 to {MAX_OPTIONS} options.", opath)
        return None
    options: list[OptionDef] = []
    ok = True
    for index, item in enumerate(raw_options):
        ipath = (*opath, str(index))
        if not isinstance(item, Mapping):
            errors.add(
                Code.INVALID_OPTION, "An option must be an object with key and label.", ipath
            )
            ok = False
            continue
        ok = not _unknown_fields(item, _OPTION_FIELDS, ipath, Code.INVALID_OPTION, errors) and ok
        key, label = item.get("key"), _label(item.get("label"))
        if not isinstance(key, str) or not OPTION_PATTERN.fullmatch(key):
            errors.add(
                Code.INVALID_OPTION,
                "Option key: letters, digits, _ . -, at most 40.",
                (*ipath, "key"),
            )
            ok = False
        elif any(o.key == key for o in options):
            errors.add(Code.DUPLICATE_OPTION, f"Option '{key}' is listed twice.", (*ipath, "key"))
            ok = False
        if label is None:
            errors.add(
                Code.INVALID_OPTION,
                f"Option label: 1 to {MAX_LABEL} characters.",
                (*ipath, "label"),
            )
            ok = False
        if ok and isinstance(key, str) and label is not None:
            options.append(OptionDef(key, label))
    return tuple(options) if ok else None


_Limits = tuple[Decimal | None, Decimal | None, Decimal | None, int | None]


def _parse_limits(
    raw: Mapping[str, Any], kind: ParameterKind, path: Path, errors: ErrorCollector
) -> _Limits | None:
    ok = True
    numbers: dict[str, Decimal | None] = {}
    for name in ("min", "max", "step"):
        value = raw.get(name)
        numbers[name] = None
        if value is None:
            continue
        number = to_decimal(value, allow_float=False)
        if kind not in NUMERIC_KINDS:
            errors.add(Code.INVALID_RANGE, f"'{name}' applies to numbers only.", (*path, name))
            ok = False
        elif number is None or (kind is ParameterKind.INTEGER and number % 1 != 0):
            what = "a whole number" if kind is ParameterKind.INTEGER else "a decimal string"
            errors.add(Code.INVALID_RANGE, f"'{name}' must be {what}.", (*path, name))
            ok = False
        else:
            numbers[name] = number
    low, high, step = numbers["min"], numbers["max"], numbers["step"]
    if low is not None and high is not None and low > high:
        errors.add(Code.INVALID_RANGE, "'min' is above 'max'.", (*path, "min"))
        ok = False
    if step is not None and step < MIN_STEP:
        errors.add(Code.INVALID_RANGE, f"'step' must be at least {MIN_STEP}.", (*path, "step"))
        ok = False
    max_length = raw.get("max_length")
    if max_length is not None:
        valid = isinstance(max_length, int) and not isinstance(max_length, bool)
        if kind is not ParameterKind.TEXT or not valid or not 0 < max_length <= 10_000:
            errors.add(
                Code.INVALID_RANGE,
                "'max_length' is a whole number 1 to 10000, text only.",
                (*path, "max_length"),
            )
            ok = False
    return (low, high, step, max_length) if ok else None


def _parse_rule(
    raw: object, path: Path, by_key: Mapping[str, ParameterDef], errors: ErrorCollector
) -> ParameterRule | None:
    if not isinstance(raw, Mapping) or raw.get("type") not in _RULE_FIELDS:
        errors.add(
            Code.INVALID_RULE, "A rule is an object with type 'excludes' or 'range_when'.", path
        )
        return None
    rule_type = str(raw["type"])
    broken = _unknown_fields(raw, _RULE_FIELDS[rule_type], path, Code.INVALID_RULE, errors)
    when = raw.get("when")
    when_param = when_option = None
    if not isinstance(when, Mapping) or set(when) != {"param", "option"}:
        errors.add(
            Code.INVALID_RULE, "'when' is an object with 'param' and 'option'.", (*path, "when")
        )
        broken = True
    else:
        when_param = _param_of(
            when.get("param"), {ParameterKind.ENUM}, (*path, "when", "param"), by_key, errors
        )
        if when_param is not None:
            when_option = when.get("option")
            if not isinstance(when_option, str) or when_param.option(when_option) is None:
                errors.add(
                    Code.INVALID_RULE,
                    f"'{when_param.key}' has no such option.",
                    (*path, "when", "option"),
                )
                broken = True
    kinds = {ParameterKind.ENUM} if rule_type == "excludes" else set(NUMERIC_KINDS)
    target = _param_of(raw.get("param"), kinds, (*path, "param"), by_key, errors)
    if target is not None and when_param is not None and target.key == when_param.key:
        errors.add(
            Code.INVALID_RULE, "A rule must link two different parameters.", (*path, "param")
        )
        broken = True
    if broken or target is None or when_param is None or not isinstance(when_option, str):
        return None
    if rule_type == "excludes":
        options = raw.get("options")
        if (
            not isinstance(options, list)
            or not options
            or len(set(map(str, options))) != len(options)
            or any(not isinstance(o, str) or target.option(o) is None for o in options)
        ):
            errors.add(
                Code.INVALID_RULE,
                f"'options': distinct options of '{target.key}'.",
                (*path, "options"),
            )
            return None
        return ExcludesRule(when_param.key, when_option, target.key, tuple(options))
    low, high = (
        to_decimal(raw.get("min"), allow_float=False),
        to_decimal(raw.get("max"), allow_float=False),
    )
    if (raw.get("min") is not None and low is None) or (
        raw.get("max") is not None and high is None
    ):
        errors.add(Code.INVALID_RULE, "'min' and 'max' must be decimal strings.", path)
        return None
    if (low is None and high is None) or (low is not None and high is not None and low > high):
        errors.add(Code.INVALID_RULE, "Give 'min' and/or 'max', with min <= max.", (*path, "min"))
        return None
    return RangeWhenRule(when_param.key, when_option, target.key, low, high)


def _param_of(
    key: object,
    kinds: set[ParameterKind],
    path: Path,
    by_key: Mapping[str, ParameterDef],
    errors: ErrorCollector,
) -> ParameterDef | None:
    param = by_key.get(key) if isinstance(key, str) else None
    if param is None:
        errors.add(Code.INVALID_RULE, f"Unknown parameter '{str(key)[:64]}'.", path)
        return None
    if param.kind not in kinds:
        allowed = " or ".join(sorted(k.value for k in kinds))
        errors.add(Code.INVALID_RULE, f"'{param.key}' must be of kind {allowed}.", path)
        return None
    return param


def _json_number(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def _json_value(value: ParamValue | None) -> object:
    return format(value, "f") if isinstance(value, Decimal) else value


def dump_spec(
    parameters: tuple[ParameterDef, ...], rules: tuple[ParameterRule, ...]
) -> dict[str, Any]:
    """The canonical JSON document: what ``parse_spec`` reads back to an equal specification."""
    out_params: list[dict[str, Any]] = []
    for p in parameters:
        item: dict[str, Any] = {"key": p.key, "label": p.label, "kind": p.kind.value}
        if p.options:
            item["options"] = [{"key": o.key, "label": o.label} for o in p.options]
        for name, number in (("min", p.minimum), ("max", p.maximum), ("step", p.step)):
            if number is not None:
                item[name] = _json_number(number)
        optional = {"unit": p.unit, "max_length": p.max_length, "default": _json_value(p.default)}
        item.update({name: value for name, value in optional.items() if value is not None})
        if p.required:
            item["required"] = True
        out_params.append(item)
    out_rules: list[dict[str, Any]] = []
    for rule in rules:
        entry: dict[str, Any] = {
            "type": rule.kind.value,
            "when": {"param": rule.when_param, "option": rule.when_option},
            "param": rule.param,
        }
        if isinstance(rule, ExcludesRule):
            entry["options"] = list(rule.options)
        else:
            if rule.minimum is not None:
                entry["min"] = _json_number(rule.minimum)
            if rule.maximum is not None:
                entry["max"] = _json_number(rule.maximum)
        out_rules.append(entry)
    return {"parameters": out_params, "rules": out_rules}
