"""The price rule language: declarative JSON, validated against the product spec, never eval'd.

Expressions (``expr``)
    ``12``, ``"0.045"``         a literal: integer or decimal *string* (floats are refused)
    ``"quantity"``              the ordered quantity (pieces)
    ``{"param": k}``            a numeric parameter (integer/decimal, required or with a default)
    ``{"ref": name}``           a value from ``derived`` (in any order; cycles are refused)
    ``{"lookup": {"param": k, "table": {option: number}, "default": n}}``  per enum option;
                                without ``default`` the table must price every option
    ``{"add"|"sub"|"mul"|"div"|"min"|"max": [e1, e2, ...]}``  left to right, 2 to 50 args
    ``{"ceil": e}``, ``{"floor": e}``  to whole numbers (sheets, packs)
    ``{"if_option": {"param": k, "option": o, "then": e, "else": e}}``  enum choice
    ``{"if_true": {"param": k, "then": e, "else": e}}``                 boolean choice
    Limits: depth 24, 2,000 nodes per document. Divisors must provably not be zero.

Document
    ``currency``          ISO code, e.g. "EUR"
    ``vat_rate_percent``  "19"; a price context may override it (reverse charge: "0")
    ``derived``           optional ``{name: expr}``, evaluated after what each refers to
    ``components``        list, each with a unique ``code`` and a ``label``:
      ``setup``     ``amount``: expr for the whole order; not reduced by quantity breaks
      ``per_unit``  ``amount`` per piece, times the quantity
      ``per_sheet`` ``amount`` per sheet, times ``sheets`` (expr)
      ``per_area``  ``amount_per_m2``, times ``area_mm2`` (expr, one piece) times the quantity
      ``formula``   ``amount``: expr for the whole order; ``variable`` (default true) says
                    whether quantity breaks reduce it
      ``option_surcharge``  ``param`` (enum or boolean, options "true"/"false"), ``options``:
                    ``{option: {"setup": expr, "per_unit": expr, "label": text}}``, optional
                    ``code`` (default ``surcharge.<param>``) giving lines ``<code>.<option>`` and
                    ``<code>.<option>.setup``
    ``quantity_breaks``   optional; first ``min_quantity`` 1, strictly increasing quantities,
                          non-increasing ``factor`` > 0, applied to variable lines
    ``minimum_net``       optional, e.g. "25.00": the net price before customer adjustments is
                          raised to it by a "minimum price adjustment" line

Labels may contain ``{quantity}``, ``{count}`` (the sheets, pieces or m² a per_unit, per_sheet or
per_area line charges), ``{<derived name>}`` and ``{<parameter key>}`` (option label or value):
``"Paper {paper}: {count} sheets SRA3"`` becomes ``"Paper 135 g/m² gloss: 250 sheets SRA3"``.
A line whose amount is zero is left out. Every component's cost must be provably non-decreasing
in the quantity (NOT_MONOTONE otherwise); that is what the engine's price guarantees rest on.

Full example, a leaflet (parameters size, pages 1-2, paper, colour, finish, rounded_corners)::

    {
      "currency": "EUR", "vat_rate_percent": "19", "minimum_net": "25.00",
      "derived": {
        "ups": {"lookup": {"param": "size", "table": {"a6": 8, "dl": 6, "a5": 4, "a4": 2}}},
        "sheets": {"ceil": {"div": ["quantity", {"ref": "ups"}]}},
        "impressions": {"mul": [{"ref": "sheets"}, {"param": "pages"}]}
      },
      "components": [
        {"type": "setup", "code": "setup", "label": "Print setup", "amount": "12.00"},
        {"type": "per_sheet", "code": "paper", "label": "Paper {paper}: {count} sheets SRA3",
         "amount": {"lookup": {"param": "paper",
                               "table": {"90": "0.040", "135": "0.060", "170": "0.080"}}},
         "sheets": {"ref": "sheets"}},
        {"type": "per_sheet", "code": "printing", "label": "Printing: {count} impressions",
         "amount": {"lookup": {"param": "colour", "table": {"cmyk": "0.090", "black": "0.020"}}},
         "sheets": {"ref": "impressions"}},
        {"type": "per_sheet", "code": "cutting", "label": "Cutting: {count} sheets",
         "amount": "0.015", "sheets": {"ref": "sheets"}},
        {"type": "option_surcharge", "param": "finish", "options": {
           "gloss": {"setup": "8.00", "per_unit": {"lookup": {"param": "size",
                     "table": {"a6": "0.004", "dl": "0.006", "a5": "0.008", "a4": "0.016"}}}},
           "matt": {"setup": "8.00", "per_unit": {"lookup": {"param": "size",
                     "table": {"a6": "0.005", "dl": "0.007", "a5": "0.009", "a4": "0.018"}}}}}},
        {"type": "option_surcharge", "code": "corners", "param": "rounded_corners",
         "options": {"true": {"setup": "5.00", "per_unit": "0.003"}}}
      ],
      "quantity_breaks": [{"min_quantity": 1, "factor": "1"}, {"min_quantity": 250, "factor":
        "0.95"}, {"min_quantity": 500, "factor": "0.90"}, {"min_quantity": 1000, "factor": "0.85"}]
    }
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from domain.pricing.analysis import MAX_QUANTITY, Trend
from domain.pricing.components import Component, parse_component
from domain.pricing.errors import PricingErrorCode as Code
from domain.pricing.expressions import Expr, Scope, parse_expression, parse_number
from domain.pricing.spec import ProductSpec
from domain.shared.errors import DomainError, ErrorCollector
from domain.shared.money import minor_unit_exponent

__all__ = ["Component", "QuantityBreak", "RuleSet", "parse_rules"]

MAX_COMPONENTS = 100
MAX_BREAKS = 50
MAX_DERIVED = 50
_DOCUMENT_FIELDS = frozenset(
    {"currency", "vat_rate_percent", "derived", "components", "quantity_breaks", "minimum_net"}
)
_RESERVED = frozenset({"quantity", "count"})
_ROOT = ("rules",)


@dataclass(frozen=True, slots=True)
class QuantityBreak:
    min_quantity: int
    factor: Decimal


@dataclass(frozen=True, slots=True)
class RuleSet:
    """A validated rule document in typed form, ready to compile."""

    currency: str
    vat_rate_percent: Decimal
    minimum_net: Decimal
    quantity_breaks: tuple[QuantityBreak, ...]
    derived: tuple[tuple[str, Expr], ...]
    components: tuple[Component, ...]


def parse_rules(spec: ProductSpec, data: object) -> RuleSet:
    """Validate a rule document against ``spec``; raise one DomainError listing every problem."""
    if not isinstance(data, Mapping):
        raise DomainError.single(Code.INVALID_RULES, "Price rules must be a JSON object.", _ROOT)
    try:
        return _parse(spec, data)
    except ArithmeticError as exc:  # bounds of absurdly large expressions; never shop-sized ones
        message = "The expressions are too large to analyse."
        raise DomainError.single(Code.TOO_COMPLEX, message, _ROOT) from exc


def _parse(spec: ProductSpec, data: Mapping[str, Any]) -> RuleSet:
    errors = ErrorCollector()
    for name in data:
        if name not in _DOCUMENT_FIELDS:
            errors.add(
                Code.INVALID_RULES, f"Unknown field '{str(name)[:64]}'.", (*_ROOT, str(name)[:64])
            )
    currency = data.get("currency")
    if (
        not isinstance(currency, str)
        or len(currency) != 3
        or not currency.isupper()
        or not currency.isalpha()
    ):
        errors.add(
            Code.INVALID_CURRENCY,
            "Currency: a three-letter ISO code such as EUR.",
            (*_ROOT, "currency"),
        )
        currency = "EUR"
    vat = _percent(data.get("vat_rate_percent"), errors)
    minimum = _minimum(data.get("minimum_net", "0"), currency, errors)
    breaks = _breaks(data.get("quantity_breaks", [{"min_quantity": 1, "factor": "1"}]), errors)
    scope = Scope(spec, errors)
    derived = _derived(data.get("derived", {}), scope)
    components: list[Component] = []
    raw_components = data.get("components")
    if not isinstance(raw_components, list) or not 0 < len(raw_components) <= MAX_COMPONENTS:
        message = f"'components' is a list of 1 to {MAX_COMPONENTS} components."
        errors.add(Code.INVALID_RULES, message, (*_ROOT, "components"))
        raw_components = []
    for index, raw in enumerate(raw_components):
        path = (*_ROOT, "components", str(index))
        for component, facts in parse_component(raw, path, scope):
            if any(c.code == component.code for c in components):
                message = f"Line code '{component.code}' is used twice."
                errors.add(Code.DUPLICATE_CODE, message, (*path, "code"))
            elif facts.trend not in (Trend.CONSTANT, Trend.RISING):
                message = (
                    f"'{component.code}' could cost less for a larger quantity; a price must not "
                    "fall when more is ordered (check subtractions, divisions by the quantity "
                    "and negative factors)."
                )
                errors.add(Code.NOT_MONOTONE, message, path)
            else:
                components.append(component)
    errors.raise_if_any()
    assert vat is not None and minimum is not None and breaks is not None
    return RuleSet(currency, vat, minimum, breaks, tuple(derived), tuple(components))


def _percent(raw: object, errors: ErrorCollector) -> Decimal | None:
    path = (*_ROOT, "vat_rate_percent")
    value = parse_number(raw, path, errors) if raw is not None else None
    if value is None or not 0 <= value <= 100:
        errors.add(Code.INVALID_VAT_RATE, 'VAT rate: a percentage from 0 to 100, e.g. "19".', path)
        return None
    return value


def _minimum(raw: object, currency: str, errors: ErrorCollector) -> Decimal | None:
    path = (*_ROOT, "minimum_net")
    value = parse_number(raw, path, errors)
    exponent = minor_unit_exponent(currency)
    if value is None or value < 0 or value != round(value, exponent):
        message = f"Minimum net: zero or more, at most {exponent} decimals."
        errors.add(Code.INVALID_MINIMUM, message, path)
        return None
    return value


def _breaks(raw: object, errors: ErrorCollector) -> tuple[QuantityBreak, ...] | None:
    path = (*_ROOT, "quantity_breaks")
    if not isinstance(raw, list) or not 0 < len(raw) <= MAX_BREAKS:
        errors.add(Code.INVALID_QUANTITY_BREAKS, f"A list of 1 to {MAX_BREAKS} breaks.", path)
        return None
    breaks: list[QuantityBreak] = []
    for index, item in enumerate(raw):
        ipath = (*path, str(index))
        if not isinstance(item, Mapping) or set(item) != {"min_quantity", "factor"}:
            message = 'A break is {"min_quantity": n, "factor": "0.9"}.'
            errors.add(Code.INVALID_QUANTITY_BREAKS, message, ipath)
            return None
        quantity = item["min_quantity"]
        factor = parse_number(item["factor"], (*ipath, "factor"), errors)
        if (
            not isinstance(quantity, int)
            or isinstance(quantity, bool)
            or not 1 <= quantity <= MAX_QUANTITY
        ):
            errors.add(
                Code.INVALID_QUANTITY_BREAKS, "A whole number of pieces.", (*ipath, "min_quantity")
            )
            return None
        if factor is None or factor <= 0:
            errors.add(
                Code.INVALID_QUANTITY_BREAKS, "The factor must be above 0.", (*ipath, "factor")
            )
            return None
        if index == 0 and quantity != 1:
            errors.add(
                Code.INVALID_QUANTITY_BREAKS,
                "The first break starts at 1.",
                (*ipath, "min_quantity"),
            )
            return None
        if breaks and quantity <= breaks[-1].min_quantity:
            message = "Break quantities must strictly increase."
            errors.add(Code.INVALID_QUANTITY_BREAKS, message, (*ipath, "min_quantity"))
            return None
        if breaks and factor > breaks[-1].factor:
            message = "A larger quantity may not have a larger factor."
            errors.add(Code.INVALID_QUANTITY_BREAKS, message, (*ipath, "factor"))
            return None
        breaks.append(QuantityBreak(quantity, factor))
    return tuple(breaks)


def _refs(expr: object) -> set[str]:
    """Names an expression refers to with {"ref": name}, anywhere inside it."""
    if isinstance(expr, Mapping):
        found = {str(expr["ref"])} if len(expr) == 1 and "ref" in expr else set()
        for value in expr.values():
            found |= _refs(value)
        return found
    if isinstance(expr, list | tuple):
        return set().union(*(_refs(x) for x in expr)) if expr else set()
    return set()


def _dependency_order(
    raw: Mapping[Any, Any], path: tuple[str, ...], scope: Scope
) -> list[tuple[Any, Any]]:
    """Derived values in an order where each comes after what it refers to. JSON objects have
    no dependable key order (PostgreSQL's jsonb re-sorts keys), so the document's order cannot
    be relied on; a cycle is refused."""
    items = list(raw.items())
    names = {str(n) for n, _ in items}
    needs = {str(n): _refs(e) & names for n, e in items}
    ordered: list[tuple[Any, Any]] = []
    placed: set[str] = set()
    pending = items
    while pending:
        ready = [(n, e) for n, e in pending if needs[str(n)] <= placed]
        if not ready:
            for n, _ in pending:
                scope.errors.add(
                    Code.INVALID_DERIVED,
                    "Derived values refer to each other in a cycle.",
                    (*path, str(n)[:64]),
                )
                scope.broken.add(str(n))
            break
        ordered += ready
        placed |= {str(n) for n, _ in ready}
        pending = [(n, e) for n, e in pending if str(n) not in placed]
    return ordered


def _derived(raw: object, scope: Scope) -> list[tuple[str, Expr]]:
    path = (*_ROOT, "derived")
    if not isinstance(raw, Mapping) or len(raw) > MAX_DERIVED:
        message = f"'derived' maps up to {MAX_DERIVED} names to expressions."
        scope.errors.add(Code.INVALID_DERIVED, message, path)
        return []
    derived: list[tuple[str, Expr]] = []
    for name, expr in _dependency_order(raw, path, scope):
        npath = (*path, str(name)[:64])
        valid_name = isinstance(name, str) and name.isidentifier() and name.islower()
        if not valid_name or name in _RESERVED or scope.spec.parameter(str(name)) is not None:
            message = (
                "A derived name: lowercase identifier, not a parameter key, quantity or count."
            )
            scope.errors.add(Code.INVALID_DERIVED, message, npath)
            continue
        parsed = parse_expression(expr, npath, scope)
        if parsed is None:
            scope.broken.add(str(name))  # later references stay quiet: reported here already
            continue
        scope.derived[str(name)] = parsed[1]
        derived.append((str(name), parsed[0]))
    return derived
