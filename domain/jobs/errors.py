"""Error codes of the background-jobs area."""

from __future__ import annotations

from enum import StrEnum


class JobErrorCode(StrEnum):
    NOT_FOUND = "NOT_FOUND"
    NOT_FAILED = "NOT_FAILED"
    PERMISSION_DENIED = "PERMISSION_DENIED"
