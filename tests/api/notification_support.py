"""Helpers of the notification tests: a local SMS provider (a Twilio-compatible endpoint that
records what it receives) and the order steps that set notifications off."""

from __future__ import annotations

import base64
import threading
import uuid
from dataclasses import dataclass
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

import httpx

from tests.api.test_order_flow import APPROVE, PLACE, TASK, _cart_with_leaflet
from tests.factories import gql


@dataclass
class SmsRequest:
    path: str
    authorization: str
    form: dict[str, str]
    idempotency_key: str


class SmsProvider:
    """A local HTTP server answering like Twilio's Messages endpoint (201 + JSON)."""

    def __init__(self, status: int = 201) -> None:
        self.requests: list[SmsRequest] = []
        self.status = status
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                provider.requests.append(
                    SmsRequest(
                        self.path,
                        self.headers.get("authorization", ""),
                        form,
                        self.headers.get("idempotency-key", ""),
                    )
                )
                body = b'{"sid": "SM1", "status": "queued"}'
                self.send_response(provider.status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> SmsProvider:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()


def basic_auth(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def subjects_to(messages: list[EmailMessage], to: str) -> list[str]:
    return [str(m["Subject"]) for m in messages if m["To"] == to]


def text_of(msg: EmailMessage) -> str:
    part = msg.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content()).replace("\r\n", "\n")


def html_of(msg: EmailMessage) -> str | None:
    part = msg.get_body(preferencelist=("html",))
    return None if part is None else str(part.get_content())


async def propose(client: httpx.AsyncClient, token: str) -> dict[str, Any]:
    await _cart_with_leaflet(client, token)
    placed = await gql(client, PLACE, {"i": {"idempotencyKey": str(uuid.uuid4())}}, token=token)
    payload = placed["data"]["orderPlace"]
    assert payload["errors"] == [], payload
    return payload["order"]  # type: ignore[no-any-return]


async def approve(client: httpx.AsyncClient, token: str, order_id: str) -> dict[str, Any]:
    approved = (await gql(client, APPROVE, {"id": order_id}, token=token))["data"]["orderApprove"]
    assert approved["errors"] == [], approved
    return approved["order"]  # type: ignore[no-any-return]


async def produce(client: httpx.AsyncClient, maker: str, order: dict[str, Any]) -> None:
    """Complete every task of the order's jobs: it goes IN_PRODUCTION, then COMPLETED."""
    for job in order["jobs"]:
        for task in job["tasks"]:
            done = (await gql(client, TASK, {"id": task["id"]}, token=maker))["data"]
            assert done["taskComplete"]["errors"] == [], done


REJECT = """mutation($id: ID!, $reason: String!) { orderReject(id: $id, reason: $reason) {
  order { status } errors { code } } }"""
DELIVER = """mutation($id: ID!) { orderDeliver(id: $id) { order { status } errors { code } } }"""
FLAG = """mutation($i: OrderFileFlagProblemInput!) { orderFileFlagProblem(input: $i) {
  job { status } errors { code } } }"""
