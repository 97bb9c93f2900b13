"""PDF documents from HTML/CSS with WeasyPrint (the DocumentRenderer port of domain/quotes).
Rendering is CPU work, so it runs in a worker thread. Templates are written by shop staff:
they may embed images as `data:` URLs and fetch nothing else (no files, no network)."""

from __future__ import annotations

import asyncio


class WeasyPrintRenderer:
    async def render_pdf(self, html: str, css: str) -> bytes:
        return await asyncio.to_thread(self._render, html, css)

    @staticmethod
    def _render(html: str, css: str) -> bytes:
        import weasyprint  # heavy: loaded on first use, not at start-up
        from weasyprint.urls import URLFetcher

        fetcher = URLFetcher(allowed_protocols={"data"})
        document = weasyprint.HTML(string=html, url_fetcher=fetcher)
        pdf: bytes = document.write_pdf(
            stylesheets=[weasyprint.CSS(string=css, url_fetcher=fetcher)]
        )
        return pdf
