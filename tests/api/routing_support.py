"""Local servers the supplier channels talk to (HTTP endpoint, FTP, SFTP), all on 127.0.0.1
with a free port, and GraphQL helpers for routing tests."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import asyncssh
from pyftpdlib.authorizers import DummyAuthorizer
from pyftpdlib.handlers import FTPHandler
from pyftpdlib.servers import ThreadedFTPServer

from tests.factories import gql


class SupplierEndpoint:
    """A supplier's HTTP API: records every request; answers ``status`` (200 by default)."""

    def __init__(self) -> None:
        self.requests: list[tuple[dict[str, str], bytes]] = []
        self.status = 200
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", "0")))
                outer.requests.append(({k.lower(): v for k, v in self.headers.items()}, body))
                answer = json.dumps({"reference": f"SUP-{len(outer.requests)}"}).encode()
                self.send_response(outer.status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/jobs"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> SupplierEndpoint:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def documents(self) -> list[dict[str, Any]]:
        return [json.loads(body) for _, body in self.requests]


class FtpServer:
    """pyftpdlib with one user whose home is ``root``."""

    def __init__(self, root: Path, user: str = "acme", password: str = "ftp-secret") -> None:
        root.mkdir(parents=True, exist_ok=True)
        self.root = root
        authorizer = DummyAuthorizer()
        authorizer.add_user(user, password, str(root), perm="elradfmwMT")
        handler = type("Handler", (FTPHandler,), {"authorizer": authorizer})
        handler.passive_ports = None
        self._server = ThreadedFTPServer(("127.0.0.1", 0), handler)
        self.port = self._server.address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"timeout": 0.2}, daemon=True
        )

    def __enter__(self) -> FtpServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.close_all()


class _SshServer(asyncssh.SSHServer):
    def __init__(self, password: str) -> None:
        self._password = password

    def begin_auth(self, username: str) -> bool:
        return True

    def password_auth_supported(self) -> bool:
        return True

    def validate_password(self, username: str, password: str) -> bool:
        return password == self._password


async def sftp_server(root: Path, password: str) -> tuple[asyncssh.SSHAcceptor, int]:
    """An SFTP server (asyncssh) chrooted to ``root``; returns it and its port."""
    root.mkdir(parents=True, exist_ok=True)
    key = asyncssh.generate_private_key("ssh-ed25519")

    def sftp_factory(chan: asyncssh.SSHServerChannel) -> asyncssh.SFTPServer:
        return asyncssh.SFTPServer(chan, chroot=str(root).encode())

    acceptor = await asyncssh.listen(
        "127.0.0.1",
        0,
        server_factory=lambda: _SshServer(password),
        server_host_keys=[key],
        sftp_factory=sftp_factory,
    )
    return acceptor, acceptor.sockets[0].getsockname()[1]


def free_dir(tmp: Path, name: str) -> Path:
    path = tmp / name
    path.mkdir(parents=True, exist_ok=True)
    return path


SUPPLIERS = "{ suppliers { edges { node { id name } } } }"
KEY = "mutation($id: ID!) { supplierApiKeyCreate(id: $id) { apiKey } }"
RULE = """mutation($i: RoutingRuleSetInput!) { routingRuleSet(input: $i) {
  rule { id productId laserMaterialCode supplierId } errors { code field message } } }"""
CHANNEL = """mutation($i: SupplierChannelSetInput!) { supplierChannelSet(input: $i) {
  channel { kind settings automation delaySeconds hasSecret } errors { code field message } } }"""
ENTER = """mutation($i: OrderEnterForCustomerInput!) { orderEnterForCustomer(input: $i) {
  order { id number status jobs { title status } } errors { code field message } } }"""
JOB_FIELDS = """id number status supplierId orderId lines { position title quantity } holdReason
  problem carrier trackingNumber trackingUrl supplierReference sendAfter sentAt
  handoffAttempts { attempt channel ok error }"""
JOBS = (
    "query($o: ID, $s: SupplierJobStatus) { supplierJobs(orderId: $o, status: $s) { totalCount "
    "nodes { " + JOB_FIELDS + " } } }"
)
REPORT = (
    "mutation($i: SupplierJobReportInput!) { supplierJobReport(input: $i) { supplierJob { "
    + JOB_FIELDS
    + " } errors { code field message } } }"
)


async def ids(client: Any, token: str) -> dict[str, str]:
    """Supplier and product ids by name/code, and Globex's company id."""
    out: dict[str, str] = {}
    for e in (await gql(client, SUPPLIERS, token=token))["data"]["suppliers"]["edges"]:
        out[e["node"]["name"]] = e["node"]["id"]
    for e in (await gql(client, "{ products { edges { node { id code } } } }"))["data"]["products"][
        "edges"
    ]:
        out[e["node"]["code"]] = e["node"]["id"]
    companies = await gql(
        client, '{ companies(search: "globex") { edges { node { id } } } }', token=token
    )
    out["globex"] = companies["data"]["companies"]["edges"][0]["node"]["id"]
    return out


async def supplier_key(client: Any, admin: str, supplier_id: str) -> str:
    return str(
        (await gql(client, KEY, {"id": supplier_id}, token=admin))["data"]["supplierApiKeyCreate"][
            "apiKey"
        ]
    )


async def route(client: Any, admin: str, product_id: str, supplier_id: str | None) -> None:
    body = await gql(
        client, RULE, {"i": {"productId": product_id, "supplierId": supplier_id}}, token=admin
    )
    assert body["data"]["routingRuleSet"]["errors"] == [], body


async def channel(client: Any, admin: str, supplier_id: str, **i: Any) -> dict[str, Any]:
    body = await gql(client, CHANNEL, {"i": {"supplierId": supplier_id, **i}}, token=admin)
    payload = body["data"]["supplierChannelSet"]
    assert payload["errors"] == [], payload
    return payload["channel"]  # type: ignore[no-any-return]


async def enter_order(
    client: Any, admin: str, company_id: str, product_ids: list[str]
) -> dict[str, Any]:
    body = await gql(
        client,
        ENTER,
        {
            "i": {
                "companyId": company_id,
                "lines": [
                    {"productId": p, "quantity": 250 * (n + 1)} for n, p in enumerate(product_ids)
                ],
                "customerReference": "routing",
                "desiredDeliveryDate": "2030-01-15",
            }
        },
        token=admin,
    )
    payload = body["data"]["orderEnterForCustomer"]
    assert payload["errors"] == [], payload
    return payload["order"]  # type: ignore[no-any-return]


async def supplier_jobs(
    client: Any, token: str, order_id: str | None = None, **kw: Any
) -> list[dict[str, Any]]:
    body = await gql(client, JOBS, {"o": order_id, **kw}, token=token)
    return body["data"]["supplierJobs"]["nodes"]  # type: ignore[no-any-return]


async def wait_until(predicate: Any, timeout_s: float = 20.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout_s
    while not predicate():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.05)


def iter_files(root: Path) -> Iterator[Path]:
    return (p for p in sorted(root.rglob("*")) if p.is_file())
