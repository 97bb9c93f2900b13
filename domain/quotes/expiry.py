"""Quotes past their validity date expire by themselves: a periodic check in every server
process and the accept path both call ``expire_due_quotes``, so nothing expired is accepted."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from domain.quotes.history import record
from domain.quotes.models import Quote
from domain.quotes.state import QuoteStatus
from domain.shared.uow import UnitOfWork

BATCH = 200


def is_due(quote: Quote, today: dt.date) -> bool:
    """A sent quote expires the day after its validity date."""
    return (
        quote.status is QuoteStatus.SENT
        and quote.valid_until is not None
        and quote.valid_until < today
    )


async def expire(uow: UnitOfWork, quote: Quote, now: dt.datetime) -> None:
    """Inside a command that holds the quote's row lock."""
    quote.status = QuoteStatus.EXPIRED
    quote.closed_at = now
    record(
        uow,
        None,
        quote,
        "expired",
        f"valid until {quote.valid_until}",
        from_status=QuoteStatus.SENT,
    )


async def expire_due_quotes(uow: UnitOfWork, now: dt.datetime) -> int:
    """Expire every sent quote whose validity date has passed; returns how many. Idempotent,
    and safe beside other processes doing the same (rows are claimed with SKIP LOCKED)."""
    expired = 0
    while True:
        async with uow:
            rows = await uow.scalars(
                select(Quote)
                .where(Quote.status == QuoteStatus.SENT, Quote.valid_until < now.date())
                .order_by(Quote.id)
                .limit(BATCH)
                .with_for_update(skip_locked=True)
            )
            for quote in rows:
                await expire(uow, quote, now)
            await uow.session.flush()
            await uow.commit()
        expired += len(rows)
        if len(rows) < BATCH:
            return expired
