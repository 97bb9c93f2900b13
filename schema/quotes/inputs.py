"""Inputs of the quotes area."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from schema.quotes.types import QuoteStatus


@strawberry.input(
    description="A quote line: a product with its configuration, a laser part, a "
    "stock item, or none of them (a free line with a title and a hand-set net)."
)
class QuoteLineInput:
    quantity: int
    product_id: relay.GlobalID | None = None
    configuration: JSON | None = strawberry.field(
        default=None, description="The product's parameter values."
    )
    configuration_id: relay.GlobalID | None = strawberry.field(
        default=None,
        description="A saved configuration (configurationCreate): its product and values.",
    )
    part_id: relay.GlobalID | None = None
    stock_item_id: relay.GlobalID | None = None
    title: str = ""
    description: str = ""
    net: int | None = strawberry.field(
        default=None, description="Hand-set net in minor units (free and stock lines)."
    )
    vat_rate_percent: Decimal | None = None


@strawberry.input
class QuoteCreateInput:
    company_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Staff: the customer. A portal user's request is their own."
    )
    channel: str | None = None
    title: str = ""
    request_text: str = strawberry.field(default="", description="What the buyer asks for.")
    customer_reference: str = ""
    valid_until: dt.date | None = None
    contact_email: str | None = None
    lines: list[QuoteLineInput] = strawberry.field(default_factory=list)


@strawberry.input
class QuoteRequestFromCartInput:
    cart_line_ids: list[relay.GlobalID] | None = strawberry.field(
        default=None, description="The cart lines to ask about; null: the whole cart."
    )
    title: str = ""
    request_text: str = strawberry.field(default="", description="What the buyer asks for.")
    customer_reference: str = ""


@strawberry.input
class QuoteUpdateInput:
    id: relay.GlobalID
    title: str | None = None
    terms: str | None = None
    customer_reference: str | None = None
    valid_until: dt.date | None = None
    contact_email: str | None = None


@strawberry.input
class QuoteLineAddInput:
    quote_id: relay.GlobalID
    line: QuoteLineInput


@strawberry.input
class QuoteLineUpdateInput:
    line_id: relay.GlobalID
    quantity: int | None = None
    title: str | None = None
    description: str | None = None
    net: int | None = strawberry.field(
        default=None, description="New hand-set net of a free or stock line."
    )
    vat_rate_percent: Decimal | None = None


@strawberry.input
class QuoteLineOverrideInput:
    line_id: relay.GlobalID
    net: int | None = strawberry.field(description="The line's net in minor units; null clears.")
    reason: str = ""


@strawberry.input
class QuoteAcceptInput:
    id: relay.GlobalID
    revision: int | None = strawberry.field(
        default=None,
        description="The revision read; refused with OUTDATED_REVISION if not the current one.",
    )


@strawberry.input
class QuoteReasonInput:
    id: relay.GlobalID
    reason: str = ""


@strawberry.input
class QuoteFilter:
    company_id: relay.GlobalID | None = None
    statuses: list[QuoteStatus] | None = None
    valid_on: dt.date | None = strawberry.field(
        default=None, description="Quotes still valid on this day."
    )
    number: str | None = None
    search: str | None = strawberry.field(
        default=None, description="Words in the number, title, request or reference."
    )


@strawberry.input(description="The quantities to ask for one line (say 500, 1000, 2500).")
class RfqLineQuantitiesInput:
    quote_line_id: relay.GlobalID
    quantities: list[int]


@strawberry.input
class RfqCreateInput:
    quote_id: relay.GlobalID
    quote_line_ids: list[relay.GlobalID]
    supplier_ids: list[relay.GlobalID]
    deadline: dt.datetime
    desired_date: dt.date | None = None
    remarks: str = ""
    quantities: list[RfqLineQuantitiesInput] | None = strawberry.field(
        default=None,
        description="Quantities to ask per line (up to 10 each); a line not named: its own.",
    )


@strawberry.input
class RfqPriceInput:
    quote_line_id: relay.GlobalID
    net: int = strawberry.field(description="Net for the whole quantity, minor units.")
    quantity: int | None = strawberry.field(
        default=None, description="The quantity asked this net is for; null: the line's own."
    )


@strawberry.input(description="The quantity of a partner's answer a line takes.")
class RfqQuantityPickInput:
    quote_line_id: relay.GlobalID
    quantity: int


@strawberry.input
class RfqAnswerInput:
    rfq_id: relay.GlobalID
    prices: list[RfqPriceInput]
    delivery_date: dt.date | None = None
    remarks: str = ""
    alternative: str = ""
    token: str | None = strawberry.field(
        default=None, description="The token of the mailed link, instead of a partner login."
    )


@strawberry.input
class RfqDeclineInput:
    rfq_id: relay.GlobalID
    reason: str = ""
    token: str | None = strawberry.field(
        default=None, description="The token of the mailed link, instead of a partner login."
    )


@strawberry.input
class QuoteSettingsUpdateInput:
    partner_markup_percent: Decimal | None = None
    validity_days: int | None = None
    default_terms: str | None = None


@strawberry.input
class QuoteTemplateUpdateInput:
    channel_id: relay.GlobalID | None = strawberry.field(
        default=None, description="The brand's channel; null: the shop's default."
    )
    mail_subject: str
    mail_body: str
    document_html: str
    document_css: str = ""


@strawberry.input
class QuoteLineRemoveInput:
    line_id: relay.GlobalID


@strawberry.input
class QuoteSendInput:
    id: relay.GlobalID


@strawberry.input
class RfqChooseInput:
    invitation_id: relay.GlobalID = strawberry.field(description="The answer picked.")
    quantities: list[RfqQuantityPickInput] | None = strawberry.field(
        default=None,
        description="The quantity each line takes; a line not named: its own quantity, or "
        "the answer's only one.",
    )


@strawberry.input
class QuoteDeclineInput:
    id: relay.GlobalID
    reason: str = strawberry.field(description="Why the offer is declined (required).")


@strawberry.input(description="A login for a person of a partner supplier.")
class PartnerUserCreateInput:
    supplier_id: relay.GlobalID
    email: str
    full_name: str
    password: str
