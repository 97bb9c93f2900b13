"""Start-up wiring of the domain's seams: which strategy prices each kind of order line, and
which areas react to orders. Every process (API server, CLI, tests) calls `wire_domain` once
before serving; it is idempotent. See docs/architecture.md.

To plug in a new area: give it a `LinePricing` strategy (domain/pricing/lines.py) and/or a
`subscribe()` that calls `domain.shared.domain_events.subscribe(OrderStatusChanged, ...)`
(domain/orders/signals.py), and add it here.
"""

from __future__ import annotations

from domain.catalog.line_pricing import ProductLinePricing
from domain.laser.line_pricing import PartLinePricing
from domain.payments import methods as payment_methods
from domain.pricing.lines import register_line_pricing
from domain.production import order_events as production_order_events
from domain.stock import calloff
from domain.stock.line_pricing import StockItemLinePricing


def wire_domain() -> None:
    """Register the line-pricing strategies, the payment methods (domain/payments/methods.py,
    through the orders' payment seam) and the order subscribers (production first)."""
    register_line_pricing(ProductLinePricing())
    register_line_pricing(PartLinePricing())
    register_line_pricing(StockItemLinePricing())
    payment_methods.register()
    production_order_events.subscribe()
    calloff.subscribe()
