"""The per-file multipart limit counts each part's bytes however the body is chunked."""

from __future__ import annotations

import pytest

from server.request_limits import BodyTooLarge, _PartSizes

BOUNDARY = b"XyZ"


def body(*sizes: int) -> bytes:
    parts = [b"--XyZ\r\nh: v\r\n\r\n" + b"a" * n + b"\r\n" for n in sizes]
    return b"".join(parts) + b"--XyZ--\r\n"


def refused(data: bytes, limit: int, chunk: int) -> bool:
    sizes = _PartSizes(BOUNDARY, limit)
    try:
        for i in range(0, len(data), chunk):
            sizes.feed(data[i : i + chunk])
    except BodyTooLarge:
        return True
    return False


@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 7, 64, 10_000])
def test_each_part_is_measured_on_its_own(chunk: int) -> None:
    # Part sizes include their headers (10 bytes here): a bound, not an exact file size.
    assert not refused(body(90, 90), 110, chunk)
    assert refused(body(90, 90), 80, chunk)
    assert refused(body(30, 95), 100, chunk)  # the second part alone is over
    assert not refused(body(30, 30, 30, 30), 50, chunk)  # many small parts add nothing up
