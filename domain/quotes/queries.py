"""Quote lists for the portal and the shop, always scoped by the viewer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, or_, select

from domain.accounts.viewer import Viewer
from domain.quotes.models import Quote, Rfq
from domain.quotes.policies import quote_scope
from domain.quotes.rfq import rfq_scope
from domain.quotes.state import QuoteStatus


def quotes_query(
    viewer: Viewer,
    *,
    company_id: int | None = None,
    statuses: Sequence[QuoteStatus] | None = None,
    valid_on: dt.date | None = None,
    number: str | None = None,
    search: str | None = None,
) -> Select[Any]:
    """Newest first. ``valid_on``: quotes still valid on that day; ``search``: every word in
    the number, title, request or reference."""
    stmt = select(Quote).where(quote_scope(viewer))
    if company_id is not None:
        stmt = stmt.where(Quote.company_id == company_id)
    if statuses:
        stmt = stmt.where(Quote.status.in_(list(statuses)))
    if valid_on is not None:
        stmt = stmt.where(Quote.valid_until >= valid_on)
    if number:
        stmt = stmt.where(Quote.number == number.strip().lower())
    for term in (search or "").split():
        stmt = stmt.where(
            or_(
                Quote.number.icontains(term, autoescape=True),
                Quote.title.icontains(term, autoescape=True),
                Quote.request_text.icontains(term, autoescape=True),
                Quote.customer_reference.icontains(term, autoescape=True),
            )
        )
    return stmt.order_by(Quote.created_at.desc(), Quote.id.desc())


def rfqs_query(viewer: Viewer, quote_id: int | None = None) -> Select[Any]:
    """RFQs the viewer may see (staff: all, a partner: those addressed to it), newest first."""
    stmt = select(Rfq).where(rfq_scope(viewer))
    if quote_id is not None:
        stmt = stmt.where(Rfq.quote_id == quote_id)
    return stmt.order_by(Rfq.created_at.desc(), Rfq.id.desc())
