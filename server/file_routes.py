"""Downloads of stored files over HTTP, with the same bearer auth and tenant scope as GraphQL,
and the carriers' tracking webhooks."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from urllib.parse import quote

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from adapters.carriers import sendcloud
from adapters.db import SqlUnitOfWork
from domain.accounts.auth import viewer_from_token
from domain.fulfilment.shipment_status import shipment_document
from domain.fulfilment.tracking import carrier_parcel_status
from domain.orders.files import order_file_content
from domain.shared.errors import DomainError
from resolvers.context import AppServices
from server.graphql_view import bearer


def order_file_download(
    services: AppServices, sessions: async_sessionmaker[AsyncSession]
) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        from strawberry import relay

        uow = SqlUnitOfWork(sessions)
        try:
            viewer = await viewer_from_token(
                uow, services.tokens, bearer(request.headers.get("authorization"))
            )
            if viewer is None or viewer.is_anonymous:
                return JSONResponse({"error": "authentication required"}, status_code=401)
            try:
                gid = relay.GlobalID.from_id(request.path_params["file_id"])
                if gid.type_name != "OrderFile" or services.files is None:
                    raise ValueError
                row, data = await order_file_content(uow, viewer, services.files, int(gid.node_id))
            except (ValueError, DomainError, FileNotFoundError):
                return JSONResponse({"error": "not found"}, status_code=404)
            name = quote(row.file_name)
            return Response(
                data,
                media_type=row.content_type,
                headers={
                    "content-disposition": f"attachment; filename*=UTF-8''{name}",
                    "x-content-sha256": row.sha256,
                    "cache-control": "private, no-store",
                },
            )
        finally:
            await uow.close()

    return endpoint


def shipment_document_download(
    services: AppServices, sessions: async_sessionmaker[AsyncSession]
) -> Callable[[Request], Awaitable[Response]]:
    """GET /files/shipments/{id}/labels.pdf (staff) or .../delivery-note.pdf (who sees the
    order): the PDFs the carrier made for a shipment."""

    async def endpoint(request: Request) -> Response:
        uow = SqlUnitOfWork(sessions)
        try:
            viewer = await viewer_from_token(
                uow, services.tokens, bearer(request.headers.get("authorization"))
            )
            if viewer is None or viewer.is_anonymous:
                return JSONResponse({"error": "authentication required"}, status_code=401)
            try:
                if services.files is None:
                    raise ValueError
                shipment, data = await shipment_document(
                    uow,
                    viewer,
                    services.files,
                    int(request.path_params["shipment_id"]),
                    request.path_params["document"],
                )
            except (ValueError, DomainError, FileNotFoundError):
                return JSONResponse({"error": "not found"}, status_code=404)
            name = f"{shipment.number}-{request.path_params['document']}.pdf"
            return Response(
                data,
                media_type="application/pdf",
                headers={
                    "content-disposition": f"attachment; filename*=UTF-8''{quote(name)}",
                    "cache-control": "private, no-store",
                },
            )
        finally:
            await uow.close()

    return endpoint


def sendcloud_webhook(
    settings_secret: str | None, sessions: async_sessionmaker[AsyncSession]
) -> Callable[[Request], Awaitable[Response]]:
    """POST /webhooks/sendcloud: Sendcloud's signed parcel status changes move the shipment
    (and the order); 401 without a valid signature, 200 for anything else it sends."""

    async def endpoint(request: Request) -> Response:
        body = await request.body()
        signature = request.headers.get("sendcloud-signature", "")
        if not settings_secret or not sendcloud.signature_valid(body, signature, settings_secret):
            return JSONResponse({"error": "bad signature"}, status_code=401)
        event = sendcloud.parcel_event(body)
        if event is not None:
            uow = SqlUnitOfWork(sessions)
            try:
                async with uow:
                    await carrier_parcel_status(
                        uow, "sendcloud", event.tracking_number, event.status
                    )
                    await uow.commit()
            finally:
                await uow.close()
        return JSONResponse({"ok": True})

    return endpoint
