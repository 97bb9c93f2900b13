"""Parameters of a configurable product, the rules between them, and how one value is read.

A value arrives from JSON (GraphQL input, a stored cart) and is normalised here, once: enum
options and text as ``str``, integers as ``int``, decimals as ``Decimal``, booleans as ``bool``.
Floats are accepted for numbers only because JSON clients send them; they are converted through
their shortest ``repr`` so ``0.1`` becomes ``Decimal("0.1")``, never a binary approximation.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import Enum

from domain.pricing.spec_errors import CatalogErrorCode

ParamValue = str | int | Decimal | bool
Issue = tuple[CatalogErrorCode, str]

# Numbers beyond these bounds are refused so that no price calculation can overflow.
MAX_ABS_NUMBER = Decimal("1e12")
MAX_NUMBER_TEXT = 40
# Applied when a TEXT parameter sets no max_length of its own.
DEFAULT_TEXT_LIMIT = 10_000


class ParameterKind(Enum):
    ENUM = "enum"
    INTEGER = "integer"
    DECIMAL = "decimal"
    BOOLEAN = "boolean"
    TEXT = "text"


NUMERIC_KINDS = frozenset({ParameterKind.INTEGER, ParameterKind.DECIMAL})


@dataclass(frozen=True, slots=True)
class OptionDef:
    key: str
    label: str


@dataclass(frozen=True, slots=True)
class ParameterDef:
    """One choice the customer makes; numbers carry their unit (``mm``, ``pages``)."""

    key: str
    label: str
    kind: ParameterKind
    options: tuple[OptionDef, ...] = ()
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    step: Decimal | None = None
    unit: str | None = None
    default: ParamValue | None = None
    required: bool = False
    max_length: int | None = None

    @property
    def may_be_missing(self) -> bool:
        """True when a valid configuration can lack this value (optional, no default).

        Booleans are never missing: an unset boolean reads as ``False``.
        """
        return self.kind is not ParameterKind.BOOLEAN and self.default is None and not self.required

    def option(self, key: str) -> OptionDef | None:
        for option in self.options:
            if option.key == key:
                return option
        return None

    def describe(self, value: ParamValue) -> str:
        """The value as a customer reads it: option label, number with unit, yes/no."""
        if self.kind is ParameterKind.ENUM:
            option = self.option(str(value))
            return option.label if option else str(value)
        if self.kind is ParameterKind.BOOLEAN:
            return "yes" if value is True else "no"
        if isinstance(value, Decimal):
            text = format(value, "f")
        else:
            text = str(value)
        return f"{text} {self.unit}" if self.unit and self.kind in NUMERIC_KINDS else text


class RuleKind(Enum):
    EXCLUDES = "excludes"
    RANGE_WHEN = "range_when"


@dataclass(frozen=True, slots=True)
class ExcludesRule:
    """When ``when_param`` is ``when_option``, ``param`` may not take any of ``options``."""

    when_param: str
    when_option: str
    param: str
    options: tuple[str, ...]

    kind = RuleKind.EXCLUDES

    def violated_by(self, values: dict[str, ParamValue]) -> bool:
        return values.get(self.when_param) == self.when_option and values.get(self.param) in (
            self.options
        )


@dataclass(frozen=True, slots=True)
class RangeWhenRule:
    """When ``when_param`` is ``when_option``, numeric ``param`` must lie in [minimum, maximum]."""

    when_param: str
    when_option: str
    param: str
    minimum: Decimal | None
    maximum: Decimal | None

    kind = RuleKind.RANGE_WHEN

    def violated_by(self, values: dict[str, ParamValue]) -> bool:
        if values.get(self.when_param) != self.when_option:
            return False
        value = values.get(self.param)
        if not isinstance(value, int | Decimal) or isinstance(value, bool):
            return False
        if self.minimum is not None and value < self.minimum:
            return True
        return self.maximum is not None and value > self.maximum


ParameterRule = ExcludesRule | RangeWhenRule


def to_decimal(raw: object, *, allow_float: bool = True) -> Decimal | None:
    """Read a JSON number or decimal string; None when it is not a finite, bounded number."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, Decimal):
        value = raw
    elif isinstance(raw, int):
        if abs(raw) > MAX_ABS_NUMBER:
            return None
        value = Decimal(raw)
    elif isinstance(raw, str):
        if len(raw) > MAX_NUMBER_TEXT:
            return None
        try:
            value = Decimal(raw.strip())
        except InvalidOperation:
            return None
    elif isinstance(raw, float) and allow_float:
        if not math.isfinite(raw):
            return None
        value = Decimal(repr(raw))
    else:
        return None
    if not value.is_finite() or abs(value) > MAX_ABS_NUMBER:
        return None
    return value


