"""The floor for the load benchmarks: a bare starlette JSON endpoint on the same uvicorn setup.

    uvicorn bench.bare:app --workers 1

POST /graphql reads and parses the JSON body and answers a small JSON document with orjson,
as the API does, but without GraphQL, auth or the database. The API's requests/s divided by
this one's is the share of the stack's ceiling that Pressroom keeps.
"""

from __future__ import annotations

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

_ANSWER = {"data": {"me": {"__typename": "PortalUser", "login": "bench"}}}


async def graphql(request: Request) -> Response:
    body = orjson.loads(await request.body())
    answer = {**_ANSWER, "extensions": {"operation": bool(body.get("query"))}}
    return Response(orjson.dumps(answer), media_type="application/json")


async def healthz(request: Request) -> Response:
    return Response(b'{"status":"ok"}', media_type="application/json")


app = Starlette(routes=[Route("/graphql", graphql, methods=["POST"]), Route("/healthz", healthz)])
