"""Static facts about price expressions: the range of values and the trend in the quantity.

Every expression node gets ``Facts(low, high, trend)``: bounds over all valid configurations and
quantities, and whether its value can only rise (``RISING``), only fall, stays ``CONSTANT`` or
may do ``ANY``thing as the order quantity grows with the configuration fixed. The compiler uses
them to refuse divisors that may be zero and components whose cost could fall when more is
ordered, which is what lets the engine promise a net price that never drops with quantity.

Bounds are finite: parameters without limits use +/- ``MAX_ABS_NUMBER``, quantities
1..``MAX_QUANTITY``. The analysis is conservative: ``ANY`` when in doubt.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Context, Decimal, localcontext
from enum import Enum

from domain.pricing.parameters import MAX_ABS_NUMBER, ParameterDef

MAX_QUANTITY = 1_000_000_000
# Wide precision and exponent range: the bounds of deep products get large, never inexact enough
# to move a bound across zero for the shapes of rules shops write.
ANALYSIS_CONTEXT = Context(prec=60, Emax=10**7, Emin=-(10**7))


class Trend(Enum):
    CONSTANT = "constant"
    RISING = "rising"  # non-decreasing in the quantity
    FALLING = "falling"  # non-increasing in the quantity
    ANY = "any"


_FLIP = {
    Trend.CONSTANT: Trend.CONSTANT,
    Trend.RISING: Trend.FALLING,
    Trend.FALLING: Trend.RISING,
    Trend.ANY: Trend.ANY,
}


@dataclass(frozen=True, slots=True)
class Facts:
    low: Decimal
    high: Decimal
    trend: Trend

    def may_be_zero(self) -> bool:
        return self.low <= 0 <= self.high


def constant(value: Decimal) -> Facts:
    return Facts(value, value, Trend.CONSTANT)


QUANTITY_FACTS = Facts(Decimal(1), Decimal(MAX_QUANTITY), Trend.RISING)


def parameter(param: ParameterDef) -> Facts:
    low = param.minimum if param.minimum is not None else -MAX_ABS_NUMBER
    high = param.maximum if param.maximum is not None else MAX_ABS_NUMBER
    return Facts(low, high, Trend.CONSTANT)


def join_trend(trends: Sequence[Trend]) -> Trend:
    """Trend of a sum, min, max or choice: all parts must move the same way."""
    result = Trend.CONSTANT
    for trend in trends:
        if trend is Trend.CONSTANT or trend is result:
            continue
        if result is Trend.CONSTANT:
            result = trend
        else:
            return Trend.ANY
    return result


def choice(parts: Sequence[Facts]) -> Facts:
    """A value picked from ``parts`` by the configuration (lookups, if_option, if_true)."""
    return Facts(
        min(p.low for p in parts), max(p.high for p in parts), join_trend([p.trend for p in parts])
    )


def combine(op: str, parts: Sequence[Facts]) -> Facts:
    """Facts of add/sub/mul/div/min/max; a ``div`` divisor must not contain zero (caller checks)."""
    with localcontext(ANALYSIS_CONTEXT):
        result = parts[0]
        for part in parts[1:]:
            result = _pair(op, result, part)
        return result


def _pair(op: str, a: Facts, b: Facts) -> Facts:
    if op == "add":
        return Facts(a.low + b.low, a.high + b.high, join_trend([a.trend, b.trend]))
    if op == "sub":
        return Facts(a.low - b.high, a.high - b.low, join_trend([a.trend, _FLIP[b.trend]]))
    if op == "mul":
        return _multiply(a, b)
    if op == "div":
        reciprocal = Facts(1 / b.high, 1 / b.low, _FLIP[b.trend])
        return _multiply(a, reciprocal)
    if op == "min":
        return Facts(min(a.low, b.low), min(a.high, b.high), join_trend([a.trend, b.trend]))
    if op == "max":
        return Facts(max(a.low, b.low), max(a.high, b.high), join_trend([a.trend, b.trend]))
    raise ValueError(op)


def _sign(f: Facts) -> int:
    return 1 if f.low >= 0 else -1 if f.high <= 0 else 0


def _multiply(a: Facts, b: Facts) -> Facts:
    corners = (a.low * b.low, a.low * b.high, a.high * b.low, a.high * b.high)
    low, high = min(corners), max(corners)
    if a.trend is Trend.CONSTANT and b.trend is Trend.CONSTANT:
        return Facts(low, high, Trend.CONSTANT)
    sign_a, sign_b = _sign(a), _sign(b)
    if a.trend is Trend.CONSTANT or b.trend is Trend.CONSTANT:
        factor_sign, moving = (sign_a, b.trend) if a.trend is Trend.CONSTANT else (sign_b, a.trend)
        trend = moving if factor_sign > 0 else _FLIP[moving] if factor_sign < 0 else Trend.ANY
        return Facts(low, high, trend)
    if sign_a == 0 or sign_b == 0:
        return Facts(low, high, Trend.ANY)
    # |a| * |b| with both magnitudes moving the same way moves that way too.
    magnitude_a = a.trend if sign_a > 0 else _FLIP[a.trend]
    magnitude_b = b.trend if sign_b > 0 else _FLIP[b.trend]
    trend = join_trend([magnitude_a, magnitude_b])
    return Facts(low, high, trend if sign_a * sign_b > 0 else _FLIP[trend])


def rounded(op: str, part: Facts) -> Facts:
    """ceil/floor keep the trend and widen the bounds to whole numbers."""
    rounding = ROUND_CEILING if op == "ceil" else ROUND_FLOOR
    return Facts(
        part.low.to_integral_value(rounding), part.high.to_integral_value(rounding), part.trend
    )
