"""Local file storage under the data folder, content-addressed by SHA-256 (the default; an
object store would implement the same port)."""

from __future__ import annotations

import asyncio
import hashlib
import os
from pathlib import Path


class LocalFileStorage:
    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        if len(key) != 64 or any(c not in "0123456789abcdef" for c in key):
            raise FileNotFoundError(key)
        return self.root / key[:2] / key[2:4] / key

    async def put(self, data: bytes) -> tuple[str, str]:
        digest = hashlib.sha256(data).hexdigest()
        path = self._path(digest)

        def write() -> None:
            if path.exists():
                return  # same bytes, same key: stored once
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(data)
            tmp.replace(path)

        await asyncio.to_thread(write)
        return digest, digest

    async def get(self, key: str) -> bytes:
        return await asyncio.to_thread(self._path(key).read_bytes)
