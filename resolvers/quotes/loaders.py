"""Per-request DataLoaders of the quotes area, reached as ``info.context.loaders.quotes``:
quotes by the viewer's scope, RFQs and answers for staff and the partner addressed."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from functools import cached_property
from typing import Any

from sqlalchemy import ColumnElement, select
from strawberry.dataloader import DataLoader

from domain.accounts.viewer import Viewer
from domain.quotes.models import (
    Quote,
    QuoteHistoryEntry,
    QuoteLine,
    QuoteRevision,
    Rfq,
    RfqInvitation,
)
from domain.quotes.policies import quote_scope
from domain.quotes.rfq import invitation_scope, rfq_scope
from domain.shared.uow import UnitOfWork


class QuoteLoaders:
    def __init__(self, uow: UnitOfWork, viewer: Viewer) -> None:
        self.uow = uow
        self.viewer = viewer

    def _by(self, model: Any, column: Any, scope: ColumnElement[bool]) -> DataLoader[int, Any]:
        async def load(keys: Sequence[int]) -> list[Any]:
            rows = await self.uow.scalars(select(model).where(column.in_(keys), scope))
            found = {getattr(row, column.key): row for row in rows}
            return [found.get(k) for k in keys]

        return DataLoader(load_fn=load)

    def _many(
        self, model: Any, column: Any, order: Any, scope: ColumnElement[bool], join: Any = None
    ) -> DataLoader[int, list[Any]]:
        async def load(keys: Sequence[int]) -> list[list[Any]]:
            stmt = select(model)
            if join is not None:
                stmt = stmt.join(*join)
            rows = await self.uow.scalars(stmt.where(column.in_(keys), scope).order_by(order))
            grouped: dict[int, list[Any]] = defaultdict(list)
            for row in rows:
                grouped[getattr(row, column.key)].append(row)
            return [grouped.get(k, []) for k in keys]

        return DataLoader(load_fn=load)

    @cached_property
    def quote(self) -> DataLoader[int, Quote | None]:
        return self._by(Quote, Quote.id, quote_scope(self.viewer))

    @cached_property
    def quote_by_order(self) -> DataLoader[int, Quote | None]:
        return self._by(Quote, Quote.order_id, quote_scope(self.viewer))

    @cached_property
    def line(self) -> DataLoader[int, QuoteLine | None]:
        async def load(keys: Sequence[int]) -> list[QuoteLine | None]:
            rows = await self.uow.scalars(
                select(QuoteLine)
                .join(Quote, Quote.id == QuoteLine.quote_id)
                .where(QuoteLine.id.in_(keys), quote_scope(self.viewer))
            )
            found = {r.id: r for r in rows}
            return [found.get(k) for k in keys]

        return DataLoader(load_fn=load)

    @cached_property
    def lines_by_quote(self) -> DataLoader[int, list[QuoteLine]]:
        return self._many(
            QuoteLine,
            QuoteLine.quote_id,
            QuoteLine.position,
            quote_scope(self.viewer),
            (Quote, Quote.id == QuoteLine.quote_id),
        )

    @cached_property
    def revisions_by_quote(self) -> DataLoader[int, list[QuoteRevision]]:
        return self._many(
            QuoteRevision,
            QuoteRevision.quote_id,
            QuoteRevision.revision,
            quote_scope(self.viewer),
            (Quote, Quote.id == QuoteRevision.quote_id),
        )

    @cached_property
    def history_by_quote(self) -> DataLoader[int, list[QuoteHistoryEntry]]:
        return self._many(
            QuoteHistoryEntry,
            QuoteHistoryEntry.quote_id,
            QuoteHistoryEntry.id,
            quote_scope(self.viewer),
            (Quote, Quote.id == QuoteHistoryEntry.quote_id),
        )

    @cached_property
    def rfq(self) -> DataLoader[int, Rfq | None]:
        return self._by(Rfq, Rfq.id, rfq_scope(self.viewer))

    @cached_property
    def rfqs_by_quote(self) -> DataLoader[int, list[Rfq]]:
        return self._many(Rfq, Rfq.quote_id, Rfq.id, rfq_scope(self.viewer))

    @cached_property
    def invitation(self) -> DataLoader[int, RfqInvitation | None]:
        return self._by(RfqInvitation, RfqInvitation.id, invitation_scope(self.viewer))

    @cached_property
    def invitations_by_rfq(self) -> DataLoader[int, list[RfqInvitation]]:
        return self._many(
            RfqInvitation, RfqInvitation.rfq_id, RfqInvitation.id, invitation_scope(self.viewer)
        )
