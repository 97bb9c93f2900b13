"""Error codes of the routing area, returned in mutation payloads."""

from __future__ import annotations

from enum import Enum


class RoutingErrorCode(Enum):
    NOT_FOUND = "NOT_FOUND"
    PERMISSION_DENIED = "PERMISSION_DENIED"
    REQUIRED = "REQUIRED"
    INVALID = "INVALID"
    INVALID_URL = "INVALID_URL"
    INVALID_TRANSITION = "INVALID_TRANSITION"
    DUPLICATE_RULE = "DUPLICATE_RULE"
    NO_CHANNEL = "NO_CHANNEL"
    SUPPLIER_INACTIVE = "SUPPLIER_INACTIVE"
    TOKEN_INVALID = "TOKEN_INVALID"
