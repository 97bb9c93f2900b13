"""`/dev/mail`: the development mail catcher's messages as web pages (development only, and
only when no SMTP server is configured; adapters/mail_catcher.py writes them)."""

from __future__ import annotations

import asyncio
from html import escape
from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from adapters.mail_catcher import list_caught, read_caught

_STYLE = (
    "<style>body{font-family:sans-serif;margin:2em;max-width:60em}"
    "td,th{padding:.3em .8em;text-align:left;border-bottom:1px solid #ddd}"
    "pre{white-space:pre-wrap;background:#f6f6f6;padding:1em}</style>"
)


def _page(title: str, body: str) -> HTMLResponse:
    return HTMLResponse(
        f"<!doctype html><html><head><meta charset='utf-8'><title>{escape(title)}</title>"
        f"{_STYLE}</head><body>{body}</body></html>"
    )


def dev_mail_routes(folder: Path) -> list[Route]:
    async def index(request: Request) -> Response:
        messages = await asyncio.to_thread(list_caught, folder)
        rows = "".join(
            f"<tr><td>{escape(m.date.isoformat(' ', 'seconds') if m.date else '')}</td>"
            f"<td>{escape(m.to)}</td>"
            f"<td><a href='/dev/mail/{escape(m.name)}'>{escape(m.subject)}</a></td></tr>"
            for m in messages
        )
        table = (
            f"<table><tr><th>Date</th><th>To</th><th>Subject</th></tr>{rows}</table>"
            if messages
            else "<p>No mail yet.</p>"
        )
        return _page(
            "Development mail",
            f"<h1>Development mail</h1><p>Files in <code>{escape(str(folder))}</code>, "
            f"newest first.</p>{table}",
        )

    async def message(request: Request) -> Response:
        mail = await asyncio.to_thread(read_caught, folder, request.path_params["name"])
        if mail is None:
            return HTMLResponse("<p>No such message.</p>", status_code=404)
        headers = "".join(
            f"<tr><th>{escape(k)}</th><td>{escape(str(mail.message[k] or ''))}</td></tr>"
            for k in ("From", "To", "Subject", "Date", "Message-ID")
        )
        return _page(
            mail.subject,
            f"<p><a href='/dev/mail'>All mail</a></p><table>{headers}</table>"
            f"<pre>{escape(mail.body)}</pre>",
        )

    return [
        Route("/dev/mail", index, methods=["GET"]),
        Route("/dev/mail/{name}", message, methods=["GET"]),
    ]
