"""Price tokens: a signed, expiring statement of a price that checkout can honour.

Stateless (HMAC-SHA256 over a compact JSON body), so any process can verify a token another
process issued. The token binds the product version, the exact configuration, the quantity,
the channel and the buyer's company, so it cannot be replayed for another spec or customer.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from domain.pricing.errors import PricingErrorCode
from domain.shared.errors import DomainError


@dataclass(frozen=True, slots=True)
class PriceTokenConfig:
    secret: bytes
    ttl_s: int = 3600


@dataclass(frozen=True, slots=True)
class PriceClaim:
    subject: str  # "pv:<product version id>" or "part:<part id>:<revision hash>"
    config_hash: str
    quantity: int
    channel_id: int | None
    company_id: int | None
    net: int
    gross: int
    currency: str
    expires_at: dt.datetime


def configuration_hash(values: Mapping[str, Any]) -> str:
    canonical = json.dumps(values, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()[:32]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def issue_price_token(cfg: PriceTokenConfig, claim: PriceClaim) -> str:
    body = {
        "s": claim.subject,
        "h": claim.config_hash,
        "q": claim.quantity,
        "ch": claim.channel_id,
        "co": claim.company_id,
        "n": claim.net,
        "g": claim.gross,
        "c": claim.currency,
        "e": int(claim.expires_at.timestamp()),
    }
    raw = json.dumps(body, separators=(",", ":"), sort_keys=True).encode()
    sig = hmac.new(cfg.secret, raw, hashlib.sha256).digest()
    return f"pt1.{_b64(raw)}.{_b64(sig)}"


def verify_price_token(cfg: PriceTokenConfig, token: str, now: dt.datetime) -> PriceClaim:
    """The claim of a genuine, unexpired token; a typed error otherwise."""
    invalid = DomainError.single(
        PricingErrorCode.INVALID_PRICE_TOKEN, "The price token is not valid.", "priceToken"
    )
    try:
        version, raw_b64, sig_b64 = token.split(".")
        raw, sig = _unb64(raw_b64), _unb64(sig_b64)
    except ValueError:
        raise invalid from None
    expected = hmac.new(cfg.secret, raw, hashlib.sha256).digest()
    if version != "pt1" or not hmac.compare_digest(sig, expected):
        raise invalid
    body = json.loads(raw)
    expires = dt.datetime.fromtimestamp(int(body["e"]), dt.UTC)
    if expires <= now:
        raise DomainError.single(
            PricingErrorCode.PRICE_TOKEN_EXPIRED,
            "The price has expired; ask for a new quote.",
            "priceToken",
        )
    return PriceClaim(
        subject=body["s"],
        config_hash=body["h"],
        quantity=int(body["q"]),
        channel_id=body["ch"],
        company_id=body["co"],
        net=int(body["n"]),
        gross=int(body["g"]),
        currency=body["c"],
        expires_at=expires,
    )
