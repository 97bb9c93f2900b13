"""Error codes of the parts library, its bulk import and the laser shop data.

Drawing faults keep their own codes (``errors.LaserErrorCode``); these are about everything
around a drawing: the library record, the material chosen, uploads and import sheets. The API
shows both in one enum, so a client handles a single list of codes for laser work.
"""

from __future__ import annotations

from enum import Enum


class PartErrorCode(Enum):
    """Why a parts-library or laser-shop command failed; values equal names."""

    NOT_FOUND = "NOT_FOUND"
    PERMISSION_DENIED = "PERMISSION_DENIED"
    INVALID = "INVALID"
    REQUIRED = "REQUIRED"
    TOO_LONG = "TOO_LONG"
    INVALID_QUANTITY = "INVALID_QUANTITY"
    INVALID_NUMBER = "INVALID_NUMBER"
    FILE_TOO_LARGE = "FILE_TOO_LARGE"
    UNKNOWN_MATERIAL = "UNKNOWN_MATERIAL"
    UNKNOWN_THICKNESS = "UNKNOWN_THICKNESS"
    NOT_CONFIGURED = "NOT_CONFIGURED"
    # Bulk import.
    INVALID_SHEET = "INVALID_SHEET"
    MISSING_COLUMN = "MISSING_COLUMN"
    TOO_MANY_ROWS = "TOO_MANY_ROWS"
    INVALID_ARCHIVE = "INVALID_ARCHIVE"
    MISSING_FILE = "MISSING_FILE"
