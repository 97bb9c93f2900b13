"""Payloads of the quotes area."""

from __future__ import annotations

import strawberry

from schema.orders.types import Order
from schema.quotes.quote import Quote, QuoteSettings, QuoteTemplates, Rfq, RfqInvitation
from schema.quotes.types import QuoteError


@strawberry.type
class QuotePayload:
    quote: Quote | None = None
    errors: list[QuoteError] = strawberry.field(default_factory=list)


@strawberry.type
class QuoteAcceptPayload:
    quote: Quote | None = None
    order: Order | None = strawberry.field(
        default=None, description="The order placed (a proposal with REQUEST_ORDERS only)."
    )
    errors: list[QuoteError] = strawberry.field(default_factory=list)


@strawberry.type
class RfqPayload:
    rfq: Rfq | None = None
    errors: list[QuoteError] = strawberry.field(default_factory=list)


@strawberry.type
class RfqInvitationPayload:
    invitation: RfqInvitation | None = None
    errors: list[QuoteError] = strawberry.field(default_factory=list)


@strawberry.type
class QuoteSettingsPayload:
    settings: QuoteSettings | None = None
    errors: list[QuoteError] = strawberry.field(default_factory=list)


@strawberry.type
class QuoteTemplatePayload:
    templates: QuoteTemplates | None = None
    errors: list[QuoteError] = strawberry.field(default_factory=list)
