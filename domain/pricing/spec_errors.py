"""Error codes of product specifications and configurations (the catalog area's codes,
re-exported by domain.catalog.errors).

Definition codes describe a broken product specification (shop data, raised as ``DomainError``
when the specification is saved); configuration codes describe a customer's choice that the
specification does not allow (returned as messages, never raised, so a configurator can show them
next to the field).
"""

from __future__ import annotations

from enum import Enum


class CatalogErrorCode(Enum):
    # Definition of a product specification.
    INVALID_SPEC = "INVALID_SPEC"
    INVALID_PARAMETER = "INVALID_PARAMETER"
    DUPLICATE_PARAMETER = "DUPLICATE_PARAMETER"
    INVALID_OPTION = "INVALID_OPTION"
    DUPLICATE_OPTION = "DUPLICATE_OPTION"
    INVALID_RANGE = "INVALID_RANGE"
    INVALID_DEFAULT = "INVALID_DEFAULT"
    INVALID_RULE = "INVALID_RULE"
    # Configuration checked against a specification.
    UNKNOWN_PARAMETER = "UNKNOWN_PARAMETER"
    REQUIRED = "REQUIRED"
    INVALID_VALUE = "INVALID_VALUE"
    UNKNOWN_OPTION = "UNKNOWN_OPTION"
    BELOW_MINIMUM = "BELOW_MINIMUM"
    ABOVE_MAXIMUM = "ABOVE_MAXIMUM"
    OFF_STEP = "OFF_STEP"
    TOO_LONG = "TOO_LONG"
    OPTION_UNAVAILABLE = "OPTION_UNAVAILABLE"
    OUT_OF_RANGE = "OUT_OF_RANGE"
    # Catalog records and staff commands.
    NOT_FOUND = "NOT_FOUND"
    # Listed, but staff turned ordering it off (Product.purchasable).
    NOT_PURCHASABLE = "NOT_PURCHASABLE"
    # A product priced by another query (a laser part: partQuote, with its drawing).
    PRICED_BY_PART_QUOTE = "PRICED_BY_PART_QUOTE"
    INVALID_CODE = "INVALID_CODE"
    DUPLICATE_CODE = "DUPLICATE_CODE"
    INVALID_CURRENCY = "INVALID_CURRENCY"
