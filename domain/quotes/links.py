"""Signed, expiring links to a quote revision's PDF: the signature is the permission, so a
link can be mailed or opened in a browser without a bearer token."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class LinkSigner:
    secret: bytes
    ttl_s: int = 7 * 24 * 3600

    def _mac(self, quote_id: int, revision: int, expires: int) -> str:
        message = f"quote-pdf:{quote_id}:{revision}:{expires}".encode()
        return hmac.new(self.secret, message, hashlib.sha256).hexdigest()

    def sign(self, quote_id: int, revision: int, now: int) -> tuple[int, str]:
        """(expiry as a Unix time, signature) of a link valid for ``ttl_s`` from ``now``."""
        expires = now + self.ttl_s
        return expires, self._mac(quote_id, revision, expires)

    def verify(self, quote_id: int, revision: int, expires: int, signature: str, now: int) -> bool:
        if expires < now:
            return False
        return hmac.compare_digest(self._mac(quote_id, revision, expires), signature)
