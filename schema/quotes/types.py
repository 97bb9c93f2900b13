"""Quotes (offers to customers) with lines, revisions and history; RFQs to partners."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, TypeAlias

import strawberry
from graphql import GraphQLError
from strawberry import relay
from strawberry.scalars import JSON

from domain.quotes import models as qm
from domain.quotes import state
from domain.quotes.errors import QuoteErrorCode as _QuoteErrorCode
from schema.accounts.types import StaffUser
from schema.context import Info
from schema.core import UserError
from schema.pricing.types import Money
from schema.stock.types import Supplier

QuoteStatus: TypeAlias = state.QuoteStatus
strawberry.enum(QuoteStatus, description="Where a quote stands.")
QuoteLineKind: TypeAlias = state.QuoteLineKind
strawberry.enum(QuoteLineKind, description="What a quote line offers.")
QuoteActor: TypeAlias = state.QuoteActor
strawberry.enum(QuoteActor, description="Who changed a quote.")
RfqStatus: TypeAlias = state.RfqStatus
strawberry.enum(RfqStatus, description="Where a request for quotation stands.")
RfqInvitationStatus: TypeAlias = state.RfqInvitationStatus
strawberry.enum(RfqInvitationStatus, description="Where one partner's answer to an RFQ stands.")
QuoteErrorCode: TypeAlias = _QuoteErrorCode
strawberry.enum(QuoteErrorCode, description="Why a quote or RFQ mutation failed.")


@strawberry.type(description="A failure of a quote or RFQ mutation.")
class QuoteError(UserError):
    code: QuoteErrorCode


def _money(amount: int | None, currency: str) -> Money | None:
    return None if amount is None else Money(amount=amount, currency=currency)


def pdf_url(info: Info, quote_id: int, revision: int) -> str:
    """A signed link to a revision's PDF, valid for a week from now."""
    services = info.context.services
    signer = services.quote_links
    if signer is None:
        raise GraphQLError("Quote PDFs are not available on this server.")
    expires, signature = signer.sign(quote_id, revision, int(time.time()))
    base = services.public_base_url.rstrip("/")
    return f"{base}/files/quotes/{quote_id}/{revision}.pdf?expires={expires}&signature={signature}"


async def _nodes(cls: Any, info: Info, node_ids: Iterable[str], loader: str) -> list[Any]:
    ids = []
    for raw in node_ids:
        try:
            ids.append(int(raw))
        except ValueError:
            ids.append(-1)
    rows = await getattr(info.context.loaders.quotes, loader).load_many(ids)
    return [cls.from_model(r) if r is not None else None for r in rows]


@strawberry.type(description="A hand-set price of a line: who set it, when and why. Staff only.")
class QuotePriceOverride:
    net: Money
    reason: str
    at: dt.datetime | None
    _staff_id: strawberry.Private[int | None]

    @strawberry.field
    async def by(self, info: Info) -> StaffUser | None:
        if self._staff_id is None:
            return None
        user = await info.context.loaders.staff_user.load(self._staff_id)
        return StaffUser.from_model(user) if user else None


@strawberry.type(description="One reason for a line's engine price.")
class QuotePriceLine:
    code: str
    label: str
    amount: Money
    detail: str | None


