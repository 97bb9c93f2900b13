"""Shipping as an order line: the chosen method's cost for the goods of the order, with VAT,
through the line-pricing seam (domain/pricing/lines.py, kind ``shipping``).

Checkout asks for it with the method as the line's item, the destination country and the
goods' charged net in ``values`` and the priced goods as the ``basket``; production makes no
job of it (`CHARGE_KINDS`)."""

from __future__ import annotations

from domain.accounts.viewer import Viewer
from domain.fulfilment.errors import FulfilmentErrorCode
from domain.fulfilment.shipping import ShippingQuote, shipping_quote
from domain.pricing.lines import LineKind, LineRequest, PricedLine, unavailable
from domain.pricing.result import PriceLine, PriceResult
from domain.shared.errors import DomainError
from domain.shared.uow import UnitOfWork


def shipping_specification(quote: ShippingQuote) -> dict[str, object]:
    method = quote.method
    return {
        "shipping": {
            "methodId": method.id,
            "code": method.code,
            "name": method.name,
            "kind": method.kind.value,
            "carrier": method.carrier,
            "carrierService": method.carrier_service,
            "transitDays": method.transit_days,
            "weightG": quote.weight_g,
            "zone": quote.zone,
            "free": quote.free,
            "promisedDispatchOn": quote.promise.dispatch_on.isoformat(),
            "promisedDeliveryOn": quote.promise.delivery_on.isoformat(),
        }
    }


class ShippingLinePricing:
    """The shipping method chosen at checkout, priced on the order's goods."""

    kind: str = LineKind.SHIPPING

    async def admit(self, uow: UnitOfWork, viewer: Viewer, request: LineRequest) -> LineRequest:
        """Shipping is chosen at checkout, never put in a cart."""
        raise DomainError.single(
            FulfilmentErrorCode.INVALID, "Choose shipping at checkout.", "shippingMethodId"
        )

    async def price(self, uow: UnitOfWork, viewer: Viewer, request: LineRequest) -> PricedLine:
        """The method's rate for the basket's weight to ``values['country']`` (free above the
        method's threshold of ``values['goodsNet']``); unavailable if it does not serve it."""
        country = str(request.values.get("country", ""))
        goods_net = request.values.get("goodsNet")
        quote = None
        if request.item_id is not None and request.channel_id is not None:
            quote = await shipping_quote(
                uow,
                viewer,
                request.channel_id,
                request.basket,
                request.item_id,
                country,
                goods_net=int(goods_net) if isinstance(goods_net, int) else None,
            )
        if quote is None:
            return unavailable(
                request, "Shipping", "This shipping method does not deliver these goods there."
            )
        label = f"Shipping: {quote.method.name}"
        result = PriceResult(
            quantity=1,
            currency=quote.net.currency,
            vat_rate_percent=quote.vat_rate_percent,
            lines=(PriceLine("shipping", label, quote.net, f"{quote.weight_g} g, {quote.zone}"),),
            net=quote.net,
            vat=quote.vat,
            gross=quote.gross,
            unit_net=quote.net,
        )
        return PricedLine(
            request,
            None,
            None,
            label,
            shipping_specification(quote),
            result,
            token_subject=f"shipping:{quote.method.id}",
        )
