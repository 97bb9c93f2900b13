"""Mutation fields of the quotes area."""

from __future__ import annotations

import strawberry

from resolvers.quotes.mutations import quote_mutations as q
from resolvers.quotes.mutations import rfq_mutations as r
from resolvers.quotes.mutations import shop_mutations as s
from resolvers.quotes.mutations.partner_user_create import partner_user_create_field
from resolvers.quotes.mutations.quote_accept import quote_accept
from schema.permissions import IsAuthenticated, IsPortalUser, IsStaff

STAFF = [IsAuthenticated, IsStaff]
PORTAL = [IsAuthenticated, IsPortalUser]


@strawberry.type
class QuotesMutation:
    quote_create = strawberry.mutation(
        resolver=q.quote_create,
        description="Staff start a draft quote for a customer company; a portal user asks for "
        "an offer (a REQUESTED quote of their company). Lines are priced by the engine where "
        "they can be. Requires staff role ADMIN or SALES, or PLACE_ORDERS or REQUEST_ORDERS.",
        permission_classes=[IsAuthenticated],
    )
    quote_request_from_cart = strawberry.mutation(
        resolver=q.quote_request_from_cart,
        description="Ask for an offer for what is in the cart: the chosen cart lines (null: "
        "the whole cart, all of one channel) become a REQUESTED quote of the viewer's company, "
        "each line priced by the engine (errors at `lines.N` name the N-th chosen line). The "
        "lines taken leave the cart (the request holds them; accept the offer to order them); "
        "the rest of the cart stays. Requires PLACE_ORDERS or REQUEST_ORDERS.",
        permission_classes=PORTAL,
    )
    quote_update = strawberry.mutation(
        resolver=q.quote_update,
        description="Change title, terms, validity or contact. A sent quote becomes its next "
        "revision. Requires staff role ADMIN or SALES.",
        permission_classes=STAFF,
    )
    quote_line_add = strawberry.mutation(
        resolver=q.quote_line_add,
        description="Add a line (engine-priced product or part; hand-priced stock item or free "
        "line). Requires staff role ADMIN or SALES.",
        permission_classes=STAFF,
    )
    quote_line_update = strawberry.mutation(
        resolver=q.quote_line_update,
        description="Change a line's quantity, texts, VAT rate or hand-set price; engine lines "
        "are priced again. Requires staff role ADMIN or SALES.",
        permission_classes=STAFF,
    )
    quote_line_override = strawberry.mutation(
        resolver=q.quote_line_override,
        description="Set (or clear with null) a line's price by hand, with a reason; the engine "
        "price stays beside it, who and when are kept. Requires staff role ADMIN or SALES.",
        permission_classes=STAFF,
    )
    quote_line_remove = strawberry.mutation(
        resolver=q.quote_line_remove,
        description="Remove a line. Requires staff role ADMIN or SALES.",
        permission_classes=STAFF,
    )
    quote_send = strawberry.mutation(
        resolver=q.quote_send,
        description="Send the current revision: frozen with its PDF, mailed to the customer's "
        "contact, open for acceptance until its validity date. Requires staff role ADMIN or "
        "SALES.",
        permission_classes=STAFF,
    )
    quote_withdraw = strawberry.mutation(
        resolver=q.quote_withdraw,
        description="Take back a quote that is not decided. Requires staff role ADMIN or SALES.",
        permission_classes=STAFF,
    )
    quote_accept = strawberry.mutation(
        resolver=quote_accept,
        description="Accept the current revision of a sent quote: an order at the quoted "
        "prices. Requires PLACE_ORDERS (binding) or REQUEST_ORDERS (a proposal for approval). "
        "A quote is accepted once only (ALREADY_ACCEPTED), never after it expired (EXPIRED).",
        permission_classes=PORTAL,
    )
    quote_decline = strawberry.mutation(
        resolver=q.quote_decline,
        description="Decline a sent quote, with a reason. Requires PLACE_ORDERS or REQUEST_ORDERS.",
        permission_classes=PORTAL,
    )
    rfq_create = strawberry.mutation(
        resolver=r.rfq_create,
        description="Ask partner suppliers for a price for some lines of a quote, with a "
        "deadline; each partner is mailed. Requires staff role ADMIN or SALES.",
        permission_classes=STAFF,
    )
    rfq_answer = strawberry.mutation(
        resolver=r.rfq_answer,
        description="A partner answers an RFQ addressed to it: a net per line and quantity "
        "asked, a delivery date, remarks, an alternative. Refused after the deadline "
        "(DEADLINE_PASSED). Requires a supplier API key as the bearer token, or the `token` "
        "of the link mailed to the partner (no login).",
    )
    rfq_decline = strawberry.mutation(
        resolver=r.rfq_decline,
        description="A partner will not bid. Requires a supplier API key as the bearer token, "
        "or the `token` of the link mailed to the partner (no login).",
    )
    rfq_choose = strawberry.mutation(
        resolver=r.rfq_choose,
        description="Pick a partner's answer: it becomes the lines' cost (sale price by the "
        "shop's markup) and their routing; the other partners are told. Requires staff role "
        "ADMIN or SALES.",
        permission_classes=STAFF,
    )
    partner_user_create = strawberry.mutation(
        resolver=partner_user_create_field,
        description="A login (e-mail and password) for a person of a partner supplier: it "
        "acts as that partner only, seeing and answering the RFQs addressed to it (`rfqs`, "
        "`rfqAnswer`, `rfqDecline`), like the supplier's API key. Its account is listed with "
        "staff users, role PARTNER. Requires staff role ADMIN.",
        permission_classes=STAFF,
    )
    quote_settings_update = strawberry.mutation(
        resolver=s.quote_settings_update,
        description="The markup on partner costs, default validity and terms. Requires staff "
        "role ADMIN or SALES.",
        permission_classes=STAFF,
    )
    quote_template_update = strawberry.mutation(
        resolver=s.quote_template_update,
        description="The quote document (HTML/CSS) and e-mail of a channel (brand), or the "
        "shop's default. Requires staff role ADMIN or SALES.",
        permission_classes=STAFF,
    )
