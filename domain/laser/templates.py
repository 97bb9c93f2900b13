"""Parametric laser parts: validated parameters in, a DXF drawing out.

A template's DXF goes through ``analyse_dxf`` like any upload, so quoting a template part and
quoting a drawn part share one path (and one set of checks). Parameter problems are
``DomainError``s with ``field=("parameters", key)`` so the form can mark the right input.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping
from decimal import Decimal

from domain.laser.errors import LaserErrorCode, fmt_mm
from domain.laser.template_catalogue import CATALOGUE, l_bracket_developed_length
from domain.laser.template_shapes import (
    MIN_WEB_MM,
    ParameterDef,
    PartShapes,
    TemplateDef,
    bad,
)
from domain.shared.errors import DomainError, ErrorCollector, excerpt

__all__ = [
    "MIN_WEB_MM",
    "TEMPLATES",
    "ParameterDef",
    "TemplateDef",
    "generate",
    "l_bracket_developed_length",
    "resolve_parameters",
]

TEMPLATES: dict[str, TemplateDef] = {t.key: t for t in CATALOGUE}

ParameterValue = float | int | Decimal


def resolve_parameters(template_key: str, params: Mapping[str, ParameterValue]) -> dict[str, float]:
    """Every parameter of the template as a float, defaults filled in, all rules checked.

    Raises ``DomainError`` with every problem at once: UNKNOWN_TEMPLATE, or
    INVALID_TEMPLATE_PARAMETER for unknown keys, values out of range, fractional counts and
    impossible combinations.
    """
    template = TEMPLATES.get(template_key)
    if template is None:
        known = ", ".join(sorted(TEMPLATES))
        raise DomainError.single(
            LaserErrorCode.UNKNOWN_TEMPLATE,
            f"Unknown template {excerpt(template_key)}; choose one of {known}",
            "template",
        )
    errors = ErrorCollector()
    known_keys = {p.key for p in template.parameters}
    for key in sorted(set(params) - known_keys):
        bad(errors, key, f"{template.name} has no parameter {excerpt(key)}")
    values = {p.key: _value(p, params.get(p.key, p.default), errors) for p in template.parameters}
    errors.raise_if_any()
    template.check(values, errors)
    errors.raise_if_any()
    return values


def generate(template_key: str, params: Mapping[str, ParameterValue]) -> bytes:
    """The part as a DXF (R2010, millimetres), ready for ``analyse_dxf``."""
    values = resolve_parameters(template_key, params)
    return _to_dxf(TEMPLATES[template_key].draw(values))


def _value(param: ParameterDef, raw: object, errors: ErrorCollector) -> float:
    # bool is an int in Python, but "width: true" is a client bug, not a width of 1 mm.
    if isinstance(raw, bool) or not isinstance(raw, int | float | Decimal):
        bad(errors, param.key, f"{param.label} must be a number")
        return param.default
    value = float(raw)
    unit = "" if param.unit != "mm" else " mm"
    if not math.isfinite(value):
        bad(errors, param.key, f"{param.label} must be a finite number")
    elif not param.minimum <= value <= param.maximum:
        bad(
            errors,
            param.key,
            f"{param.label} must be between {fmt_mm(param.minimum)}{unit} and "
            f"{fmt_mm(param.maximum)}{unit}, not {fmt_mm(value)}{unit}",
        )
    elif param.unit == "count" and value != int(value):
        bad(errors, param.key, f"{param.label} must be a whole number")
    return value


def _to_dxf(shapes: PartShapes) -> bytes:
    # ezdxf loads with the first drawing: the catalogue and parameter checks do not need it.
    from ezdxf.filemanagement import new as new_drawing

    doc = new_drawing("R2010", units=4)
    doc.layers.add("CUT", color=7)
    msp = doc.modelspace()
    attribs = {"layer": "CUT"}
    for shape in shapes.outlines:
        msp.add_lwpolyline(shape, format="xyb", close=True, dxfattribs=attribs)
    for x, y, radius in shapes.circles:
        msp.add_circle((x, y), radius, dxfattribs=attribs)
    stream = io.StringIO()
    doc.write(stream)
    return stream.getvalue().encode("utf-8")
