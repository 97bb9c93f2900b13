"""Billing downloads over HTTP, with the same bearer auth and scope as GraphQL: an invoice's
or credit note's PDF and e-invoice XML (VIEW_FINANCES or staff), and the accounting export
of a period (staff with the ACCOUNTING or ADMIN role)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from urllib.parse import quote

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from adapters.db import SqlUnitOfWork
from domain.accounts.auth import viewer_from_token
from domain.accounts.viewer import Viewer
from domain.billing.downloads import document_file
from domain.billing.export import export_csv, export_einvoices_zip, export_xlsx
from domain.shared.errors import DomainError
from resolvers.context import AppServices
from server.graphql_view import bearer

Endpoint = Callable[[Request], Awaitable[Response]]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _attachment(data: bytes, media_type: str, name: str) -> Response:
    return Response(
        data,
        media_type=media_type,
        headers={
            "content-disposition": f"attachment; filename*=UTF-8''{quote(name)}",
            "cache-control": "private, no-store",
        },
    )


def _authorised(
    services: AppServices,
    sessions: async_sessionmaker[AsyncSession],
    handle: Callable[[SqlUnitOfWork, Viewer, Request], Awaitable[Response]],
) -> Endpoint:
    async def endpoint(request: Request) -> Response:
        uow = SqlUnitOfWork(sessions)
        try:
            viewer = await viewer_from_token(
                uow, services.tokens, bearer(request.headers.get("authorization"))
            )
            if viewer is None or viewer.is_anonymous:
                return JSONResponse({"error": "authentication required"}, status_code=401)
            return await handle(uow, viewer, request)
        finally:
            await uow.close()

    return endpoint


async def _document(uow: SqlUnitOfWork, viewer: Viewer, request: Request) -> Response:
    name = str(request.path_params["name"])
    pk, _, fmt = name.partition(".")
    try:
        f = await document_file(
            uow, viewer, str(request.path_params["kind"]), int(pk) if pk.isdigit() else -1, fmt
        )
    except DomainError:
        return JSONResponse({"error": "not found"}, status_code=404)
    return _attachment(f.content, f.content_type, f.file_name)


async def _export(uow: SqlUnitOfWork, viewer: Viewer, request: Request) -> Response:
    q = request.query_params
    try:
        start = dt.date.fromisoformat(q.get("from", ""))
        end = dt.date.fromisoformat(q.get("to", ""))
    except ValueError:
        return JSONResponse({"error": "from and to are dates (YYYY-MM-DD)"}, status_code=400)
    fmt = q.get("format", "csv")
    stem = f"export-{start.isoformat()}-{end.isoformat()}"
    try:
        if fmt == "csv":
            source = q.get("source", "documents")
            data = await export_csv(uow, viewer, start, end, source)
            return _attachment(data, "text/csv; charset=utf-8", f"{stem}-{source}.csv")
        if fmt == "xlsx":
            return _attachment(await export_xlsx(uow, viewer, start, end), XLSX, f"{stem}.xlsx")
        if fmt == "zip":
            data = await export_einvoices_zip(uow, viewer, start, end)
            return _attachment(data, "application/zip", f"{stem}-einvoices.zip")
    except DomainError as exc:
        status = 403 if exc.details[0].code.value == "PERMISSION_DENIED" else 400
        return JSONResponse({"error": exc.details[0].message}, status_code=status)
    return JSONResponse({"error": "format is csv, xlsx or zip"}, status_code=400)


def billing_routes(
    services: AppServices, sessions: async_sessionmaker[AsyncSession]
) -> list[Route]:
    return [
        Route("/billing/export", _authorised(services, sessions, _export), methods=["GET"]),
        Route(
            "/billing/{kind:str}/{name:str}",
            _authorised(services, sessions, _document),
            methods=["GET"],
        ),
    ]
