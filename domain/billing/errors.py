"""Error codes of the billing area."""

from __future__ import annotations

from enum import StrEnum


class BillingErrorCode(StrEnum):
    NOT_FOUND = "NOT_FOUND"
    PERMISSION_DENIED = "PERMISSION_DENIED"
    NOTHING_TO_INVOICE = "NOTHING_TO_INVOICE"  # no delivered, uninvoiced order
    ALREADY_INVOICED = "ALREADY_INVOICED"
    INVOICED_EXTERNALLY = "INVOICED_EXTERNALLY"  # the order or group is billed elsewhere
    NOT_DELIVERED = "NOT_DELIVERED"
    INVALID_VAT_ID = "INVALID_VAT_ID"
    INVALID_AMOUNT = "INVALID_AMOUNT"
    EXCEEDS_INVOICE = "EXCEEDS_INVOICE"  # credit or payment larger than what is open
    INVALID_LINE = "INVALID_LINE"
    INVALID_PERIOD = "INVALID_PERIOD"
    CURRENCY_MISMATCH = "CURRENCY_MISMATCH"
