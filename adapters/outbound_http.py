"""Outbound requests to addresses that staff or partners configure (supplier endpoints): the
target must not be this machine or a private network in production (SSRF). Development and
tests may use loopback."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit


class ForbiddenTarget(ValueError):
    """The URL points where outbound requests may not go."""


def _forbidden(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


async def check_target(url: str, *, allow_private: bool) -> None:
    """Raise ``ForbiddenTarget`` unless every address the host resolves to is public (or
    ``allow_private``: development and tests)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ForbiddenTarget("Only absolute http(s) URLs are allowed.")
    if allow_private:
        return
    port = parts.port or (443 if parts.scheme == "https" else 80)
    infos = await asyncio.get_running_loop().getaddrinfo(
        parts.hostname, port, type=socket.SOCK_STREAM
    )
    for info in infos:
        ip = ipaddress.ip_address(info[4][0])
        if _forbidden(ip):
            raise ForbiddenTarget(f"{parts.hostname} resolves to a non-public address.")
