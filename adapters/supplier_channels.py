"""Supplier channels that leave this process: signed JSON over HTTP, and drops of the job
ticket (plus the files) into a folder over FTP or SFTP. The e-mail channel goes through the
mail outbox (domain/routing/handoff.py). Secrets never reach a log line or an error text.

The HTTP request is signed like a Standard Webhooks message: ``webhook-id`` (the job number
and hand-off, stable across retries so the supplier can drop duplicates),
``webhook-timestamp`` and ``webhook-signature: v1,<base64 HMAC-SHA256 of
"<id>.<timestamp>.<body>">`` keyed with the channel's secret."""

from __future__ import annotations

import asyncio
import base64
import ftplib
import hashlib
import hmac
import io
import json
import posixpath
import time
from collections.abc import Mapping
from typing import Any

import httpx

from adapters.outbound_http import check_target
from domain.routing.state import ChannelKind
from domain.routing.tickets import Ticket
from domain.shared.ports import FileStorage

TIMEOUT_S = 30.0


def sign(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{message_id}.{timestamp}.".encode() + body, hashlib.sha256)
    return "v1," + base64.b64encode(mac.digest()).decode()


async def ticket_files(ticket: Ticket, store: FileStorage | None) -> dict[str, bytes]:
    """What a folder drop writes: the artwork, then the JSON ticket and the XJDF for print
    work (last, so that a ticket in the folder means its files are there)."""
    out: dict[str, bytes] = {}
    for name, key in ticket.stored_files:
        if store is not None:
            out[name.replace("/", "_")] = await store.get(key)
    out |= {
        f"{ticket.job_number.replace('/', '_')}.json": json.dumps(
            ticket.document, indent=2, ensure_ascii=False
        ).encode()
    }
    if ticket.xjdf is not None:
        out[f"{ticket.job_number.replace('/', '_')}.xjdf"] = ticket.xjdf.encode()
    return out


class SupplierChannels:
    """The `ChannelPort` of domain/routing/handoff.py."""

    def __init__(
        self,
        *,
        allow_private: bool,
        files: FileStorage | None = None,  # the artwork dropped beside the ticket
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._allow_private = allow_private
        self._files = files
        self._transport = transport

    async def deliver(
        self,
        kind: ChannelKind,
        settings: Mapping[str, Any],
        secret: str | None,
        ticket: Ticket,
    ) -> str | None:
        if kind is ChannelKind.HTTP:
            return await self._post(str(settings["url"]), secret, ticket)
        files = await ticket_files(ticket, self._files)
        if kind is ChannelKind.FTP:
            await asyncio.to_thread(_ftp_drop, settings, secret, files)
        elif kind is ChannelKind.SFTP:
            await _sftp_drop(settings, secret, files)
        else:
            raise ValueError(f"{kind.value} is not delivered by this adapter.")
        return None

    async def _post(self, url: str, secret: str | None, ticket: Ticket) -> str | None:
        await check_target(url, allow_private=self._allow_private)
        body = json.dumps(ticket.document, separators=(",", ":")).encode()
        message_id = f"job-{ticket.job_number}"
        timestamp = int(time.time())
        headers = {"content-type": "application/json", "webhook-id": message_id}
        headers["webhook-timestamp"] = str(timestamp)
        if secret:
            headers["webhook-signature"] = sign(secret, message_id, timestamp, body)
        async with httpx.AsyncClient(
            timeout=TIMEOUT_S, transport=self._transport, follow_redirects=False
        ) as client:
            response = await client.post(url, content=body, headers=headers)
        if response.status_code >= 300:
            raise RuntimeError(f"The supplier answered HTTP {response.status_code}.")
        try:
            answer = response.json()
        except ValueError:
            return None
        reference = answer.get("reference") if isinstance(answer, dict) else None
        return str(reference)[:100] if reference else None


def _ftp_drop(settings: Mapping[str, Any], secret: str | None, files: dict[str, bytes]) -> None:
    # Plain FTP is what many print suppliers still run (the issue asks for it); with
    # settings["tls"] the session is FTPS (explicit TLS, data channel protected too).
    tls = bool(settings.get("tls"))
    ftp = ftplib.FTP_TLS(timeout=TIMEOUT_S) if tls else ftplib.FTP(timeout=TIMEOUT_S)  # noqa: S321
    with ftp:
        ftp.connect(str(settings["host"]), int(settings.get("port") or 21))
        ftp.login(str(settings.get("username") or "anonymous"), secret or "")
        if isinstance(ftp, ftplib.FTP_TLS):
            ftp.prot_p()
        ftp.cwd(str(settings.get("folder") or "/"))
        for name, data in files.items():
            # Written under a temporary name and renamed, so the supplier never reads half a file.
            ftp.storbinary(f"STOR {name}.part", io.BytesIO(data))
            ftp.rename(f"{name}.part", name)


async def _sftp_drop(
    settings: Mapping[str, Any], secret: str | None, files: dict[str, bytes]
) -> None:
    # Imported when an SFTP drop runs: asyncssh is large and warns about DSA on import, which
    # no other process start should pay for.
    import asyncssh

    known_hosts = settings.get("knownHosts")
    async with (
        asyncssh.connect(
            str(settings["host"]),
            port=int(settings.get("port") or 22),
            username=str(settings.get("username") or ""),
            password=secret,
            # The supplier's host key, when given, is checked; without one the first key is taken.
            known_hosts=asyncssh.import_known_hosts(known_hosts) if known_hosts else None,
            client_keys=None,
            connect_timeout=TIMEOUT_S,
        ) as conn,
        conn.start_sftp_client() as sftp,
    ):
        folder = str(settings.get("folder") or ".")
        for name, data in files.items():
            path = posixpath.join(folder, name)
            async with sftp.open(path + ".part", "wb") as f:
                await f.write(data)
            await sftp.posix_rename(path + ".part", path)
