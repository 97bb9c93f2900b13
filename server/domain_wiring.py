"""Start-up wiring of the domain's seams: which strategy prices each kind of order line, which
areas react to orders, and which carriers ship. Every process (API server, CLI, tests) calls
`wire_domain` once before serving; it is idempotent. See docs/architecture.md.

To plug in a new area: give it a `LinePricing` strategy (domain/pricing/lines.py) and/or a
`subscribe()` that calls `domain.shared.domain_events.subscribe(OrderStatusChanged, ...)`
(domain/orders/signals.py), and add it here.
"""

from __future__ import annotations

from collections.abc import Sequence

from adapters.carriers.builtin import BuiltinCarrier
from domain.billing import order_events as billing_order_events
from domain.catalog.line_pricing import ProductLinePricing
from domain.fulfilment import promises, terms
from domain.fulfilment.carriers import Carrier, register_carrier
from domain.fulfilment.line_pricing import ShippingLinePricing
from domain.laser.line_pricing import PartLinePricing
from domain.notifications import wiring as notifications
from domain.payments import billing_ledger
from domain.payments import methods as payment_methods
from domain.pricing.lines import register_line_pricing
from domain.production import order_events as production_order_events
from domain.quotes.line_pricing import QuoteLinePricing
from domain.routing import wiring as routing_wiring
from domain.stock import calloff
from domain.stock.line_pricing import StockItemLinePricing


def wire_domain(
    shop_terms: terms.ShopTerms | None = None, carriers: Sequence[Carrier] = ()
) -> None:
    """Register the line-pricing strategies, the payment methods (domain/payments/methods.py,
    through the orders' payment seam), the order subscribers (the delivery promise first, so
    production's jobs get the promised dispatch date as their due date), the built-in carrier
    and any configured ones, the shop's delivery terms and the event-stream followers
    (notifications). Billing is the last order subscriber: an order's invoice is issued once
    the other areas have reacted; payments' invoice ledger records payments on invoices."""
    if shop_terms is not None:
        terms.configure(shop_terms)
    register_line_pricing(ProductLinePricing())
    register_line_pricing(PartLinePricing())
    register_line_pricing(StockItemLinePricing())
    register_line_pricing(ShippingLinePricing())
    register_line_pricing(QuoteLinePricing())
    payment_methods.register()
    register_carrier(BuiltinCarrier())
    for carrier in carriers:
        register_carrier(carrier)
    promises.subscribe()
    production_order_events.subscribe()
    routing_wiring.subscribe()
    calloff.subscribe()
    billing_order_events.subscribe()
    billing_ledger.subscribe()  # payments settle billing's invoices; refunds credit them
    notifications.subscribe()
