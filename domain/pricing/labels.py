"""Human-readable text of price lines: label templates, numbers and "how it was computed".

Label templates are compiled once per product version into renderers, so a price only joins a
few strings. Numbers here are counts and rates for display, never money (money is ``Money``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from functools import lru_cache

from domain.pricing.components import LabelPart
from domain.pricing.parameters import ParameterKind, ParamValue
from domain.pricing.spec import ProductSpec

TIMES = "\N{MULTIPLICATION SIGN}"
_PLACES = {3: Decimal("0.001"), 6: Decimal("0.000001")}

# (checked values, derived values, quantity, the line's count) -> text
Renderer = Callable[[Mapping[str, ParamValue], Mapping[str, Decimal], Decimal, Decimal | None], str]


@lru_cache(maxsize=4096)
def number_text(value: Decimal | None, places: int = 3) -> str:
    """Display form of a count or rate: no exponent, no trailing zeros, at most ``places``."""
    if value is None:
        return ""
    if value == value.to_integral_value():
        return str(int(value))
    text = format(value.quantize(_PLACES[places]), "f")
    return text.rstrip("0").rstrip(".")


@lru_cache(maxsize=8192)
def line_detail(
    scaled: bool, unit: str | None, count: Decimal | None, rate: Decimal, factor: Decimal
) -> str | None:
    """E.g. "250 x 0.06 x 0.85": count, rate and the quantity-break factor when it applies."""
    suffix = f" {TIMES} {number_text(factor, 6)}" if scaled else ""
    if count is None:
        return f"{TIMES} {number_text(factor, 6)} quantity break" if scaled else None
    counted = number_text(count) if unit is None else f"{number_text(count)} {unit}"
    return f"{counted} {TIMES} {number_text(rate, 6)}{suffix}"


def _getter(spec: ProductSpec, part: LabelPart) -> Renderer:
    if isinstance(part, str):
        return lambda values, refs, quantity, count: part
    kind, name = part
    if kind == "quantity":
        return lambda values, refs, quantity, count: number_text(quantity)
    if kind == "count":
        return lambda values, refs, quantity, count: number_text(count)
    if kind == "ref":
        return lambda values, refs, quantity, count: number_text(refs.get(name))
    param = spec.parameter(name)
    if param is None:  # unreachable for checked rules
        return lambda values, refs, quantity, count: ""
    if param.kind is ParameterKind.ENUM:
        options = {option.key: option.label for option in param.options}
        return lambda values, refs, quantity, count: options.get(str(values.get(name)), "")

    def describe(
        values: Mapping[str, ParamValue],
        refs: Mapping[str, Decimal],
        quantity: Decimal,
        count: Decimal | None,
    ) -> str:
        value = values.get(name)
        return "" if value is None else param.describe(value)

    return describe


def compile_label(spec: ProductSpec, parts: tuple[LabelPart, ...]) -> Renderer:
    """A renderer for a checked label template; a constant for labels without placeholders."""
    if all(isinstance(part, str) for part in parts):
        text = "".join(str(part) for part in parts)
        return lambda values, refs, quantity, count: text
    getters = [_getter(spec, part) for part in parts]
    return lambda values, refs, quantity, count: "".join(
        [get(values, refs, quantity, count) for get in getters]
    )
