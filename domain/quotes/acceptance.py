"""The one place where quotes meet orders: an accepted quote revision becomes an order placed
through the shared order-placement service (domain/orders/placing.py: ``add_order``,
``record_placed``), at the quoted prices, with the ordering rules of checkout (PLACE_ORDERS:
binding and released to production; REQUEST_ORDERS only: a proposal for a colleague's
approval). Each line is priced through the line-pricing seam by the quote-line strategy
(domain/quotes/line_pricing.py); a line sourced from a partner in an RFQ is routed to it."""

from __future__ import annotations

from collections.abc import Sequence

from domain.accounts.viewer import Viewer
from domain.orders.delivery import delivery_address
from domain.orders.models import Order
from domain.orders.payment_methods import DEFAULT_METHOD, decide_payment, method_or_default
from domain.orders.placing import LineToPlace, OrderDraft, add_order, record_placed
from domain.orders.policies import may_order, places_binding
from domain.orders.state import OrderKind, OrderStatus
from domain.pricing.lines import LineRequest, price_line
from domain.quotes.errors import QuoteErrorCode
from domain.quotes.line_pricing import QUOTE_LINE
from domain.quotes.models import Quote, QuoteLine
from domain.shared.errors import DomainError
from domain.shared.uow import UnitOfWork


def require_ordering(viewer: Viewer) -> None:
    """Accepting orders: the same rights as checkout."""
    if not may_order(viewer):
        raise DomainError.single(
            QuoteErrorCode.PERMISSION_DENIED,
            "You need PLACE_ORDERS or REQUEST_ORDERS to accept a quote.",
        )


async def lines_to_place(
    uow: UnitOfWork, viewer: Viewer, quote: Quote, lines: Sequence[QuoteLine]
) -> list[LineToPlace]:
    """Each quote line priced by the quote-line strategy, at the quoted net; a line whose
    partner was chosen in an RFQ is routed to that partner."""
    out = []
    for index, line in enumerate(lines):
        request = LineRequest(
            QUOTE_LINE, quote.channel_id, line.product_id, line.quantity, item_id=line.id
        )
        priced = await price_line(uow, viewer, request)
        if not priced.orderable or priced.result is None or priced.result.net is None:
            raise DomainError.single(
                QuoteErrorCode.UNPRICED_LINES,
                f"Line {line.position} ({line.title}) cannot be ordered.",
                ("lines", str(index)),
            )
        out.append(
            LineToPlace(
                priced,
                priced.result.net.amount,
                remarks=line.description,
                route_supplier_id=line.supplier_id,
            )
        )
    return out


async def place_quote_order(
    uow: UnitOfWork, viewer: Viewer, quote: Quote, lines: Sequence[QuoteLine]
) -> Order:
    """Inside the accepting command: the order (kind QUOTE) and its lines through the
    placement service, then what every placement shares (history, jobs for a binding order,
    the `order.placed` event)."""
    binding = places_binding(viewer)
    draft = OrderDraft(
        kind=OrderKind.QUOTE,
        company_id=quote.company_id,
        status=OrderStatus.RELEASED if binding else OrderStatus.PENDING_APPROVAL,
        currency=quote.currency,
        channel_id=quote.channel_id,
        orderer_id=viewer.user_id,
        idempotency_key=f"quote:{quote.id}",
        customer_reference=quote.customer_reference or quote.number,
        delivery_address=await delivery_address(
            uow, quote.company_id, None, missing_code=QuoteErrorCode.INVALID
        ),
        remarks=f"From quote {quote.number} revision {quote.revision}",
    )
    order = await add_order(uow, draft, await lines_to_place(uow, viewer, quote, lines))
    await uow.session.flush()
    reason = "proposed"
    if binding:
        # Paid on account like any binding order: the method decides (over the company's
        # credit limit the order becomes a proposal that the shop decides).
        method = method_or_default(DEFAULT_METHOD)
        assert method is not None
        decision = await decide_payment(uow, viewer, order, method)
        reason = "accepted quote" if decision.reason == "placed" else decision.reason
    await record_placed(uow, viewer, order, reason)
    return order
