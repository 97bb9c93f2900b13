"""The Quote node and the RFQ types."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from domain.quotes import models as qm
from domain.quotes.rfq_quantities import compare
from domain.quotes.state import RfqInvitationStatus as InvitationStatus
from schema.accounts.types import Company, PortalUser
from schema.context import Info
from schema.orders.types import Order
from schema.pricing.types import Money
from schema.quotes.types import (
    QuoteHistoryEntry,
    QuoteLine,
    QuoteRevision,
    QuoteStatus,
    RfqInvitationStatus,
    RfqStatus,
    _nodes,
    pdf_url,
)
from schema.stock.types import Supplier

CUSTOMER_ACTIONS = frozenset(
    {"requested", "sent", "accepted", "declined", "expired", "withdrawn", "revised"}
)


@strawberry.type(
    description="A priced offer to a customer company (number q-…), with its "
    "revisions; accepted into an order."
)
class Quote(relay.Node):
    id: relay.NodeID[int]
    number: str
    status: QuoteStatus
    revision: int = strawberry.field(description="The revision being worked on or offered.")
    sent_revision: int = strawberry.field(description="The last revision sent (0: never).")
    title: str
    request_text: str
    customer_reference: str
    terms: str
    valid_until: dt.date | None
    currency: str
    decline_reason: str | None
    created_at: dt.datetime
    sent_at: dt.datetime | None
    closed_at: dt.datetime | None
    _model: strawberry.Private[qm.Quote]

    @classmethod
    def from_model(cls, q: qm.Quote) -> Quote:
        return cls(
            id=q.id,
            number=q.number,
            status=q.status,
            revision=q.revision,
            sent_revision=q.sent_revision,
            title=q.title,
            request_text=q.request_text,
            customer_reference=q.customer_reference,
            terms=q.terms,
            valid_until=q.valid_until,
            currency=q.currency,
            decline_reason=q.decline_reason,
            created_at=q.created_at,
            sent_at=q.sent_at,
            closed_at=q.closed_at,
            _model=q,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Quote | None]:
        return await _nodes(cls, info, node_ids, "quote")

    @strawberry.field
    def net(self) -> Money:
        return Money(amount=self._model.net_amount, currency=self.currency)

    @strawberry.field
    def vat(self) -> Money:
        return Money(amount=self._model.vat_amount, currency=self.currency)

    @strawberry.field
    def gross(self) -> Money:
        return Money(amount=self._model.gross_amount, currency=self.currency)

    @strawberry.field(description="The lines of the current revision.")
    async def lines(self, info: Info) -> list[QuoteLine]:
        rows = await info.context.loaders.quotes.lines_by_quote.load(self.id)
        return [QuoteLine.from_model(x, self.currency) for x in rows]

    @strawberry.field(description="Every revision sent, oldest first (the history of offers).")
    async def revisions(self, info: Info) -> list[QuoteRevision]:
        rows = await info.context.loaders.quotes.revisions_by_quote.load(self.id)
        return [QuoteRevision.from_model(r) for r in rows]

    @strawberry.field(
        description="Every change with its actor; customers see the status "
        "changes, staff everything."
    )
    async def history(self, info: Info) -> list[QuoteHistoryEntry]:
        rows = await info.context.loaders.quotes.history_by_quote.load(self.id)
        staff = info.context.viewer.is_staff
        return [
            QuoteHistoryEntry(
                revision=h.revision,
                action=h.action,
                from_status=h.from_status,  # type: ignore[arg-type]
                to_status=h.to_status,  # type: ignore[arg-type]
                actor=h.actor_kind,  # type: ignore[arg-type]
                detail=h.detail if staff else "",
                at=h.at,
            )
            for h in rows
            if staff or h.action in CUSTOMER_ACTIONS
        ]

    @strawberry.field(
        description="A signed link (valid for a week) to the PDF of the last "
        "revision sent; null before the first sending."
    )
    def pdf_url(self, info: Info) -> str | None:
        if self._model.sent_revision == 0:
            return None
        return pdf_url(info, self.id, self._model.sent_revision)

    @strawberry.field
    async def company(self, info: Info) -> Company | None:
        c = await info.context.loaders.company.load(self._model.company_id)
        return Company.from_model(c) if c else None

    @strawberry.field(description="The portal user who asked for the quote, if one did.")
    async def requested_by(self, info: Info) -> PortalUser | None:
        if self._model.requested_by_id is None:
            return None
        u = await info.context.loaders.portal_user.load(self._model.requested_by_id)
        return PortalUser.from_model(u) if u else None

    @strawberry.field(description="The order the quote was accepted into.")
    async def order(self, info: Info) -> Order | None:
        if self._model.order_id is None:
            return None
        o = await info.context.loaders.order.load(self._model.order_id)
        return Order.from_model(o) if o else None

    @strawberry.field(description="Requests for quotation sent for this quote. Staff only.")
    async def rfqs(self, info: Info) -> list[Rfq]:
        if not info.context.viewer.is_staff:
            return []
        rows = await info.context.loaders.quotes.rfqs_by_quote.load(self.id)
        return [Rfq.from_model(r) for r in rows]


@strawberry.type(description="A partner's net price for one line of an RFQ (whole quantity).")
class RfqPrice:
    quote_line_id: relay.GlobalID
    quantity: int
    net: Money


@strawberry.type(description="One partner asked in an RFQ, and its answer.")
class RfqInvitation(relay.Node):
    id: relay.NodeID[int]
    status: RfqInvitationStatus
    delivery_date: dt.date | None
    remarks: str
    alternative: str = strawberry.field(description="An alternative the partner offers.")
    decline_reason: str | None
    answered_at: dt.datetime | None
    _model: strawberry.Private[qm.RfqInvitation]
    # Known when the RFQ is at hand (the mailed link's view); else read through the loader.
    _currency: strawberry.Private[str | None] = None

    @classmethod
    def from_model(cls, x: qm.RfqInvitation, currency: str | None = None) -> RfqInvitation:
        return cls(
            id=x.id,
            status=x.status,
            delivery_date=x.delivery_date,
            remarks=x.remarks,
            alternative=x.alternative,
            decline_reason=x.decline_reason,
            answered_at=x.answered_at,
            _model=x,
            _currency=currency,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[RfqInvitation | None]:
        return await _nodes(cls, info, node_ids, "invitation")

    @strawberry.field(description="Prices per line and quantity, in the quote's currency.")
    async def prices(self, info: Info) -> list[RfqPrice]:
        currency = self._currency
        if currency is None:
            rfq = await info.context.loaders.quotes.rfq.load(self._model.rfq_id)
            currency = rfq.currency if rfq else "EUR"
        return [
            RfqPrice(
                quote_line_id=relay.GlobalID("QuoteLine", str(p["quoteLineId"])),
                quantity=int(p["quantity"]),
                net=Money(amount=int(p["net"]), currency=currency),
            )
            for p in self._model.prices
        ]

    @strawberry.field(description="The sum of the prices: compare answers by it.")
    def total_net(self) -> int | None:
        return sum(int(p["net"]) for p in self._model.prices) if self._model.prices else None

    @strawberry.field
    async def supplier(self, info: Info) -> Supplier | None:
        if not info.context.viewer.is_staff:
            return None
        s = await info.context.loaders.stock.supplier.load(self._model.supplier_id)
        return Supplier.from_model(s) if s else None


@strawberry.type(description="One partner's price for a line at one quantity.")
class RfqOffer:
    invitation: RfqInvitation = strawberry.field(description="The answer (choose it by its id).")
    net: Money = strawberry.field(description="Net for the whole quantity.")
    delivery_date: dt.date | None


@strawberry.type(description="The answers' prices for one line at one quantity, side by side.")
class RfqComparisonRow:
    quote_line_id: relay.GlobalID
    title: str
    quantity: int
    offers: list[RfqOffer] = strawberry.field(description="Cheapest first, then the earliest.")


ANSWERED = frozenset(
    {InvitationStatus.ANSWERED, InvitationStatus.CHOSEN, InvitationStatus.NOT_CHOSEN}
)


@strawberry.type(
    description="A request for quotation to partners (number r-…): staff and "
    "the partners addressed see it."
)
class Rfq(relay.Node):
    id: relay.NodeID[int]
    number: str
    status: RfqStatus
    deadline: dt.datetime
    desired_date: dt.date | None
    remarks: str
    lines: JSON = strawberry.field(
        description="What is asked for: [{quoteLineId, title, description, quantity, "
        "specification}]."
    )
    created_at: dt.datetime
    _model: strawberry.Private[qm.Rfq]

    @classmethod
    def from_model(cls, r: qm.Rfq) -> Rfq:
        lines = [
            {**x, "quoteLineId": str(relay.GlobalID("QuoteLine", str(x["quoteLineId"])))}
            for x in r.lines
        ]
        return cls(
            id=r.id,
            number=r.number,
            status=r.status,
            deadline=r.deadline,
            desired_date=r.desired_date,
            remarks=r.remarks,
            lines=JSON(lines),
            created_at=r.created_at,
            _model=r,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Rfq | None]:
        return await _nodes(cls, info, node_ids, "rfq")

    @strawberry.field(
        description="The partners asked and their answers (staff: all, side by "
        "side; a partner: its own)."
    )
    async def invitations(self, info: Info) -> list[RfqInvitation]:
        rows = await info.context.loaders.quotes.invitations_by_rfq.load(self.id)
        return [RfqInvitation.from_model(x) for x in rows]

    @strawberry.field(
        description="Per line and quantity asked, every answer's price side by side (a "
        "partner: its own)."
    )
    async def comparison(self, info: Info) -> list[RfqComparisonRow]:
        loaders = info.context.loaders.quotes
        rows = await loaders.invitations_by_rfq.load(self.id)
        currency = self._model.currency
        answered = {x.id: x for x in rows if x.status in ANSWERED}
        table = compare(
            self._model.lines,
            [(x.id, x.supplier_id, x.prices, x.delivery_date) for x in answered.values()],
        )
        return [
            RfqComparisonRow(
                quote_line_id=relay.GlobalID("QuoteLine", str(row.quote_line_id)),
                title=row.title,
                quantity=row.quantity,
                offers=[
                    RfqOffer(
                        invitation=RfqInvitation.from_model(answered[o.invitation_id], currency),
                        net=Money(amount=o.net, currency=currency),
                        delivery_date=o.delivery_date,
                    )
                    for o in row.offers
                ],
            )
            for row in table
        ]

    @strawberry.field(description="The quote it is for. Staff only.")
    async def quote(self, info: Info) -> Quote | None:
        if not info.context.viewer.is_staff:
            return None
        q = await info.context.loaders.quotes.quote.load(self._model.quote_id)
        return Quote.from_model(q) if q else None


@strawberry.type(description="The RFQ a partner's mailed link opens, with its own answer.")
class RfqByToken:
    rfq: Rfq
    invitation: RfqInvitation


@strawberry.type(description="A change of a quote's status, pushed to subscribers.")
class QuoteStatusEvent:
    event_id: int = strawberry.field(description="Pass as `after` to resume after a reconnect.")
    status: QuoteStatus
    previous_status: QuoteStatus | None
    revision: int
    quote: Quote | None


@strawberry.type(description="The shop's quote rules.")
class QuoteSettings:
    partner_markup_percent: str = strawberry.field(
        description="Markup on a partner's cost: the sale price of a sourced line."
    )
    validity_days: int
    default_terms: str


@strawberry.type(description="A quote document and e-mail template (Jinja2).")
class QuoteTemplates:
    mail_subject: str
    mail_body: str
    document_html: str
    document_css: str
