"""Settings from the environment. Secrets never come from the repository: the demo generates its
own on first start and keeps them in the data folder."""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path


def _bool(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(value: str | None, default: int) -> int:
    return int(value) if value not in (None, "") else default


@dataclass
class Settings:
    environment: str = "development"  # "development" or "production"
    data_dir: Path = Path(".data")
    database_url: str | None = None
    jwt_secret: str = ""
    jwt_issuer: str = "pressroom"
    jwt_audience: str = "pressroom-api"
    access_token_ttl_s: int = 900
    refresh_token_ttl_s: int = 30 * 24 * 3600
    password_reset_ttl_s: int = 3600
    price_token_ttl_s: int = 24 * 3600
    cors_origins: list[str] = field(default_factory=list)
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 1025
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = False
    mail_from: str = "Pressroom <no-reply@shop.example>"
    mail_enabled: bool = True
    # GraphQL hardening (OWASP GraphQL cheat sheet)
    max_depth: int = 12
    max_aliases: int = 30
    max_tokens: int = 5000
    max_cost: int = 5000
    max_page_size: int = 100
    default_page_size: int = 20
    # Units of work a document may expand to in validation (schema/document_limits.py).
    max_validation_work: int = 50_000
    # Request bodies (server/request_limits.py): JSON, multipart in total and per file.
    max_json_bytes: int = 1024 * 1024
    max_upload_bytes: int = 110 * 1024 * 1024
    max_upload_file_bytes: int = 100 * 1024 * 1024
    # Wall-clock budget of one GraphQL operation; past it the operation is cancelled and its
    # transaction rolled back (schema/request_budget.py). 0 turns it off.
    request_timeout_s: float = 10.0
    # Failed-login throttle
    login_max_failures_account: int = 5
    login_max_failures_address: int = 30
    login_window_s: int = 900
    public_base_url: str = "http://127.0.0.1:8000"
    # Process-local read caches (viewers, catalog pages, price lookups), invalidated through
    # PostgreSQL notifications from the tables they are built from (domain/shared/read_cache.py).
    read_caches: bool = True
    # The garbage collector's generation thresholds in served processes (server/app.py).
    gc_thresholds: tuple[int, int, int] = (10_000, 20, 100)

    @property
    def debug(self) -> bool:
        return self.environment != "production"

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        data_dir = Path(env.get("PRESSROOM_DATA_DIR") or ".data")
        s = cls(
            environment=env.get("PRESSROOM_ENV", "development"),
            data_dir=data_dir,
            database_url=env.get("DATABASE_URL") or None,
            jwt_secret=env.get("PRESSROOM_JWT_SECRET", ""),
            cors_origins=[o for o in env.get("PRESSROOM_CORS_ORIGINS", "").split(",") if o],
            smtp_host=env.get("SMTP_HOST", "127.0.0.1"),
            smtp_port=_int(env.get("SMTP_PORT"), 1025),
            smtp_username=env.get("SMTP_USERNAME") or None,
            smtp_password=env.get("SMTP_PASSWORD") or None,
            smtp_starttls=_bool(env.get("SMTP_STARTTLS"), False),
            mail_from=env.get("MAIL_FROM", "Pressroom <no-reply@shop.example>"),
            mail_enabled=_bool(env.get("PRESSROOM_MAIL_ENABLED"), True),
            max_cost=_int(env.get("PRESSROOM_MAX_COST"), 5000),
            max_validation_work=_int(env.get("PRESSROOM_MAX_VALIDATION_WORK"), 50_000),
            max_json_bytes=_int(env.get("PRESSROOM_MAX_JSON_BYTES"), 1024 * 1024),
            max_upload_bytes=_int(env.get("PRESSROOM_MAX_UPLOAD_BYTES"), 110 * 1024 * 1024),
            max_upload_file_bytes=_int(
                env.get("PRESSROOM_MAX_UPLOAD_FILE_BYTES"), 100 * 1024 * 1024
            ),
            request_timeout_s=float(env.get("PRESSROOM_REQUEST_TIMEOUT_S") or 10.0),
            public_base_url=env.get("PRESSROOM_PUBLIC_URL", "http://127.0.0.1:8000"),
            read_caches=_bool(env.get("PRESSROOM_READ_CACHES"), True),
            gc_thresholds=_thresholds(env.get("PRESSROOM_GC_THRESHOLDS"), (10_000, 20, 100)),
        )
        if s.environment not in {"development", "production"}:
            raise ValueError("PRESSROOM_ENV must be 'development' or 'production'")
        if not s.jwt_secret:
            if s.environment == "production":
                raise ValueError("PRESSROOM_JWT_SECRET must be set in production")
            s.jwt_secret = _local_secret(data_dir, "jwt_secret")
        return s


def _thresholds(value: str | None, default: tuple[int, int, int]) -> tuple[int, int, int]:
    if value in (None, ""):
        return default
    parts = [int(p) for p in value.split(",")]
    if len(parts) != 3 or any(p < 1 for p in parts):
        raise ValueError("PRESSROOM_GC_THRESHOLDS takes three positive integers, e.g. 10000,20,100")
    return (parts[0], parts[1], parts[2])


def _local_secret(data_dir: Path, name: str) -> str:
    """A development secret generated once and kept in the data folder (never committed)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "secrets.json"
    stored: dict[str, str] = json.loads(path.read_text()) if path.exists() else {}
    if name not in stored:
        stored[name] = secrets.token_urlsafe(48)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(stored))
        tmp.chmod(0o600)
        tmp.replace(path)
    return stored[name]
