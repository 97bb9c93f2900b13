"""Quote PDFs behind signed, expiring links, and the periodic expiry of overdue quotes."""

from __future__ import annotations

import logging
import time
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from adapters.db import Sessions, SqlUnitOfWork
from domain.quotes.expiry import expire_due_quotes
from domain.quotes.links import LinkSigner
from domain.quotes.sending import revision_pdf
from domain.shared.errors import DomainError
from domain.shared.jobs import JobRun, JobTask
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


QUOTE_EXPIRY_TASK = "quotes.expire"


def quote_expiry_task(sessions: Sessions) -> JobTask:
    """Every five minutes, one worker expires the quotes whose validity date passed (accepting
    and declining check it too, so nothing is accepted late in between)."""

    async def run(job: JobRun, payload: dict[str, Any]) -> None:
        uow = SqlUnitOfWork(sessions)
        try:
            count = await expire_due_quotes(uow, utcnow())
        finally:
            await uow.close()
        if count:
            logger.info("expired %s quotes", count)

    return JobTask(QUOTE_EXPIRY_TASK, run, max_attempts=1, cron="*/5 * * * *")
