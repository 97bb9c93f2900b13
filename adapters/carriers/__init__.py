"""Carrier adapters behind the port `domain.fulfilment.carriers.Carrier`."""
