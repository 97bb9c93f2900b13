"""Log rendering (server/observability/logs.py): one JSON object per line in production, the
stack inside it; readable lines in development; the request id bound for a request."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
import structlog

from server.observability.logs import configure_logging


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for h in list(root.handlers):
        if h not in handlers:
            root.removeHandler(h)
    root.setLevel(level)


def test_json_lines_with_the_stack_and_the_bound_request_id(restore_logging: None) -> None:
    out = io.StringIO()
    configure_logging(json=True, stream=out)
    configure_logging(json=True, stream=out)  # again: still one handler
    structlog.contextvars.bind_contextvars(request_id="r-1")
    try:
        logging.getLogger("pressroom.request").info("request", extra={"status": 200})
        try:
            raise ValueError("bad")
        except ValueError:
            logging.getLogger("pressroom.graphql").exception("unexpected error in request r-1")
    finally:
        structlog.contextvars.unbind_contextvars("request_id")
    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    first, second = (json.loads(line) for line in lines)
    assert first["event"] == "request" and first["status"] == 200 and first["request_id"] == "r-1"
    assert first["level"] == "info" and first["logger"] == "pressroom.request"
    assert second["level"] == "error" and "ValueError: bad" in second["exception"]


def test_console_lines_for_development(restore_logging: None) -> None:
    out = io.StringIO()
    configure_logging(json=False, stream=out)
    logging.getLogger("pressroom.request").info("request", extra={"status": 404})
    text = out.getvalue()
    assert "request" in text and "status=404" in text and not text.startswith("{")
    # Strawberry's per-error log (with document excerpts) stays silent.
    assert logging.getLogger("strawberry.execution").getEffectiveLevel() > logging.ERROR
