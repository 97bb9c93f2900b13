"""Offset pages with a total count: two statements whatever the page size."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select

from domain.shared.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class Page:
    items: Sequence[Any]
    offset: int
    total: int


async def fetch_page(uow: UnitOfWork, stmt: Select[Any], offset: int, limit: int) -> Page:
    """``stmt`` must carry its ORDER BY (with a unique tie-breaker) for stable pages."""
    total = int(
        await uow.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    )
    items = await uow.scalars(stmt.offset(offset).limit(limit)) if limit > 0 else []
    return Page(items=items, offset=offset, total=total)
