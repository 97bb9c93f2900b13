"""Resolve the database URL: DATABASE_URL, or the embedded server in the data folder."""

from __future__ import annotations

import os
from pathlib import Path

from server.settings import Settings


def resolve_database_url(settings: Settings) -> str:
    """Start the embedded PostgreSQL when no external database is configured. The URL is also
    put into the environment so worker processes started by uvicorn attach to the same server."""
    if settings.database_url:
        return settings.database_url
    from adapters.embedded_db import start_embedded

    url = start_embedded(Path(settings.data_dir))
    settings.database_url = url
    os.environ["DATABASE_URL"] = url
    return url
