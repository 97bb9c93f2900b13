"""Billing: invoices with gapless numbers, credit notes, e-invoices and the accounting export.

Learns of orders through `OrderStatusChanged` (domain/orders/signals.py); orders imports
nothing of it. See docs/billing.md."""
