"""Cart, orders and jobs queries."""

from __future__ import annotations

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from domain.orders import cart as carts
from domain.orders import models as om
from domain.orders import queries
from domain.orders.cart_totals import cart_totals
from domain.production import queries as production_queries
from domain.shared.pagination import fetch_page
from resolvers.pagination import page_window
from schema.context import Info
from schema.core import Connection, build_connection, decode_gid
from schema.fulfilment.shipping import ShippingMethod
from schema.orders.inputs import OrderFilter, OrderSort
from schema.orders.payloads import CartTotals, VatShare
from schema.orders.types import CartLine, Job, JobStatus, Order, OrderStatusCount
from schema.permissions import IsAuthenticated
from schema.pricing.types import Money, Price


async def cart_line_view(info: Info, line: om.CartLine) -> CartLine:
    ctx = info.context
    model = line
    priced = await carts.price_cart_line(ctx.uow, ctx.viewer, line)
    currency = priced.result.currency if priced.result else "EUR"
    return CartLine(
        id=model.id,
        quantity=model.quantity,
        values=JSON(model.values),
        remarks=model.remarks,
        personalisation=JSON(model.personalisation),
        quoted_net=Money(amount=model.quoted_net, currency=currency)
        if model.quoted_net is not None
        else None,
        _model=model,
        _price=Price.of(priced.result) if priced.result else None,
        _title=priced.title,
        _specification=JSON(priced.specification),
    )


@strawberry.type
class OrdersQuery:
    @strawberry.field(
        description="The cart's net, VAT per rate and gross, computed by the server exactly as "
        "checkout charges them; with `shippingMethodId` (see `shippingOptions`) including that "
        "method's shipping line to `country` (else the company's default shipping address).",
        permission_classes=[IsAuthenticated],
    )
    async def cart_totals(
        self,
        info: Info,
        shipping_method_id: relay.GlobalID | None = None,
        country: str | None = None,
    ) -> CartTotals:
        method_id = decode_gid(shipping_method_id, ShippingMethod) if shipping_method_id else None
        t = await cart_totals(
            info.context.uow, info.context.viewer, shipping_method_id=method_id, country=country
        )
        problem = t.shipping_problem
        if shipping_method_id is not None and method_id is None:
            problem = "No such shipping method."

        def money(amount: int) -> Money | None:
            return Money(amount=amount, currency=t.currency) if t.currency else None

        return CartTotals(
            net=money(t.net),
            vat=money(t.vat),
            gross=money(t.gross),
            vat_breakdown=[
                VatShare(
                    rate_percent=s.rate_percent,
                    net=Money(amount=s.net, currency=t.currency or ""),
                    vat=Money(amount=s.vat, currency=t.currency or ""),
                )
                for s in t.vat_breakdown
            ],
            lines=t.lines,
            unavailable_lines=t.unavailable_lines,
            shipping=money(t.shipping_net) if t.shipping_net is not None else None,
            shipping_problem=problem,
        )

    @strawberry.field(description="The logged-in portal user's cart, each line priced now.")
    async def cart(self, info: Info) -> list[CartLine]:
        rows = await carts.cart_lines(info.context.uow, info.context.viewer)
        return [await cart_line_view(info, line) for line in rows]

    @strawberry.field(
        description="Orders the viewer may see (VIEW_COMPANY_ORDERS: the company's, else one's "
        "own), filtered, sorted and paginated.",
        permission_classes=[IsAuthenticated],
    )
    async def orders(
        self,
        info: Info,
        filter: OrderFilter | None = None,
        sort: OrderSort = OrderSort.NEWEST,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Order]:
        offset, limit = page_window(info, first, after)
        f = filter or OrderFilter()
        stmt = queries.orders_query(
            info.context.viewer,
            statuses=f.statuses,
            kinds=[k.value for k in f.kinds] if f.kinds else None,
            search=f.search,
            mine_only=f.mine_only,
            sort=sort.value,
        )
        page = await fetch_page(info.context.uow, stmt, offset, limit)
        return build_connection(page.items, page.offset, page.total, Order.from_model)

    @strawberry.field(
        description="How many visible orders stand in each status (the overview's tabs).",
        permission_classes=[IsAuthenticated],
    )
    async def order_status_counts(self, info: Info) -> list[OrderStatusCount]:
        rows = await queries.status_counts(info.context.uow, info.context.viewer)
        return [OrderStatusCount(status=s, count=n) for s, n in rows]

    @strawberry.field(
        description="Production jobs, oldest first (staff see all; customers their visible "
        "orders' jobs).",
        permission_classes=[IsAuthenticated],
    )
    async def jobs(
        self,
        info: Info,
        statuses: list[JobStatus] | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Job]:
        offset, limit = page_window(info, first, after)
        stmt = production_queries.jobs_query(
            info.context.viewer, [s.value for s in statuses] if statuses else None
        )
        page = await fetch_page(info.context.uow, stmt, offset, limit)
        return build_connection(page.items, page.offset, page.total, Job.from_model)
