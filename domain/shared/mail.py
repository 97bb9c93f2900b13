"""What a message may carry besides its text: a value the unit of work's `send_mail` takes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file sent with a message (a quote's PDF, an invoice)."""

    filename: str
    content_type: str
    data: bytes
