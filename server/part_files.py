"""GET /files/parts/{id}.dxf: a part's DXF for whoever may see the part (bearer token).

A missing part, another company's part and a malformed ID all answer 404, exactly alike."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from strawberry import relay

from adapters.db import SqlUnitOfWork
from domain.accounts.auth import viewer_from_token
from domain.laser.parts import part_dxf
from domain.shared.errors import DomainError
from resolvers.context import AppServices
from server.graphql_view import bearer


def part_file_endpoint(sessions: Any, services: AppServices) -> Any:
    async def download(request: Request) -> Response:
        token = bearer(request.headers.get("authorization"))
        uow = SqlUnitOfWork(sessions)
        try:
            viewer = await viewer_from_token(uow, services.tokens, token)
            if viewer is None or viewer.is_anonymous:
                return JSONResponse(
                    {"error": "Send `Authorization: Bearer <accessToken>`."},
                    status_code=401,
                    headers={"WWW-Authenticate": "Bearer"},
                )
            try:
                gid = relay.GlobalID.from_id(request.path_params["id"])
                if gid.type_name != "Part":
                    raise ValueError(gid.type_name)
                part, data = await part_dxf(uow, viewer, int(gid.node_id))
            except (ValueError, DomainError):
                return JSONResponse({"error": "Part not found."}, status_code=404)
        finally:
            await uow.close()
        name = (part.file_name or f"{part.name}.dxf").replace('"', "")
        if not name.lower().endswith(".dxf"):
            name += ".dxf"
        return Response(
            data,
            media_type="application/dxf",
            headers={
                "Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}",
                "Cache-Control": "private, no-store",
                "X-Content-Type-Options": "nosniff",
            },
        )

    return download
