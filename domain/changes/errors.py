"""Error codes of the change feed, returned in `changes { errors }`."""

from __future__ import annotations

from enum import Enum


class ChangeFeedErrorCode(Enum):
    INVALID_CURSOR = "INVALID_CURSOR"
    # The cursor lies before what retention deleted: changes may have been missed, so the
    # reader must re-read its objects and start the feed again (without `after`).
    CURSOR_EXPIRED = "CURSOR_EXPIRED"
