"""Reading multipart uploads: never more than the limit plus one byte, so the domain can say
FILE_TOO_LARGE without the server holding an oversized file in memory."""

from __future__ import annotations

from typing import Any


async def read_upload(upload: Any, limit: int) -> tuple[bytes, str]:
    """The first ``limit + 1`` bytes of a starlette ``UploadFile`` and its file name."""
    data: bytes = await upload.read(limit + 1)
    return data, str(getattr(upload, "filename", "") or "")
