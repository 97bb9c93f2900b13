"""Error codes of the notification area."""

from __future__ import annotations

from enum import StrEnum


class NotificationErrorCode(StrEnum):
    NOT_FOUND = "NOT_FOUND"
    PERMISSION_DENIED = "PERMISSION_DENIED"
    TEMPLATE_SYNTAX = "TEMPLATE_SYNTAX"  # not valid Jinja2 (the message names the line)
    TEMPLATE_UNDEFINED = "TEMPLATE_UNDEFINED"  # names a variable the event does not have
    TEMPLATE_UNSAFE = "TEMPLATE_UNSAFE"  # reaches for what the sandbox forbids
    TEMPLATE_ERROR = "TEMPLATE_ERROR"  # fails while rendering otherwise
    UNSUPPORTED_LANGUAGE = "UNSUPPORTED_LANGUAGE"
    INVALID_PHONE = "INVALID_PHONE"
    REQUIRED = "REQUIRED"
