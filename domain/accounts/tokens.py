"""Access tokens (short-lived JWT) and opaque refresh tokens (stored hashed)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from dataclasses import dataclass
from typing import Any

import jwt

ALGORITHM = "HS256"


@dataclass(frozen=True, slots=True)
class TokenConfig:
    secret: str
    issuer: str
    audience: str
    access_ttl_s: int = 900
    refresh_ttl_s: int = 30 * 24 * 3600


@dataclass(frozen=True, slots=True)
class AccessClaims:
    subject_kind: str  # "portal" or "staff"
    user_id: int
    session_id: uuid.UUID
    expires_at: int = 0  # the token's `exp` (seconds since the epoch), when decoded


LEEWAY_S = 5


def issue_access_token(cfg: TokenConfig, claims: AccessClaims, now: dt.datetime) -> str:
    payload = {
        "iss": cfg.issuer,
        "aud": cfg.audience,
        "sub": f"{claims.subject_kind}:{claims.user_id}",
        "sid": str(claims.session_id),
        "iat": int(now.timestamp()),
        "nbf": int(now.timestamp()),
        "exp": int(now.timestamp()) + cfg.access_ttl_s,
        "jti": secrets.token_hex(8),
    }
    return jwt.encode(payload, cfg.secret, algorithm=ALGORITHM)


def decode_access_token(cfg: TokenConfig, token: str) -> AccessClaims | None:
    """None for anything not issued by us and still valid (alg none, wrong key, audience...)."""
    try:
        payload: dict[str, Any] = jwt.decode(
            token,
            cfg.secret,
            algorithms=[ALGORITHM],
            audience=cfg.audience,
            issuer=cfg.issuer,
            options={"require": ["exp", "iat", "sub", "sid", "aud", "iss"]},
            leeway=LEEWAY_S,
        )
        kind, _, user_id = str(payload["sub"]).partition(":")
        if kind not in ("portal", "staff"):
            return None
        return AccessClaims(
            kind, int(user_id), uuid.UUID(str(payload["sid"])), expires_at=int(payload["exp"])
        )
    except (jwt.PyJWTError, ValueError, KeyError):
        return None


def new_opaque_token() -> str:
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """Refresh and reset tokens are stored as SHA-256: high-entropy, so no slow hash is needed."""
    return hashlib.sha256(token.encode()).hexdigest()
