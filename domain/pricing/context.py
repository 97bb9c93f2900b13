"""Inputs and outputs shared by every price calculation (print rules and laser parts alike).

``CostLine`` is what a calculator produces before adjustments: a named amount in major units as a
``Decimal`` (never a float), for the whole quantity. The engine turns cost lines into a
``PriceResult`` by applying quantity breaks, minimum price, company and customer-group markups
and VAT, and rounds to integer minor units once, in one place.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class PriceContext:
    """Who asks and where: the same context always gives the same price."""

    currency: str = "EUR"
    channel_id: int | None = None
    company_id: int | None = None
    customer_group_id: int | None = None
    # Percentages as decimals of 100: Decimal("10") is +10 %, Decimal("-5") a 5 % discount.
    company_markup_percent: Decimal = Decimal(0)
    customer_group_discount_percent: Decimal = Decimal(0)
    # None: use the product's VAT rate. A company with reverse charge passes Decimal(0).
    vat_rate_percent: Decimal | None = None
    date: dt.date = field(default_factory=lambda: dt.datetime.now(dt.UTC).date())


@dataclass(frozen=True, slots=True)
class CostLine:
    """One reason for a cost, for the whole quantity, before markups and VAT."""

    code: str  # machine-readable, e.g. "setup", "sheets", "surcharge.finish.gloss", "cutting"
    label: str  # human-readable, e.g. "Setup", "Paper: 125 sheets"
    amount: Decimal  # major units, whole quantity
    # Setup-like lines are not discounted by quantity breaks; variable ones are.
    variable: bool = True
