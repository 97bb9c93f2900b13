"""PDF documents from HTML/CSS with WeasyPrint (the DocumentRenderer port of domain/quotes).
Rendering is CPU work, so it runs in a worker thread; templates fetch nothing from outside
(no base URL, a fetcher that refuses every URL except inline data)."""

from __future__ import annotations

import asyncio
from typing import Any


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    if url.startswith("data:"):
        from weasyprint.urls import default_url_fetcher

        return default_url_fetcher(url)  # type: ignore[no-any-return]
    raise ValueError(f"documents fetch nothing from outside: {url[:80]}")


class WeasyPrintRenderer:
    async def render_pdf(self, html: str, css: str) -> bytes:
        return await asyncio.to_thread(self._render, html, css)

    @staticmethod
    def _render(html: str, css: str) -> bytes:
        import weasyprint  # heavy: loaded on first use, not at start-up

        document = weasyprint.HTML(string=html, url_fetcher=_no_fetch)
        pdf: bytes = document.write_pdf(stylesheets=[weasyprint.CSS(string=css)])
        return pdf
