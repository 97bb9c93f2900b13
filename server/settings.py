"""Settings from the environment. Secrets never come from the repository: the demo generates its
own on first start and keeps them in the data folder."""

from __future__ import annotations

import hmac
import json
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from server.rate_limits import DEFAULT_LIMITS, parse_limits


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
    # None: in development, mail goes to the catcher (.data/mail, /dev/mail); in production
    # to 127.0.0.1.
    smtp_host: str | None = None
    smtp_port: int = 1025
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = False
    mail_from: str = "Pressroom <no-reply@shop.example>"
    # A failed mail is retried after mail_backoff_s, then twice as long each time.
    mail_max_attempts: int = 5
    mail_backoff_s: float = 30.0
    # Notifications (domain/notifications): staff alerts (new order, supplier failure, payment
    # failed) go to this address (None: no staff alerts). SMS go to a Twilio-compatible REST
    # API at sms_api_url (account SID, auth token, sender); without one, in development they
    # are written to the mail catcher, in production none is sent.
    staff_alert_email: str | None = None
    sms_api_url: str | None = None
    sms_account: str | None = None
    sms_token: str | None = None
    sms_from: str = "Pressroom"
    # Background jobs: `pressroom serve` runs a worker in each process unless this is off
    # (`--no-worker`); `pressroom worker` runs one on its own.
    embedded_worker: bool = True
    worker_concurrency: int = 4
    # How often an idle worker looks for due jobs (new jobs wake it at once through NOTIFY;
    # this catches delays and retries that came due).
    job_poll_interval_s: float = 1.0
    # Succeeded jobs are forgotten after this many days (failed ones stay for staff).
    job_retention_days: float = 14.0
    # Change feed entries (domain/changes) are deleted after this many days by the hourly
    # `changes.prune` job; a reader whose cursor is older gets CURSOR_EXPIRED and resyncs.
    change_log_retention_days: float = 90.0
    # Delivery dates (domain/fulfilment): the shop's time zone, daily order cut-off, holidays,
    # and the working days of production per turnaround option ("standard" is the default).
    shop_timezone: str = "Europe/Berlin"
    order_cutoff: str = "14:00"
    holidays: list[str] = field(default_factory=list)
    turnarounds: dict[str, int] = field(default_factory=lambda: {"standard": 5, "express": 2})
    # The sender printed on labels and delivery notes (never a supplier's: blind shipping).
    shop_sender: dict[str, str] = field(
        default_factory=lambda: {
            "name": "Pressroom Print Shop",
            "street": "Druckerweg 1",
            "postalCode": "10115",
            "city": "Berlin",
            "country": "DE",
        }
    )
    # Sendcloud (adapters/carriers/sendcloud.py): registered as carrier "sendcloud" when the
    # API keys are set.
    sendcloud_public_key: str | None = None
    sendcloud_secret_key: str | None = None
    sendcloud_base_url: str = "https://panel.sendcloud.sc/api/v2"
    # Supplier routing (domain/routing): who is alerted when a hand-off is given up, the sender
    # details suppliers print for blind shipping (the shop's; per sales channel code a brand's),
    # and the hand-off's retries.
    channel_senders: dict[str, dict[str, str]] = field(default_factory=dict)
    supplier_max_attempts: int = 6
    supplier_backoff_s: float = 60.0
    # Billing (domain/billing): the shop as seller on invoices (PRESSROOM_SELLER_NAME, _STREET,
    # _POSTAL_CODE, _CITY, _COUNTRY, _VAT_ID, _EMAIL, _IBAN, _BIC) and when a per-order invoice
    # is issued (PRESSROOM_INVOICE_ON: DELIVERED or COMPLETED).
    seller: dict[str, str] = field(default_factory=dict)
    invoice_on: str = "DELIVERED"
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
    # How often a websocket opened with an API key looks the key up again (closed once revoked).
    ws_key_recheck_s: float = 30.0
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
    # Operations (README, "Running in production")
    log_format: str = "console"  # "json" (the default in production) or "console"
    log_level: str = "INFO"
    # Rate limits by "class.key" (server/rate_limits.py); None turns them off.
    rate_limits: dict[str, str] | None = field(default_factory=lambda: dict(DEFAULT_LIMITS))
    metrics_enabled: bool = True
    metrics_token: str | None = None  # when set, /metrics wants `Authorization: Bearer <it>`
    metrics_interval_s: float = 5.0
    tracing: bool = False  # OTEL_EXPORTER_OTLP_ENDPOINT set, or PRESSROOM_TRACING=true
    # Webhooks (adapters/webhook_worker.py): every served process dispatches and delivers.
    webhooks_enabled: bool = True
    webhook_poll_interval_s: float = 1.0
    webhook_max_attempts: int = 10
    webhook_backoff_base_s: float = 5.0
    webhook_disable_after: int = 50
    webhook_timeout_s: float = 10.0
    # Online payments through Stripe (adapters/stripe_gateway.py): off without a secret key.
    # `stripe_api_base` points the SDK elsewhere (tests: a local Stripe emulator).
    stripe_secret_key: str | None = None
    stripe_webhook_secret: str | None = None
    stripe_api_base: str | None = None

    @property
    def link_secret(self) -> bytes:
        """The key of signed download links for suppliers, derived from the JWT secret."""
        return hmac.new(self.jwt_secret.encode(), b"supplier-file-links", "sha256").digest()

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
            stripe_secret_key=env.get("PRESSROOM_STRIPE_SECRET_KEY") or None,
            stripe_webhook_secret=env.get("PRESSROOM_STRIPE_WEBHOOK_SECRET") or None,
            stripe_api_base=env.get("PRESSROOM_STRIPE_API_BASE") or None,
            cors_origins=[o for o in env.get("PRESSROOM_CORS_ORIGINS", "").split(",") if o],
            smtp_host=env.get("SMTP_HOST") or None,
            smtp_port=_int(env.get("SMTP_PORT"), 1025),
            smtp_username=env.get("SMTP_USERNAME") or None,
            smtp_password=env.get("SMTP_PASSWORD") or None,
            smtp_starttls=_bool(env.get("SMTP_STARTTLS"), False),
            mail_from=env.get("MAIL_FROM", "Pressroom <no-reply@shop.example>"),
            mail_max_attempts=_int(env.get("PRESSROOM_MAIL_MAX_ATTEMPTS"), 5),
            mail_backoff_s=float(env.get("PRESSROOM_MAIL_BACKOFF_S") or 30.0),
            staff_alert_email=env.get("PRESSROOM_STAFF_ALERT_EMAIL") or None,
            sms_api_url=env.get("SMS_API_URL") or None,
            sms_account=env.get("SMS_ACCOUNT") or None,
            sms_token=env.get("SMS_TOKEN") or None,
            sms_from=env.get("SMS_FROM") or "Pressroom",
            embedded_worker=_bool(env.get("PRESSROOM_EMBEDDED_WORKER"), True),
            worker_concurrency=_int(env.get("PRESSROOM_WORKER_CONCURRENCY"), 4),
            job_poll_interval_s=float(env.get("PRESSROOM_JOB_POLL_INTERVAL_S") or 1.0),
            job_retention_days=float(env.get("PRESSROOM_JOB_RETENTION_DAYS") or 14.0),
            change_log_retention_days=float(env.get("PRESSROOM_CHANGE_LOG_RETENTION_DAYS") or 90.0),
            shop_timezone=env.get("PRESSROOM_SHOP_TIMEZONE") or "Europe/Berlin",
            order_cutoff=env.get("PRESSROOM_ORDER_CUTOFF") or "14:00",
            holidays=[d.strip() for d in env.get("PRESSROOM_HOLIDAYS", "").split(",") if d.strip()],
            turnarounds=_turnarounds(env.get("PRESSROOM_TURNAROUNDS")),
            shop_sender=_sender(env.get("PRESSROOM_SHOP_SENDER")),
            sendcloud_public_key=env.get("SENDCLOUD_PUBLIC_KEY") or None,
            sendcloud_secret_key=env.get("SENDCLOUD_SECRET_KEY") or None,
            sendcloud_base_url=env.get("SENDCLOUD_BASE_URL") or "https://panel.sendcloud.sc/api/v2",
            channel_senders=json.loads(env.get("PRESSROOM_CHANNEL_SENDERS") or "{}"),
            supplier_max_attempts=_int(env.get("PRESSROOM_SUPPLIER_MAX_ATTEMPTS"), 6),
            supplier_backoff_s=float(env.get("PRESSROOM_SUPPLIER_BACKOFF_S") or 60.0),
            max_cost=_int(env.get("PRESSROOM_MAX_COST"), 5000),
            max_validation_work=_int(env.get("PRESSROOM_MAX_VALIDATION_WORK"), 50_000),
            max_json_bytes=_int(env.get("PRESSROOM_MAX_JSON_BYTES"), 1024 * 1024),
            max_upload_bytes=_int(env.get("PRESSROOM_MAX_UPLOAD_BYTES"), 110 * 1024 * 1024),
            max_upload_file_bytes=_int(
                env.get("PRESSROOM_MAX_UPLOAD_FILE_BYTES"), 100 * 1024 * 1024
            ),
            request_timeout_s=float(env.get("PRESSROOM_REQUEST_TIMEOUT_S") or 10.0),
            ws_key_recheck_s=float(env.get("PRESSROOM_WS_KEY_RECHECK_S") or 30.0),
            public_base_url=env.get("PRESSROOM_PUBLIC_URL", "http://127.0.0.1:8000"),
            read_caches=_bool(env.get("PRESSROOM_READ_CACHES"), True),
            gc_thresholds=_thresholds(env.get("PRESSROOM_GC_THRESHOLDS"), (10_000, 20, 100)),
            log_format=env.get("PRESSROOM_LOG_FORMAT")
            or ("json" if env.get("PRESSROOM_ENV") == "production" else "console"),
            log_level=(env.get("PRESSROOM_LOG_LEVEL") or "INFO").upper(),
            rate_limits=parse_limits(env.get("PRESSROOM_RATE_LIMITS")),
            metrics_enabled=_bool(env.get("PRESSROOM_METRICS"), True),
            metrics_token=env.get("PRESSROOM_METRICS_TOKEN") or None,
            tracing=tracing_configured(env),
            webhooks_enabled=_bool(env.get("PRESSROOM_WEBHOOKS_ENABLED"), True),
            webhook_poll_interval_s=float(env.get("PRESSROOM_WEBHOOK_POLL_S") or 1.0),
            webhook_max_attempts=_int(env.get("PRESSROOM_WEBHOOK_MAX_ATTEMPTS"), 10),
            webhook_backoff_base_s=float(env.get("PRESSROOM_WEBHOOK_BACKOFF_S") or 5.0),
            webhook_disable_after=_int(env.get("PRESSROOM_WEBHOOK_DISABLE_AFTER"), 50),
            webhook_timeout_s=float(env.get("PRESSROOM_WEBHOOK_TIMEOUT_S") or 10.0),
            seller={
                key: env[f"PRESSROOM_SELLER_{key.upper()}"]
                for key in SELLER_FIELDS
                if env.get(f"PRESSROOM_SELLER_{key.upper()}")
            },
            invoice_on=(env.get("PRESSROOM_INVOICE_ON") or "DELIVERED").upper(),
        )
        if s.invoice_on not in {"DELIVERED", "COMPLETED"}:
            raise ValueError("PRESSROOM_INVOICE_ON must be DELIVERED or COMPLETED")
        if s.log_format not in {"json", "console"}:
            raise ValueError("PRESSROOM_LOG_FORMAT must be 'json' or 'console'")
        if s.environment not in {"development", "production"}:
            raise ValueError("PRESSROOM_ENV must be 'development' or 'production'")
        if not s.jwt_secret:
            if s.environment == "production":
                raise ValueError("PRESSROOM_JWT_SECRET must be set in production")
            s.jwt_secret = _local_secret(data_dir, "jwt_secret")
        return s


