"""Gapless document numbers per series and year.

The counter row of (series, year) is incremented with ``UPDATE ... RETURNING`` inside the
issuing transaction, which holds the row lock until commit: concurrent issuers queue behind
it and get consecutive numbers, and a transaction that rolls back gives its number back with
the increment, so the next issuer gets the same number and no gap remains. Numbers are
assigned at issue only, never to a draft, and an issued document is never deleted
(``ON DELETE RESTRICT`` from its lines and credit notes; no service deletes one)."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert

from domain.billing.models import InvoiceCounter
from domain.shared.uow import UnitOfWork


async def next_number(uow: UnitOfWork, series: str, year: int) -> int:
    """The next number of ``series`` in ``year``, locked until the caller's commit."""
    await uow.session.execute(
        insert(InvoiceCounter)
        .values(series=series, year=year, last_number=0)
        .on_conflict_do_nothing(index_elements=["series", "year"])
    )
    result = await uow.session.execute(
        update(InvoiceCounter)
        .where(InvoiceCounter.series == series, InvoiceCounter.year == year)
        .values(last_number=InvoiceCounter.last_number + 1)
        .returning(InvoiceCounter.last_number)
    )
    return int(result.scalar_one())


def format_number(series: str, year: int, sequence: int) -> str:
    """``RE-2026-00042``: series, year, and the sequence within them."""
    return f"{series}-{year}-{sequence:05d}"
