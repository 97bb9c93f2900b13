"""The SMS port: adapters/sms.py implements it (an HTTP provider; the development catcher)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class SmsMessage:
    to: str  # E.164
    text: str
    reference: str  # stable per notification: a provider may use it to drop a duplicate


class SmsSender(Protocol):
    async def send(self, message: SmsMessage) -> None:
        """Hand one message to the provider; raise on any failure (the job retries)."""