def _number_text(value: Decimal, unit: str | None) -> str:
    text = format(value, "f")
    return f"{text} {unit}" if unit else text


def coerce_value(param: ParameterDef, raw: object) -> tuple[ParamValue | None, Issue | None]:
    """Normalise one supplied value, or say why it cannot be used (code and message)."""
    kind = param.kind
    label = param.label
    if kind is ParameterKind.ENUM:
        if not isinstance(raw, str):
            return None, (CatalogErrorCode.INVALID_VALUE, f"{label}: choose one of the options.")
        for option in param.options:
            if option.key == raw:
                return raw, None
        return None, (CatalogErrorCode.UNKNOWN_OPTION, f"{label}: '{raw[:64]}' is not an option.")
    if kind is ParameterKind.BOOLEAN:
        if isinstance(raw, bool):
            return raw, None
        return None, (CatalogErrorCode.INVALID_VALUE, f"{label}: must be true or false.")
    if kind is ParameterKind.TEXT:
        if not isinstance(raw, str):
            return None, (CatalogErrorCode.INVALID_VALUE, f"{label}: must be text.")
        limit = param.max_length if param.max_length is not None else DEFAULT_TEXT_LIMIT
        if len(raw) > limit:
            return None, (CatalogErrorCode.TOO_LONG, f"{label}: at most {limit} characters.")
        return raw, None
    number = to_decimal(raw)
    if number is None:
        return None, (CatalogErrorCode.INVALID_VALUE, f"{label}: must be a number.")
    if kind is ParameterKind.INTEGER:
        if number != number.to_integral_value():
            return None, (CatalogErrorCode.INVALID_VALUE, f"{label}: must be a whole number.")
    return _check_limits(param, number)


def fast_acceptor(param: ParameterDef) -> Callable[[object], bool]:
    """A cheap test for a value that is valid and already normal; the configuration check uses
    it before falling back to ``coerce_value`` (which gives the same value for these inputs)."""
    kind = param.kind
    if kind is ParameterKind.ENUM:
        options = frozenset(o.key for o in param.options)
        return lambda raw: raw.__class__ is str and raw in options
    if kind is ParameterKind.BOOLEAN:
        return lambda raw: raw is True or raw is False
    if kind is ParameterKind.TEXT:
        limit = param.max_length if param.max_length is not None else DEFAULT_TEXT_LIMIT
        return lambda raw: raw.__class__ is str and len(raw) <= limit
    low = max(param.minimum, -MAX_ABS_NUMBER) if param.minimum is not None else -MAX_ABS_NUMBER
    high = min(param.maximum, MAX_ABS_NUMBER) if param.maximum is not None else MAX_ABS_NUMBER
    step, base = param.step, param.minimum if param.minimum is not None else Decimal(0)
    wanted = int if kind is ParameterKind.INTEGER else Decimal

    def accepts(raw: object) -> bool:
        # Exact class: bool is an int subclass and must take the slow path (and fail there).
        if raw.__class__ is not wanted or not isinstance(raw, int | Decimal):
            return False
        if isinstance(raw, Decimal) and not raw.is_finite():
            return False
        return low <= raw <= high and (step is None or (raw - base) % step == 0)

    return accepts


def _check_limits(param: ParameterDef, number: Decimal) -> tuple[ParamValue | None, Issue | None]:
    label, unit = param.label, param.unit
    if param.minimum is not None and number < param.minimum:
        text = _number_text(param.minimum, unit)
        return None, (CatalogErrorCode.BELOW_MINIMUM, f"{label}: at least {text}.")
    if param.maximum is not None and number > param.maximum:
        text = _number_text(param.maximum, unit)
        return None, (CatalogErrorCode.ABOVE_MAXIMUM, f"{label}: at most {text}.")
    if param.step is not None:
        base = param.minimum if param.minimum is not None else Decimal(0)
        if (number - base) % param.step != 0:
            step = _number_text(param.step, unit)
            return None, (CatalogErrorCode.OFF_STEP, f"{label}: in steps of {step}.")
    if param.kind is ParameterKind.INTEGER:
        return int(number), None
    return number, None
