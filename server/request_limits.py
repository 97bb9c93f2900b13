"""What a request may be: body limits, enforced while the body streams in (a declared length
over the limit is refused before a byte is read, a body that grows past it is cut off at the
limit; multipart uploads are bounded in total and per part), a JSON request object, and the
answer for one that ran out of its time budget."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import orjson
from cross_web import HTTPException
from graphql import GraphQLError
from strawberry.types import ExecutionResult


class BodyTooLarge(Exception):
    """The request body is over a limit (answered 413)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class BodyLimits:
    """Bytes a request body may hold (``Settings``)."""

    json_bytes: int = 1024 * 1024
    upload_total_bytes: int = 110 * 1024 * 1024
    upload_file_bytes: int = 100 * 1024 * 1024

    def guard(self, scope: Any, receive: Any) -> Any:
        """A ``receive`` that raises BodyTooLarge past the limits of this request's kind;
        raises at once when the declared Content-Length is already over."""
        content_type = _header(scope, b"content-type")
        multipart = content_type.lower().startswith(b"multipart/")
        limit = self.upload_total_bytes if multipart else self.json_bytes
        declared = _header(scope, b"content-length")
        if declared.isdigit() and int(declared) > limit:
            raise BodyTooLarge(_too_large(limit, "request body"))
        parts = (
            _PartSizes(_boundary(content_type), self.upload_file_bytes)
            if multipart and self.upload_file_bytes < limit
            else None
        )
        received = 0

        async def limited() -> Any:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                chunk = message.get("body", b"")
                received += len(chunk)
                if received > limit:
                    raise BodyTooLarge(_too_large(limit, "request body"))
                if parts is not None:
                    parts.feed(chunk)
            return message

        return limited


class _PartSizes:
    """Counts the bytes between multipart boundaries as the body streams in."""

    def __init__(self, boundary: bytes | None, limit: int) -> None:
        self.delimiter = b"\r\n--" + boundary if boundary else None
        self.limit = limit
        self.current = 0
        self.tail = b"\r\n"  # the first delimiter has no line break before it

    def feed(self, chunk: bytes) -> None:
        if self.delimiter is None:
            return
        # The tail of the last chunk is searched again for a delimiter split across two
        # chunks; its bytes were counted already (a whole delimiter never fits in it).
        data = self.tail + chunk
        counted_to = len(self.tail)
        found = data.find(self.delimiter)
        while found >= 0:
            self.current += max(found - counted_to, 0)
            self._check()
            self.current = 0
            counted_to = found + len(self.delimiter)
            found = data.find(self.delimiter, counted_to)
        self.current += max(len(data) - counted_to, 0)
        self.tail = data[-(len(self.delimiter) - 1) :]
        self._check()

    def _check(self) -> None:
        if self.current > self.limit:
            raise BodyTooLarge(_too_large(self.limit, "file"))


def _too_large(limit: int, what: str) -> str:
    size = f"{limit // (1024 * 1024)} MiB" if limit >= 1024 * 1024 else f"{limit} bytes"
    return f"The {what} is larger than the limit of {size}."


def _boundary(content_type: bytes) -> bytes | None:
    for param in content_type.split(b";")[1:]:
        name, _, value = param.strip().partition(b"=")
        if name.strip().lower() == b"boundary" and value:
            return value.strip().strip(b'"')
    return None


def _header(scope: Any, name: bytes) -> bytes:
    for key, value in scope.get("headers") or ():
        if key == name:
            return bytes(value)
    return b""


def decode_json_request(data: str | bytes) -> Any:
    """A request object or a batch, as JSON: anything else, invalid UTF-8 and nesting deeper
    than 1024 levels raise HTTPException(400) instead of an error deep in strawberry."""
    try:
        parsed = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        parsed = _surrogate_fallback(data, exc)
    if not isinstance(parsed, dict | list):
        raise HTTPException(400, "The request and its `variables` must be JSON objects.")
    return parsed


def timed_out(budget_s: float) -> ExecutionResult:
    return ExecutionResult(
        data=None,
        errors=[
            GraphQLError(
                f"The request took longer than its budget of {budget_s:g} s and was cancelled; "
                "nothing it started was saved. Ask for less at once, or try again later.",
                extensions={"code": "REQUEST_TIMEOUT"},
            )
        ],
    )


def _surrogate_fallback(data: str | bytes, exc: orjson.JSONDecodeError) -> Any:
    """JSON escapes of unpaired surrogates are valid JSON that orjson refuses: parse those with
    the standard library so the string guard (schema/text_guard.py) can name the field."""
    if "surrogate" not in str(exc):
        raise HTTPException(400, f"The request body is not valid JSON: {exc}") from exc
    try:
        return json.loads(data)
    except (ValueError, RecursionError) as again:
        raise HTTPException(400, f"The request body is not valid JSON: {exc}") from again
