"""Entry point for uvicorn workers: `uvicorn --factory server.asgi:app_factory`."""

from __future__ import annotations

from starlette.applications import Starlette

from server.app import create_app
from server.observability.logs import configure_logging
from server.settings import Settings


def app_factory() -> Starlette:
    settings = Settings.from_env()
    configure_logging(json=settings.log_format == "json", level=settings.log_level)
    return create_app(settings, tune_gc=True)
