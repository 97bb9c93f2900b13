"""Where one order line is made: its own override, else a rule for its product, else a rule
for its laser material, else own production. Pure, unit-tested."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class LineFacts:
    """What routing reads of an order line."""

    line_id: int
    product_id: int | None
    specification: Mapping[str, Any]
    route_supplier_id: int | None = None
    route_own_production: bool = False

    @property
    def laser_material_code(self) -> str | None:
        part = self.specification.get("part")
        code = part.get("materialCode") if isinstance(part, Mapping) else None
        return str(code) if code else None


@dataclass(frozen=True, slots=True)
class RuleBook:
    """The shop's rules: product id -> supplier id (None: own production), likewise per laser
    material code."""

    by_product: Mapping[int, int | None]
    by_material: Mapping[str, int | None]


def supplier_for(line: LineFacts, rules: RuleBook) -> int | None:
    """The supplier that makes ``line``; None: own production."""
    if line.route_own_production:
        return None
    if line.route_supplier_id is not None:
        return line.route_supplier_id
    if line.product_id is not None and line.product_id in rules.by_product:
        return rules.by_product[line.product_id]
    code = line.laser_material_code
    if code is not None and code in rules.by_material:
        return rules.by_material[code]
    return None
