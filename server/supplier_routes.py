"""What suppliers open without a login: the signed download links of a job's files, and the
e-mail channel's confirm link (a page with a button: a mail scanner following the link
accepts nothing)."""

from __future__ import annotations

import html
from collections.abc import Awaitable, Callable
from urllib.parse import quote

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from adapters.db import SqlUnitOfWork
from domain.accounts.viewer import ANONYMOUS
from domain.orders.models import OrderFile
from domain.routing.file_links import verify_file_link
from domain.routing.supplier_jobs import supplier_job_confirm
from domain.shared.errors import DomainError
from domain.shared.ports import FileStorage


def _file_download(
    secret: bytes, files: FileStorage | None, sessions: async_sessionmaker[AsyncSession]
) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        try:
            file_id = int(request.path_params["file_id"])
            expires = int(request.query_params.get("expires", ""))
        except ValueError:
            return JSONResponse({"error": "not found"}, status_code=404)
        signature = request.query_params.get("signature", "")
        if files is None or not verify_file_link(secret, file_id, expires, signature):
            return JSONResponse({"error": "not found"}, status_code=404)
        async with sessions() as session:
            row = await session.get(OrderFile, file_id)
        if row is None:
            return JSONResponse({"error": "not found"}, status_code=404)
        try:
            data = await files.get(row.storage_key)
        except FileNotFoundError:
            return JSONResponse({"error": "not found"}, status_code=404)
        return Response(
            data,
            media_type=row.content_type,
            headers={
                "content-disposition": f"attachment; filename*=UTF-8''{quote(row.file_name)}",
                "x-content-sha256": row.sha256,
                "cache-control": "private, no-store",
            },
        )

    return endpoint


PAGE = """<!doctype html><meta charset="utf-8"><title>{title}</title>
<body style="font-family: sans-serif; max-width: 40em; margin: 3em auto">{body}</body>"""


def _confirm(
    sessions: async_sessionmaker[AsyncSession],
) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        token = request.path_params["token"]
        if request.method == "GET":
            form = (
                '<form method="post"><p>Accept this job?</p>'
                '<button type="submit">Accept the job</button></form>'
            )
            return HTMLResponse(PAGE.format(title="Confirm the job", body=form))
        uow = SqlUnitOfWork(sessions)
        try:
            job = await supplier_job_confirm(uow, ANONYMOUS, token)
        except DomainError:
            body = "<p>This link is not valid.</p>"
            return HTMLResponse(PAGE.format(title="Not valid", body=body), status_code=404)
        finally:
            await uow.close()
        body = f"<p>Thank you: job {html.escape(job.number)} is {job.status.value.lower()}.</p>"
        return HTMLResponse(PAGE.format(title="Confirmed", body=body))

    return endpoint


def supplier_routes(
    secret: bytes, files: FileStorage | None, sessions: async_sessionmaker[AsyncSession]
) -> list[Route]:
    return [
        Route("/supplier-files/{file_id}", _file_download(secret, files, sessions)),
        Route("/supplier-jobs/confirm/{token}", _confirm(sessions), methods=["GET", "POST"]),
    ]
