"""Where webhooks may send (SSRF): plain rules over a URL and the addresses its host has."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from urllib.parse import urlsplit


def url_problem(url: str, *, production: bool) -> str | None:
    """Why `url` cannot be a webhook target (before looking its host up), or None."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return "Not a valid URL."
    if parts.scheme not in ("https", "http"):
        return "Use an https:// URL."
    if production and parts.scheme != "https":
        return "Use an https:// URL."
    if not parts.hostname:
        return "The URL has no host."
    if parts.username or parts.password:
        return "Credentials in the URL are not allowed; verify the signature instead."
    if port == 0:
        return "Not a valid port."
    return None


def address_allowed(address: str) -> bool:
    """A public unicast address: not loopback, private, link-local, multicast or reserved
    (IPv4-mapped IPv6 addresses are judged as the IPv4 address they carry)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def addresses_problem(addresses: Iterable[str]) -> str | None:
    found = list(addresses)
    if not found:
        return "The host does not resolve."
    if not all(address_allowed(a) for a in found):
        return "The host resolves to a loopback, private or link-local address."
    return None
