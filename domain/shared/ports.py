"""Ports the domain needs from the outside world; adapters/ implements them."""

from __future__ import annotations

from typing import Protocol


class FileStorage(Protocol):
    """Content-addressed file storage: the key is derived from the bytes (sha256)."""

    async def put(self, data: bytes) -> tuple[str, str]:
        """Store ``data``; returns (storage key, sha256 hex)."""
        ...

    async def get(self, key: str) -> bytes:
        """The bytes stored under ``key``; FileNotFoundError if there are none."""
        ...
