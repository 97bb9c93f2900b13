"""Error codes of the integrations area (API keys, webhooks), returned in mutation payloads."""

from __future__ import annotations

from enum import Enum


class IntegrationErrorCode(Enum):
    NOT_FOUND = "NOT_FOUND"
    PERMISSION_DENIED = "PERMISSION_DENIED"
    REQUIRED = "REQUIRED"
    INVALID = "INVALID"
    DUPLICATE_NAME = "DUPLICATE_NAME"
    REVOKED = "REVOKED"
    INVALID_URL = "INVALID_URL"
    FORBIDDEN_TARGET = "FORBIDDEN_TARGET"
    INVALID_DOCUMENT = "INVALID_DOCUMENT"
