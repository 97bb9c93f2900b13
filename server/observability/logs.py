"""Log output of a served process: JSON lines in production, readable lines in development.

Code logs through the standard library (`logging.getLogger("pressroom...")`, fields in
``extra=``); structlog's `ProcessorFormatter` renders every record, ours and the libraries'
(uvicorn, SQLAlchemy), with the request id bound for the current request
(`structlog.contextvars`). One handler on the root logger, replaced on every call, so calling
this again (another app in the same process) does not duplicate lines.
"""

from __future__ import annotations

import logging
import sys
from typing import Any, TextIO

import structlog

# Loggers whose lines our own request line replaces, or that would repeat the request's
# document: strawberry logs every GraphQL error (validation included) with the source excerpt.
_SILENCED = {"uvicorn.access": logging.WARNING, "strawberry.execution": logging.CRITICAL}
_HANDLER_NAME = "pressroom"


def _drop_color_message(_: Any, __: str, event: dict[str, Any]) -> dict[str, Any]:
    """uvicorn adds an ANSI-coloured copy of its message to its records."""
    event.pop("color_message", None)
    return event


def configure_logging(
    *, json: bool, level: str | int = logging.INFO, stream: TextIO | None = None
) -> None:
    """Route every log record through structlog's renderer (JSON or console)."""
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.stdlib.ExtraAdder(),
        _drop_color_message,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    renderer: Any
    if json:
        renderer = structlog.processors.JSONRenderer()
        final: list[Any] = [structlog.processors.format_exc_info, renderer]
    else:
        final = [structlog.dev.ConsoleRenderer(colors=False)]
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, *final],
    )
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == _HANDLER_NAME]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for name, at_least in _SILENCED.items():
        logging.getLogger(name).setLevel(at_least)
    # uvicorn's own loggers carry their handlers; let ours render them instead.
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        lg = logging.getLogger(name)
        lg.handlers.clear()
        lg.propagate = True
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.stdlib.add_log_level,
            structlog.stdlib.add_logger_name,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
