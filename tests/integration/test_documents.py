"""The WeasyPrint adapter: HTML/CSS to PDF, inline images allowed, nothing fetched from
files or the network (templates are written by shop staff)."""

from __future__ import annotations

import base64
import io
import struct
import zlib

import pypdf

from adapters.documents import WeasyPrintRenderer


def tiny_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


async def test_inline_images_render_and_nothing_is_fetched(tmp_path) -> None:  # type: ignore[no-untyped-def]
    secret = tmp_path / "secret.png"
    secret.write_bytes(tiny_png())
    logo = "data:image/png;base64," + base64.b64encode(tiny_png()).decode()
    html = (
        f'<h1>Quote q-1</h1><img src="{logo}">'
        f'<img src="file://{secret}"><img src="http://127.0.0.1:9/logo.png"><p>Total EUR 1.19</p>'
    )
    pdf = await WeasyPrintRenderer().render_pdf(html, "h1 { color: #1d4ed8; }")
    page = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]
    assert "Quote q-1" in page.extract_text() and "Total EUR 1.19" in page.extract_text()
    assert len(page.images) == 1  # the inline logo only
