from __future__ import annotations

from decimal import Decimal

import pytest

from domain.pricing.demo_products import DEMO_PRODUCTS
from domain.pricing.engine import CompiledPricing, compile_pricing
from domain.pricing.spec import ProductSpec


def compiled_demo(name: str) -> CompiledPricing:
    product = DEMO_PRODUCTS[name]
    return compile_pricing(ProductSpec.from_json(product["spec"]), product["rules"])


@pytest.fixture(scope="session")
def leaflet() -> CompiledPricing:
    return compiled_demo("leaflet")


@pytest.fixture(scope="session")
def business_cards() -> CompiledPricing:
    return compiled_demo("business-cards")


@pytest.fixture(scope="session")
def brochure() -> CompiledPricing:
    return compiled_demo("folded-brochure")


def amounts(result: object) -> dict[str, int]:
    """Line code -> minor units, for compact assertions."""
    return {line.code: line.amount.amount for line in result.lines}  # type: ignore[attr-defined]


D = Decimal
