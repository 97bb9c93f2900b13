"""Fulfilment: from a released order to the customer's door (delivery dates for now)."""