SELLER_FIELDS = (
    "name",
    "street",
    "postal_code",
    "city",
    "country",
    "vat_id",
    "email",
    "iban",
    "bic",
)


def tracing_configured(env: dict[str, str]) -> bool:
    """Traces are exported only when an OTLP endpoint is set or PRESSROOM_TRACING is on."""
    endpoints = ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
    return any(env.get(name) for name in endpoints) or _bool(env.get("PRESSROOM_TRACING"), False)


def _sender(value: str | None) -> dict[str, str]:
    """``name|street|postal code|city|country``: the shop's sender address."""
    if not value:
        return Settings().shop_sender
    parts = [p.strip() for p in value.split("|")]
    if len(parts) != 5 or not all(parts):
        raise ValueError("PRESSROOM_SHOP_SENDER takes name|street|postal code|city|country")
    return dict(zip(("name", "street", "postalCode", "city", "country"), parts, strict=True))


def _turnarounds(value: str | None) -> dict[str, int]:
    """``standard:5,express:2``: working days of production per turnaround option."""
    if not value:
        return {"standard": 5, "express": 2}
    found = {}
    for part in value.split(","):
        key, _, days = part.strip().partition(":")
        if not key or not days.isdigit():
            raise ValueError(
                "PRESSROOM_TURNAROUNDS takes key:days pairs, e.g. standard:5,express:2"
            )
        found[key] = int(days)
    if "standard" not in found:
        raise ValueError("PRESSROOM_TURNAROUNDS needs the default option 'standard'")
    return found


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
