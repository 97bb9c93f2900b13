"""A real HTTP receiver for webhook tests: uvicorn on 127.0.0.1, a port the OS picks. It
records every request and answers with the statuses it is told to (then 200)."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    at: float = field(default_factory=time.perf_counter)  # when it arrived


@dataclass
class Receiver:
    url: str = ""
    requests: list[Received] = field(default_factory=list)
    fail_with: list[int] = field(default_factory=list)  # statuses to answer first, in order
    always_fail: bool = False
    arrived: asyncio.Event = field(default_factory=asyncio.Event)

    async def wait_for(self, count: int, timeout: float = 20.0) -> list[Received]:
        async with asyncio.timeout(timeout):
            while len(self.requests) < count:
                self.arrived.clear()
                await self.arrived.wait()
        return self.requests


@contextlib.asynccontextmanager
async def receiver() -> AsyncIterator[Receiver]:
    state = Receiver()

    async def hook(request: Request) -> PlainTextResponse:
        state.requests.append(Received(dict(request.headers), await request.body()))
        state.arrived.set()
        if state.always_fail:
            return PlainTextResponse("receiver is down", status_code=503)
        if state.fail_with:
            return PlainTextResponse("not now", status_code=state.fail_with.pop(0))
        return PlainTextResponse("ok")

    app = Starlette(routes=[Route("/hook", hook, methods=["POST"])])
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:
        await asyncio.sleep(0.01)
    state.url = f"http://127.0.0.1:{port}/hook"
    try:
        yield state
    finally:
        server.should_exit = True
        await task
        sock.close()
