"""The weight of the goods on an order, for shipping rates and parcels: pure functions over
what the line-pricing strategies put in a line's specification.

- Print products: paper weight (g/m²) x area of the finished size x leaves x quantity. The
  paper weight is the leading number of the ``paper_weight``, ``grammage`` or ``paper``
  parameter ("135" or "135 g/m² gloss"); the size is ``width_mm`` x ``height_mm``, or a known
  format key in ``size``/``format`` (ISO A/B sizes, DL, business cards); ``pages`` counts
  printed pages, two on each leaf (a leaflet printed on both sides is one leaf, an 8-page
  brochure four). A product without paper weight or size weighs nothing here.
- Laser parts: the part's mass (``part.weightKgEach``, from its geometry and material density).
- Stock items: the item's unit weight (``stockItem.unitWeightG``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

# Finished sizes in millimetres (width, height) by the keys products use.
FORMATS_MM: dict[str, tuple[float, float]] = {
    "a3": (297, 420),
    "a4": (210, 297),
    "a5": (148, 210),
    "a6": (105, 148),
    "a7": (74, 105),
    "b5": (176, 250),
    "dl": (99, 210),
    "square": (148, 148),
    "standard": (85, 55),  # business card
    "euro": (85, 55),
    "us": (89, 51),
}

_PAPER_KEYS = ("paper_weight", "grammage", "paper")
_SIZE_KEYS = ("size", "format")
_LEADING_NUMBER = re.compile(r"^\s*(\d+(?:\.\d+)?)")


@dataclass(frozen=True, slots=True)
class Goods:
    """One line as shipping sees it: its kind, specification and quantity."""

    kind: str
    specification: Mapping[str, Any]
    quantity: int


def _number(value: object) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        found = _LEADING_NUMBER.match(value)
        return float(found.group(1)) if found else None
    return None


def _values(spec: Mapping[str, Any]) -> Mapping[str, Any]:
    values = spec.get("values")
    return values if isinstance(values, Mapping) else {}


def _area_m2(values: Mapping[str, Any]) -> float | None:
    width, height = _number(values.get("width_mm")), _number(values.get("height_mm"))
    if width is not None and height is not None:
        return width * height / 1_000_000
    for key in _SIZE_KEYS:
        size = FORMATS_MM.get(str(values.get(key, "")).lower())
        if size is not None:
            return size[0] * size[1] / 1_000_000
    return None


def print_weight_g(spec: Mapping[str, Any], quantity: int) -> float:
    """Paper weight x area x leaves x quantity, in grams (0 when the spec does not say)."""
    values = _values(spec)
    grammage = next(
        (g for g in (_number(values.get(k)) for k in _PAPER_KEYS) if g is not None), None
    )
    area = _area_m2(values)
    if grammage is None or area is None:
        return 0.0
    pages = _number(values.get("pages")) or 1.0
    leaves = max(1, math.ceil(pages / 2))
    return grammage * area * leaves * quantity


def line_weight_g(goods: Goods) -> float:
    """The weight of one line's goods in grams."""
    spec = goods.specification
    part = spec.get("part")
    if isinstance(part, Mapping):
        return float(_number(part.get("weightKgEach")) or 0.0) * 1000 * goods.quantity
    item = spec.get("stockItem")
    if isinstance(item, Mapping):
        return float(_number(item.get("unitWeightG")) or 0.0) * goods.quantity
    return print_weight_g(spec, goods.quantity)


def total_weight_g(goods: Iterable[Goods]) -> int:
    """The weight of all goods in whole grams, rounded up (a rate bracket is a maximum)."""
    return math.ceil(sum(line_weight_g(g) for g in goods))