@strawberry.type(description="A line of a quote: what is offered, its price and why.")
class QuoteLine(relay.Node):
    id: relay.NodeID[int]
    position: int
    kind: QuoteLineKind
    title: str
    description: str
    quantity: int
    specification: JSON
    vat_rate_percent: Decimal
    _model: strawberry.Private[qm.QuoteLine]
    _currency: strawberry.Private[str]

    @classmethod
    def from_model(cls, x: qm.QuoteLine, currency: str = "EUR") -> QuoteLine:
        return cls(
            id=x.id,
            position=x.position,
            kind=x.kind,
            title=x.title,
            description=x.description,
            quantity=x.quantity,
            specification=JSON(x.specification),
            vat_rate_percent=x.vat_rate_percent,
            _model=x,
            _currency=currency,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[QuoteLine | None]:
        loaders = info.context.loaders.quotes
        ids = [int(raw) if raw.isdigit() else -1 for raw in node_ids]
        rows = await loaders.line.load_many(ids)
        quotes = await loaders.quote.load_many([r.quote_id if r else -1 for r in rows])
        return [
            cls.from_model(r, q.currency) if r is not None and q is not None else None
            for r, q in zip(rows, quotes, strict=True)
        ]

    @strawberry.field(description="What the customer pays for the line (null: not priced yet).")
    def net(self) -> Money | None:
        return _money(self._model.net_amount, self._currency)

    @strawberry.field
    def vat(self) -> Money | None:
        return _money(self._model.vat_amount, self._currency)

    @strawberry.field(
        description="The price engine's net for the line (or the hand-set price "
        "of a free or stock line), before any override."
    )
    def engine_net(self) -> Money | None:
        return _money(self._model.engine_net, self._currency)

    @strawberry.field(description="The engine's breakdown: what it costs and why.")
    def price_lines(self) -> list[QuotePriceLine]:
        return [
            QuotePriceLine(
                code=str(p.get("code", "")),
                label=str(p.get("label", "")),
                amount=Money(amount=int(p.get("amount", 0)), currency=self._currency),
                detail=p.get("detail"),
            )
            for p in self._model.price_lines or []
        ]

    @strawberry.field(description="A hand-set price with who/when/why. Staff only.")
    def override(self, info: Info) -> QuotePriceOverride | None:
        x = self._model
        if not info.context.viewer.is_staff or x.override_net is None:
            return None
        return QuotePriceOverride(
            net=Money(amount=x.override_net, currency=self._currency),
            reason=x.override_reason or "",
            at=x.override_at,
            _staff_id=x.override_by_staff_id,
        )

    @strawberry.field(description="The chosen partner's cost for the line. Staff only.")
    def cost(self, info: Info) -> Money | None:
        if not info.context.viewer.is_staff:
            return None
        return _money(self._model.cost_net, self._currency)

    @strawberry.field(description="The markup applied to the partner's cost. Staff only.")
    def markup_percent(self, info: Info) -> Decimal | None:
        return self._model.markup_percent if info.context.viewer.is_staff else None

    @strawberry.field(description="The partner the line is routed to. Staff only.")
    async def supplier(self, info: Info) -> Supplier | None:
        if not info.context.viewer.is_staff or self._model.supplier_id is None:
            return None
        s = await info.context.loaders.stock.supplier.load(self._model.supplier_id)
        return Supplier.from_model(s) if s else None

    @strawberry.field(description="The partner's promised delivery date. Staff only.")
    def supplier_delivery_date(self, info: Info) -> dt.date | None:
        return self._model.supplier_delivery_date if info.context.viewer.is_staff else None


@strawberry.type(description="A quote as the customer received it with one sending.")
class QuoteRevision:
    revision: int
    valid_until: dt.date | None
    net: Money
    vat: Money
    gross: Money
    lines: JSON = strawberry.field(description="The lines as sent (title, quantity, net, vat).")
    sent_at: dt.datetime
    _quote_id: strawberry.Private[int]

    @classmethod
    def from_model(cls, r: qm.QuoteRevision) -> QuoteRevision:
        return cls(
            revision=r.revision,
            valid_until=r.valid_until,
            net=Money(amount=r.net_amount, currency=r.currency),
            vat=Money(amount=r.vat_amount, currency=r.currency),
            gross=Money(amount=r.gross_amount, currency=r.currency),
            lines=JSON(r.lines),
            sent_at=r.created_at,
            _quote_id=r.quote_id,
        )

    @strawberry.field(description="A signed link to this revision's PDF (valid for a week).")
    def pdf_url(self, info: Info) -> str:
        return pdf_url(info, self._quote_id, self.revision)


@strawberry.type(description="One change of a quote, with its actor.")
class QuoteHistoryEntry:
    revision: int
    action: str
    from_status: QuoteStatus | None
    to_status: QuoteStatus | None
    actor: QuoteActor
    detail: str
    at: dt.datetime
