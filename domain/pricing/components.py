"""Cost components of a rule document, parsed into one uniform shape.

Every component becomes one or more ``Component`` lines costing ``rate`` (times ``count`` when
there is one). An ``option_surcharge`` expands into a setup line and a per-unit line per option,
each with a ``condition``; that keeps the engine down to a single loop over lines.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from domain.pricing import analysis
from domain.pricing.analysis import Facts
from domain.pricing.errors import PricingErrorCode as Code
from domain.pricing.expressions import (
    Apply,
    Const,
    Expr,
    Quantity,
    Scope,
    parse_expression,
)
from domain.pricing.parameters import ParameterDef, ParameterKind

Path = tuple[str, ...]
# A label is literal text and placeholders ("quantity"|"count"|"ref"|"param", name).
LabelPart = str | tuple[str, str]

CODE_PATTERN = re.compile(r"[a-z][a-z0-9_.]{0,63}")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_MAX_LABEL = 200
_MM2_PER_M2 = Decimal(1_000_000)
_FIELDS = {
    "setup": ({"amount"}, set()),
    "per_unit": ({"amount"}, set()),
    "per_sheet": ({"amount", "sheets"}, set()),
    "per_area": ({"amount_per_m2", "area_mm2"}, set()),
    "formula": ({"amount"}, {"variable"}),
}


@dataclass(frozen=True, slots=True)
class Component:
    code: str
    label: tuple[LabelPart, ...]
    rate: Expr
    count: Expr | None  # None: ``rate`` is the amount for the whole order
    count_unit: str | None  # "pcs", "m²" or None (sheets, impressions): for the line detail
    variable: bool  # reduced by quantity breaks
    condition: tuple[str, str | bool] | None = None  # (parameter, value) for option surcharges


def parse_component(raw: object, path: Path, scope: Scope) -> list[tuple[Component, Facts]]:
    """Lines of one component with the facts of their total cost; [] (errors recorded) if bad."""
    kind = raw.get("type") if isinstance(raw, Mapping) else None
    if not isinstance(raw, Mapping) or (kind not in _FIELDS and kind != "option_surcharge"):
        names = ", ".join([*_FIELDS, "option_surcharge"])
        scope.errors.add(
            Code.INVALID_COMPONENT, f"A component is an object with type {names}.", path
        )
        return []
    if kind == "option_surcharge":
        return _surcharge(raw, path, scope)
    required, optional = _FIELDS[str(kind)]
    if not _known_fields(raw, {"type", "code", "label"} | required, optional, path, scope):
        return []
    code = _code(raw.get("code"), path, scope)
    has_count = kind in ("per_unit", "per_sheet", "per_area")
    label = parse_label(raw.get("label"), (*path, "label"), scope, has_count)
    variable = raw.get("variable", True) if kind == "formula" else kind != "setup"
    if not isinstance(variable, bool):
        scope.errors.add(
            Code.INVALID_COMPONENT, "'variable' is true or false.", (*path, "variable")
        )
    rate_key = "amount_per_m2" if kind == "per_area" else "amount"
    rate = parse_expression(raw[rate_key], (*path, rate_key), scope)
    count: tuple[Expr, Facts] | None = None
    unit = None
    if kind == "per_unit":
        count, unit = (Quantity(), analysis.QUANTITY_FACTS), "pcs"
    elif kind == "per_sheet":
        count = parse_expression(raw["sheets"], (*path, "sheets"), scope)
        if count is None:
            return []
    elif kind == "per_area":
        area = parse_expression(raw["area_mm2"], (*path, "area_mm2"), scope)
        if area is None:
            return []
        count, unit = _area_total(area), "m²"
    if code is None or label is None or rate is None or not isinstance(variable, bool):
        return []
    return [_line(code, label, rate, count, unit, variable, None)]


def _line(
    code: str,
    label: tuple[LabelPart, ...],
    rate: tuple[Expr, Facts],
    count: tuple[Expr, Facts] | None,
    unit: str | None,
    variable: bool,
    condition: tuple[str, str | bool] | None,
) -> tuple[Component, Facts]:
    facts = rate[1] if count is None else analysis.combine("mul", [rate[1], count[1]])
    expr = None if count is None else count[0]
    return Component(code, label, rate[0], expr, unit, variable, condition), facts


def _area_total(area: tuple[Expr, Facts]) -> tuple[Expr, Facts]:
    """Square metres for the whole order: area of one piece (mm²) times quantity / 1,000,000."""
    million = Const(_MM2_PER_M2)
    expr = Apply("div", (Apply("mul", (area[0], Quantity())), million))
    facts = analysis.combine("mul", [area[1], analysis.QUANTITY_FACTS])
    return expr, analysis.combine("div", [facts, analysis.constant(_MM2_PER_M2)])


def _known_fields(
    raw: Mapping[str, object], required: set[str], optional: set[str], path: Path, scope: Scope
) -> bool:
    ok = True
    for name in sorted(required - set(raw)):
        scope.errors.add(Code.INVALID_COMPONENT, f"Missing '{name}'.", (*path, name))
        ok = False
    for name in sorted(map(str, set(raw) - required - optional)):
        scope.errors.add(
            Code.INVALID_COMPONENT, f"Unknown field '{name[:64]}'.", (*path, name[:64])
        )
        ok = False
    return ok


def _code(raw: object, path: Path, scope: Scope) -> str | None:
    if isinstance(raw, str) and CODE_PATTERN.fullmatch(raw):
        return raw
    message = "Code: lowercase letters, digits, _ and ., starting with a letter, at most 64."
    scope.errors.add(Code.INVALID_COMPONENT, message, (*path, "code"))
    return None


def parse_label(
    raw: object, path: Path, scope: Scope, has_count: bool
) -> tuple[LabelPart, ...] | None:
    """Split a label template into text and checked placeholders (no str.format: no attribute
    access, no surprises from shop-entered text)."""
    if not isinstance(raw, str) or not raw.strip() or len(raw) > _MAX_LABEL:
        scope.errors.add(Code.INVALID_LABEL, f"Label: 1 to {_MAX_LABEL} characters.", path)
        return None
    parts: list[LabelPart] = []
    position = 0
    ok = True
    for match in _PLACEHOLDER.finditer(raw):
        parts.append(raw[position : match.start()])
        position = match.end()
        name = match.group(1)
        param = scope.spec.parameter(name)
        if name == "quantity" or (name == "count" and has_count):
            parts.append((name, name))
        elif name in scope.derived or name in scope.broken:
            parts.append(("ref", name))
        elif param is not None and param.kind is not ParameterKind.TEXT:
            parts.append(("param", name))
        else:
            allowed = "{quantity}, derived names, parameter keys" + (
                ", {count}" if has_count else ""
            )
            message = f"Unknown placeholder '{{{name[:64]}}}'; use {allowed}."
            scope.errors.add(Code.INVALID_LABEL, message, path)
            ok = False
    parts.append(raw[position:])
    if any("{" in p or "}" in p for p in parts if isinstance(p, str)):
        scope.errors.add(Code.INVALID_LABEL, "Unbalanced '{' or '}' in the label.", path)
        ok = False
    return tuple(p for p in parts if p != "") if ok else None


def _surcharge(
    raw: Mapping[str, object], path: Path, scope: Scope
) -> list[tuple[Component, Facts]]:
    if not _known_fields(raw, {"type", "param", "options"}, {"code"}, path, scope):
        return []
    param = scope.spec.parameter(raw["param"]) if isinstance(raw["param"], str) else None
    if param is None or param.kind not in (ParameterKind.ENUM, ParameterKind.BOOLEAN):
        message = f"'{str(raw['param'])[:64]}' is not an enum or boolean parameter."
        error = Code.UNKNOWN_PARAMETER if param is None else Code.WRONG_PARAMETER_KIND
        scope.errors.add(error, message, (*path, "param"))
        return []
    code = _code(raw.get("code", f"surcharge.{param.key}"), path, scope)
    options = raw["options"]
    if not isinstance(options, Mapping) or not options:
        scope.errors.add(
            Code.INVALID_COMPONENT, "'options' maps options to surcharges.", (*path, "options")
        )
        return []
    lines: list[tuple[Component, Facts]] = []
    for key, entry in options.items():
        opath = (*path, "options", str(key)[:64])
        value = _option_value(param, key)
        if value is None:
            scope.errors.add(
                Code.UNKNOWN_OPTION, f"'{param.key}' has no option '{str(key)[:64]}'.", opath
            )
            continue
        if not isinstance(entry, Mapping) or not ({"setup", "per_unit"} & set(entry)):
            scope.errors.add(Code.INVALID_COMPONENT, "Give 'setup' and/or 'per_unit'.", opath)
            continue
        if not _known_fields(entry, set(), {"setup", "per_unit", "label"}, opath, scope):
            continue
        label = parse_label(
            entry.get("label", _default_label(param, key)), (*opath, "label"), scope, False
        )
        if code is None or label is None:
            continue
        condition = (param.key, value)
        if "setup" in entry:
            setup = parse_expression(entry["setup"], (*opath, "setup"), scope)
            if setup is not None:
                setup_label = (*label, " (setup)")
                lines.append(
                    _line(f"{code}.{key}.setup", setup_label, setup, None, None, False, condition)
                )
        if "per_unit" in entry:
            per_unit = parse_expression(entry["per_unit"], (*opath, "per_unit"), scope)
            if per_unit is not None:
                count = (Quantity(), analysis.QUANTITY_FACTS)
                lines.append(_line(f"{code}.{key}", label, per_unit, count, "pcs", True, condition))
    return lines


def _option_value(param: ParameterDef, key: object) -> str | bool | None:
    if param.kind is ParameterKind.BOOLEAN:
        return {"true": True, "false": False}.get(str(key))
    return key if isinstance(key, str) and param.option(key) is not None else None


def _default_label(param: ParameterDef, key: str) -> str:
    if param.kind is ParameterKind.BOOLEAN:
        label = param.label if key == "true" else f"{param.label}: no"
    else:
        option = param.option(key)
        label = f"{param.label}: {option.label if option else key}"
    # Shop-entered labels are text here, not templates.
    return label.replace("{", "(").replace("}", ")")
