"""Idempotency keys as payment APIs treat them: the same key with the same request answers the
first result again; the same key with a different request is a client error
(IDEMPOTENCY_KEY_REUSED), never silently the first result."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from typing import Any


def request_fingerprint(command: Any, *, ignore: tuple[str, ...] = ("idempotency_key",)) -> str:
    """A digest of a command dataclass's fields (except ``ignore``): equal for equal requests."""
    fields = {
        f.name: getattr(command, f.name)
        for f in dataclasses.fields(command)
        if f.name not in ignore
    }
    canonical = json.dumps(_plain(fields), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)
