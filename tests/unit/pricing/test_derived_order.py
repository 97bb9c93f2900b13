"""Derived values may come in any key order: PostgreSQL's jsonb re-sorts object keys, so a rule
document read back from the database must price exactly as the one that was saved."""

from __future__ import annotations

import itertools

import pytest

from domain.pricing.context import PriceContext
from domain.pricing.demo_products import DEMO_PRODUCTS
from domain.pricing.engine import compile_pricing, evaluate
from domain.pricing.spec import ProductSpec
from domain.shared.errors import DomainError


@pytest.mark.parametrize("code", sorted(DEMO_PRODUCTS))
def test_every_order_of_derived_values_prices_the_same(code: str) -> None:
    data = DEMO_PRODUCTS[code]
    spec = ProductSpec.from_json(data["spec"])
    expected = evaluate(compile_pricing(spec, data["rules"]), data["example"], 500, PriceContext())
    assert expected.valid
    derived = list(data["rules"].get("derived", {}).items())
    for order in itertools.permutations(derived):
        rules = {**data["rules"], "derived": dict(order)}
        got = evaluate(compile_pricing(spec, rules), data["example"], 500, PriceContext())
        assert got == expected


def test_a_cycle_between_derived_values_is_refused() -> None:
    data = DEMO_PRODUCTS["leaflet"]
    rules = {
        **data["rules"],
        "derived": {**data["rules"]["derived"], "a": {"ref": "b"}, "b": {"add": [{"ref": "a"}, 1]}},
    }
    with pytest.raises(DomainError) as info:
        compile_pricing(ProductSpec.from_json(data["spec"]), rules)
    codes = {(d.code.name, d.field) for d in info.value.details}
    assert ("INVALID_DERIVED", ("rules", "derived", "a")) in codes
    assert ("INVALID_DERIVED", ("rules", "derived", "b")) in codes
