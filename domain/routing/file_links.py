"""Signed download links for a supplier: an order file, readable without a login until the
link expires. HMAC-SHA256 over the file id and the expiry, with the server's link secret."""

from __future__ import annotations

import hashlib
import hmac
import time


def _mac(secret: bytes, file_id: int, expires: int) -> str:
    return hmac.new(secret, f"order-file:{file_id}:{expires}".encode(), hashlib.sha256).hexdigest()


def signed_file_url(base_url: str, secret: bytes, file_id: int, ttl_s: int) -> str:
    """An absolute link to ``/supplier-files/<id>`` valid for ``ttl_s`` seconds."""
    expires = int(time.time()) + ttl_s
    sig = _mac(secret, file_id, expires)
    return f"{base_url.rstrip('/')}/supplier-files/{file_id}?expires={expires}&signature={sig}"


def verify_file_link(secret: bytes, file_id: int, expires: int, signature: str) -> bool:
    """True if the signature is ours and the link has not expired."""
    if expires < time.time():
        return False
    return hmac.compare_digest(_mac(secret, file_id, expires), signature)
