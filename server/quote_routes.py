"""Quote PDFs behind signed, expiring links, and the periodic expiry of overdue quotes."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from adapters.db import Sessions, SqlUnitOfWork
from domain.quotes.expiry import expire_due_quotes
from domain.quotes.links import LinkSigner
from domain.quotes.sending import revision_pdf
from domain.shared.errors import DomainError
from domain.shared.models import utcnow
from domain.shared.ports import FileStorage

logger = logging.getLogger("pressroom.quotes")


def quote_pdf_endpoint(signer: LinkSigner, files: FileStorage, sessions: Sessions):  # type: ignore[no-untyped-def]
    """GET /files/quotes/{quote_id}/{revision}.pdf?expires=…&signature=…: the signature is the
    permission (Quote.pdfUrl makes it); a wrong or expired one answers 404 like a missing PDF."""

    async def endpoint(request: Request) -> Response:
        try:
            quote_id = int(request.path_params["quote_id"])
            revision = int(request.path_params["revision"])
            expires = int(request.query_params.get("expires", "0"))
        except ValueError:
            return JSONResponse({"error": "not found"}, status_code=404)
        signature = request.query_params.get("signature", "")
        if not signer.verify(quote_id, revision, expires, signature, int(time.time())):
            return JSONResponse({"error": "not found"}, status_code=404)
        uow = SqlUnitOfWork(sessions)
        try:
            quote, data = await revision_pdf(uow, files, quote_id, revision)
        except (DomainError, FileNotFoundError):
            return JSONResponse({"error": "not found"}, status_code=404)
        finally:
            await uow.close()
        return Response(
            data,
            media_type="application/pdf",
            headers={
                "content-disposition": f'inline; filename="{quote.number}-r{revision}.pdf"',
                "cache-control": "private, no-store",
            },
        )

    return endpoint


async def expire_quotes_forever(
    sessions: Sessions, interval_s: float = 300.0, first_after_s: float = 30.0
) -> None:
    """Every ``interval_s`` (the first time ``first_after_s`` after start, out of the way of
    start-up): expire the quotes whose validity date passed. Any number of processes may run
    it (rows are claimed with SKIP LOCKED); returns only by cancellation."""
    await asyncio.sleep(first_after_s)
    while True:
        uow = SqlUnitOfWork(sessions)
        try:
            count = await expire_due_quotes(uow, utcnow())
            if count:
                logger.info("expired %s quotes", count)
        except Exception:
            logger.exception("quote expiry failed; retry in %.0f s", interval_s)
        finally:
            with contextlib.suppress(Exception):
                await uow.close()
        await asyncio.sleep(interval_s)
