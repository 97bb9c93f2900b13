"""Price expressions: a small JSON AST, parsed and checked against the product specification.

The grammar is documented in ``domain.pricing.rules``. Parsing never evaluates anything supplied
by the shop: it builds typed nodes, folds constant sub-expressions and computes the static
``Facts`` of each node. Problems are collected, each with the path of the offending field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal, localcontext

from domain.pricing import analysis
from domain.pricing.analysis import Facts
from domain.pricing.errors import PricingErrorCode as Code
from domain.pricing.parameters import NUMERIC_KINDS, ParameterDef, ParameterKind, to_decimal
from domain.pricing.spec import ProductSpec
from domain.shared.errors import ErrorCollector

Path = tuple[str, ...]

MAX_DEPTH = 24
MAX_NODES = 2_000
OPERATORS = ("add", "sub", "mul", "div", "min", "max")


@dataclass(frozen=True, slots=True)
class Const:
    value: Decimal


@dataclass(frozen=True, slots=True)
class Quantity:
    pass


@dataclass(frozen=True, slots=True)
class Param:
    key: str


@dataclass(frozen=True, slots=True)
class Ref:
    name: str


@dataclass(frozen=True, slots=True)
class Lookup:
    param: str
    table: tuple[tuple[str, Decimal], ...]
    default: Decimal | None


@dataclass(frozen=True, slots=True)
class Apply:
    op: str  # one of OPERATORS
    args: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Round:
    op: str  # "ceil" or "floor"
    arg: Expr


@dataclass(frozen=True, slots=True)
class IfOption:
    param: str
    option: str
    then: Expr
    otherwise: Expr


@dataclass(frozen=True, slots=True)
class IfTrue:
    param: str
    then: Expr
    otherwise: Expr


Expr = Const | Quantity | Param | Ref | Lookup | Apply | Round | IfOption | IfTrue


@dataclass(slots=True)
class Scope:
    """What an expression may refer to, and where its problems go."""

    spec: ProductSpec
    errors: ErrorCollector
    derived: dict[str, Facts] = field(default_factory=dict)
    broken: set[str] = field(default_factory=set)  # derived names that failed to parse
    nodes: int = 0


def parse_number(raw: object, path: Path, errors: ErrorCollector) -> Decimal | None:
    """A literal: an integer or a decimal string. Floats are refused (binary rounding)."""
    if isinstance(raw, float):
        errors.add(Code.INVALID_NUMBER, 'Write decimals as strings, e.g. "0.045".', path)
        return None
    value = to_decimal(raw, allow_float=False)
    if value is None:
        errors.add(Code.INVALID_NUMBER, "Expected an integer or a decimal string.", path)
    return value


def parse_expression(
    raw: object, path: Path, scope: Scope, depth: int = 0
) -> tuple[Expr, Facts] | None:
    """Parse one expression; None (with errors recorded) when it is not valid."""
    scope.nodes += 1
    if scope.nodes == MAX_NODES + 1:
        scope.errors.add(Code.TOO_COMPLEX, f"The rules exceed {MAX_NODES} expression nodes.", path)
    if scope.nodes > MAX_NODES:
        return None
    if depth > MAX_DEPTH:
        scope.errors.add(Code.TOO_DEEP, f"Expressions may nest at most {MAX_DEPTH} levels.", path)
        return None
    if raw == "quantity":
        return Quantity(), analysis.QUANTITY_FACTS
    if not isinstance(raw, Mapping):
        number = parse_number(raw, path, scope.errors)
        return None if number is None else (Const(number), analysis.constant(number))
    if len(raw) != 1:
        scope.errors.add(Code.INVALID_EXPRESSION, "An expression object has exactly one key.", path)
        return None
    ((op, arg),) = raw.items()
    sub = (*path, str(op)[:64])
    if op == "param":
        return _param(arg, sub, scope)
    if op == "ref":
        if isinstance(arg, str) and arg in scope.broken:
            return None
        if not isinstance(arg, str) or arg not in scope.derived:
            known = ", ".join(scope.derived) or "none"
            message = f"Unknown derived value '{str(arg)[:64]}' (defined before: {known})."
            scope.errors.add(Code.UNKNOWN_REFERENCE, message, sub)
            return None
        return Ref(arg), scope.derived[arg]
    if op == "lookup":
        return _lookup(arg, sub, scope)
    if op in OPERATORS:
        return _apply(str(op), arg, sub, scope, depth)
    if op in ("ceil", "floor"):
        inner = parse_expression(arg, sub, scope, depth + 1)
        if inner is None:
            return None
        facts = analysis.rounded(str(op), inner[1])
        if isinstance(inner[0], Const):
            rounding = ROUND_CEILING if op == "ceil" else ROUND_FLOOR
            return Const(inner[0].value.to_integral_value(rounding)), facts
        return Round(str(op), inner[0]), facts
    if op in ("if_option", "if_true"):
        return _condition(str(op), arg, sub, scope, depth)
    scope.errors.add(Code.INVALID_EXPRESSION, f"Unknown operator '{str(op)[:64]}'.", sub)
    return None


def _spec_param(
    key: object, kinds: frozenset[ParameterKind], path: Path, scope: Scope
) -> ParameterDef | None:
    param = scope.spec.parameter(key) if isinstance(key, str) else None
    if param is None:
        scope.errors.add(Code.UNKNOWN_PARAMETER, f"Unknown parameter '{str(key)[:64]}'.", path)
        return None
    if param.kind not in kinds:
        allowed = " or ".join(sorted(k.value for k in kinds))
        message = f"'{param.key}' is {param.kind.value}; this needs {allowed}."
        scope.errors.add(Code.WRONG_PARAMETER_KIND, message, path)
        return None
    return param


def _param(arg: object, path: Path, scope: Scope) -> tuple[Expr, Facts] | None:
    param = _spec_param(arg, NUMERIC_KINDS, path, scope)
    if param is None:
        return None
    if param.may_be_missing:
        message = f"'{param.key}' is optional without a default; give it a default or require it."
        scope.errors.add(Code.PARAMETER_MAY_BE_MISSING, message, path)
        return None
    return Param(param.key), analysis.parameter(param)


def _fields(arg: object, required: set[str], optional: set[str], path: Path, scope: Scope) -> bool:
    if not isinstance(arg, Mapping):
        scope.errors.add(
            Code.INVALID_EXPRESSION, f"Expected an object with {sorted(required)}.", path
        )
        return False
    missing = required - set(arg)
    unknown = set(arg) - required - optional
    for name in sorted(missing):
        scope.errors.add(Code.INVALID_EXPRESSION, f"Missing '{name}'.", (*path, name))
    for name in sorted(map(str, unknown)):
        scope.errors.add(
            Code.INVALID_EXPRESSION, f"Unknown field '{name[:64]}'.", (*path, name[:64])
        )
    return not missing and not unknown


def _lookup(arg: object, path: Path, scope: Scope) -> tuple[Expr, Facts] | None:
    if not _fields(arg, {"param", "table"}, {"default"}, path, scope):
        return None
    assert isinstance(arg, Mapping)
    param = _spec_param(arg["param"], frozenset({ParameterKind.ENUM}), (*path, "param"), scope)
    table = arg["table"]
    if not isinstance(table, Mapping) or not table:
        scope.errors.add(
            Code.INVALID_EXPRESSION, "'table' maps options to numbers.", (*path, "table")
        )
        return None
    default = None
    if arg.get("default") is not None:
        default = parse_number(arg["default"], (*path, "default"), scope.errors)
        if default is None:
            return None
    if param is None:
        return None
    entries: list[tuple[str, Decimal]] = []
    ok = True
    for key, raw in table.items():
        kpath = (*path, "table", str(key)[:64])
        if not isinstance(key, str) or param.option(key) is None:
            scope.errors.add(Code.UNKNOWN_OPTION, f"'{param.key}' has no option '{key}'.", kpath)
            ok = False
            continue
        number = parse_number(raw, kpath, scope.errors)
        ok = ok and number is not None
        if number is not None:
            entries.append((key, number))
    missing = [o.key for o in param.options if o.key not in table]
    if missing and default is None:
        message = f"No price for option(s) {', '.join(missing)}; add them or a 'default'."
        scope.errors.add(Code.MISSING_OPTION, message, (*path, "table"))
        ok = False
    if param.may_be_missing and default is None:
        message = f"'{param.key}' is optional without a default; give the lookup a 'default'."
        scope.errors.add(Code.PARAMETER_MAY_BE_MISSING, message, (*path, "param"))
        ok = False
    if not ok:
        return None
    used = [value for _, value in entries]
    if default is not None and (missing or param.may_be_missing):
        used.append(default)
    facts = analysis.choice([analysis.constant(v) for v in used])
    return Lookup(param.key, tuple(entries), default), facts


def _apply(op: str, arg: object, path: Path, scope: Scope, depth: int) -> tuple[Expr, Facts] | None:
    if not isinstance(arg, list) or not 2 <= len(arg) <= 50:
        scope.errors.add(
            Code.INVALID_EXPRESSION, f"'{op}' takes a list of 2 to 50 expressions.", path
        )
        return None
    parsed = [
        parse_expression(item, (*path, str(i)), scope, depth + 1) for i, item in enumerate(arg)
    ]
    ok = True
    if op == "div":
        for i, item in enumerate(parsed[1:], start=1):
            if item is None:
                continue
            if isinstance(item[0], Const) and item[0].value == 0:
                scope.errors.add(Code.DIVISION_BY_ZERO, "Division by zero.", (*path, str(i)))
                ok = False
            elif item[1].may_be_zero():
                message = "This divisor can be zero; give its parameters limits that exclude 0."
                scope.errors.add(Code.DIVISOR_MAY_BE_ZERO, message, (*path, str(i)))
                ok = False
    nodes = [item for item in parsed if item is not None]
    if not ok or len(nodes) != len(parsed):
        return None
    facts = analysis.combine(op, [f for _, f in nodes])
    exprs = tuple(e for e, _ in nodes)
    if all(isinstance(e, Const) for e in exprs):
        return Const(fold(op, [e.value for e in exprs if isinstance(e, Const)])), facts
    return Apply(op, exprs), facts


def fold(op: str, values: list[Decimal]) -> Decimal:
    """Apply an operator to constants, in the analysis context (exact for shop-sized numbers)."""
    with localcontext(analysis.ANALYSIS_CONTEXT):
        result = values[0]
        for value in values[1:]:
            if op == "add":
                result += value
            elif op == "sub":
                result -= value
            elif op == "mul":
                result *= value
            elif op == "div":
                result /= value
            elif op == "min":
                result = min(result, value)
            else:
                result = max(result, value)
        return result


def _condition(
    op: str, arg: object, path: Path, scope: Scope, depth: int
) -> tuple[Expr, Facts] | None:
    names = {"param", "option", "then", "else"} if op == "if_option" else {"param", "then", "else"}
    if not _fields(arg, names, set(), path, scope):
        return None
    assert isinstance(arg, Mapping)
    kind = ParameterKind.ENUM if op == "if_option" else ParameterKind.BOOLEAN
    param = _spec_param(arg["param"], frozenset({kind}), (*path, "param"), scope)
    option = arg.get("option")
    if param is not None and op == "if_option":
        if not isinstance(option, str) or param.option(option) is None:
            message = f"'{param.key}' has no option '{str(option)[:64]}'."
            scope.errors.add(Code.UNKNOWN_OPTION, message, (*path, "option"))
            param = None
    then = parse_expression(arg["then"], (*path, "then"), scope, depth + 1)
    otherwise = parse_expression(arg["else"], (*path, "else"), scope, depth + 1)
    if param is None or then is None or otherwise is None:
        return None
    facts = analysis.choice([then[1], otherwise[1]])
    if op == "if_option":
        return IfOption(param.key, str(option), then[0], otherwise[0]), facts
    return IfTrue(param.key, then[0], otherwise[0]), facts
