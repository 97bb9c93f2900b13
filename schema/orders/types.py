"""Order, cart and production types."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, TypeAlias

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from domain.orders import models as om
from domain.orders import state
from domain.orders.errors import OrderErrorCode as _OrderErrorCode
from domain.orders.policies import sees_prices
from domain.production import models as pm
from domain.production import state as production_state
from schema.accounts.types import Company, PortalUser, _resolve_by_loader
from schema.billing.types import OrderInvoicing
from schema.catalog.types import Channel, Product
from schema.context import Info
from schema.core import UserError
from schema.fulfilment.shipping import Shipment
from schema.orders.adjustments import OrderAdjustment
from schema.pricing.types import Money, Price

if TYPE_CHECKING:
    from schema.quotes.quote import Quote

# GraphQL enums are the domain enums themselves: strawberry.enum registers a class in place,
# and the alias lets mypy read the name as a type.
OrderStatus: TypeAlias = state.OrderStatus
strawberry.enum(OrderStatus, description="Where an order stands.")
OrderKind: TypeAlias = state.OrderKind
strawberry.enum(OrderKind, description="How an order came in.")
Actor: TypeAlias = state.Actor
strawberry.enum(Actor, description="Who made a change.")
JobStatus: TypeAlias = production_state.JobStatus
strawberry.enum(JobStatus, description="Where a production job stands.")
TaskStatus: TypeAlias = production_state.TaskStatus
strawberry.enum(TaskStatus, description="Where a task stands.")
OrderErrorCode: TypeAlias = _OrderErrorCode
strawberry.enum(OrderErrorCode, description="Why an order mutation failed.")


@strawberry.type(description="A failure of an order, cart or production mutation.")
class OrderError(UserError):
    code: OrderErrorCode


@strawberry.type
class DeliveryAddress:
    name: str
    street: str
    postal_code: str
    city: str
    country: str


@strawberry.type(description="One step of an order's history.")
class OrderStatusChange:
    from_status: OrderStatus | None
    to_status: OrderStatus
    actor: Actor
    reason: str
    at: dt.datetime


@strawberry.type(description="A production task from the product's routing.")
class Task(relay.Node):
    id: relay.NodeID[int]
    position: int
    name: str
    status: TaskStatus
    started_at: dt.datetime | None
    completed_at: dt.datetime | None

    @classmethod
    def from_model(cls, t: pm.Task) -> Task:
        return cls(
            id=t.id,
            position=t.position,
            name=t.name,
            status=t.status,
            started_at=t.started_at,
            completed_at=t.completed_at,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Task | None]:
        return await _resolve_by_loader(cls, info, node_ids, "task", required)


@strawberry.type(description="Material a job needs.")
class Requisition:
    material: str
    quantity: Decimal
    unit: str


@strawberry.type(description="One order line in production, with every input the buyer gave.")
class Job(relay.Node):
    id: relay.NodeID[int]
    number: str
    title: str = strawberry.field(description="Carries the web order number.")
    status: JobStatus
    quantity: int
    specification: JSON
    personalisation: JSON
    remarks: str
    due_date: dt.date | None
    hold_reason: str | None
    updated_at: dt.datetime
    order_id: strawberry.Private[int]

    @classmethod
    def from_model(cls, j: pm.Job) -> Job:
        return cls(
            id=j.id,
            number=j.number,
            title=j.title,
            status=j.status,
            quantity=j.quantity,
            specification=JSON(j.specification),
            personalisation=JSON(j.personalisation),
            remarks=j.remarks,
            due_date=j.due_date,
            hold_reason=j.hold_reason,
            updated_at=j.updated_at,
            order_id=j.order_id,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Job | None]:
        return await _resolve_by_loader(cls, info, node_ids, "job", required)

    @strawberry.field
    async def tasks(self, info: Info) -> list[Task]:
        rows = await info.context.loaders.tasks_by_job.load(self.id)
        return [Task.from_model(t) for t in rows]

    @strawberry.field
    async def requisitions(self, info: Info) -> list[Requisition]:
        rows = await info.context.loaders.requisitions_by_job.load(self.id)
        return [Requisition(material=r.material, quantity=r.quantity, unit=r.unit) for r in rows]

    @strawberry.field
    async def order(self, info: Info) -> Order | None:
        o = await info.context.loaders.order.load(self.order_id)
        return Order.from_model(o) if o else None


@strawberry.type(description="Artwork or a drawing attached to an order line.")
class OrderFile(relay.Node):
    id: relay.NodeID[int]
    file_name: str
    content_type: str
    size_bytes: int
    sha256: str
    status: str = strawberry.field(description="OK, PROBLEM (see `problem`) or REPLACED.")
    problem: str | None
    created_at: dt.datetime

    @classmethod
    def from_model(cls, f: om.OrderFile) -> OrderFile:
        return cls(
            id=f.id,
            file_name=f.file_name,
            content_type=f.content_type,
            size_bytes=f.size_bytes,
            sha256=f.sha256,
            status=f.status,
            problem=f.problem,
            created_at=f.created_at,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[OrderFile | None]:
        return await _resolve_by_loader(cls, info, node_ids, "order_file", required)

    @strawberry.field(description="Download path (send the bearer token).")
    def download_path(self) -> str:
        return f"/files/order-files/{relay.to_base64('OrderFile', self.id)}"


def _gid(type_name: str, pk: int | None) -> relay.GlobalID | None:
    return None if pk is None else relay.GlobalID(type_name, str(pk))


@strawberry.type(description="A line of an order.")
class OrderLine:
    position: int
    kind: str = strawberry.field(
        description="product, laser_part, stock_item, or shipping (a charge, not goods)."
    )
    title: str
    quantity: int
    specification: JSON
    personalisation: JSON
    remarks: str
    net: Money | None = strawberry.field(description="Null without VIEW_FINANCES.")
    vat_rate_percent: Decimal
    line_id: int = strawberry.field(
        description="The line's own id: what the change feed's ORDER_LINE entries name."
    )
    product_id: relay.GlobalID | None = strawberry.field(
        description="The product sold (a Product), for another system to map the line."
    )
    stock_item_id: relay.GlobalID | None = strawberry.field(
        description="The stock item called off (a StockItem), if any."
    )
    part_id: relay.GlobalID | None = strawberry.field(description="The laser part, if any.")
    id_: strawberry.Private[int]

    @strawberry.field(description="Files attached to this line.")
    async def files(self, info: Info) -> list[OrderFile]:
        rows = await info.context.loaders.files_by_line.load(self.id_)
        return [OrderFile.from_model(f) for f in rows]

    @strawberry.field(description="The production job of this line, once released.")
    async def job(self, info: Info) -> Job | None:
        j = await info.context.loaders.job_by_line.load(self.id_)
        return Job.from_model(j) if j else None


@strawberry.type(
    description="An order: binding (i- web, o- entered by staff, c- call-off) or a proposal."
)
class Order(relay.Node):
    id: relay.NodeID[int]
    number: str
    kind: OrderKind
    status: OrderStatus
    customer_reference: str
    desired_delivery_date: dt.date | None
    delivery_address: DeliveryAddress | None
    payment_method: str
    remarks: str
    created_at: dt.datetime
    updated_at: dt.datetime
    currency: str
    on_hold_reason: str | None = strawberry.field(
        description="Why the order waits for the customer (e.g. a defective file)."
    )
    _model: strawberry.Private[om.Order]

    @classmethod
    def from_model(cls, o: om.Order) -> Order:
        a = o.delivery_address or {}
        address = (
            DeliveryAddress(
                name=a.get("name", ""),
                street=a.get("street", ""),
                postal_code=a.get("postalCode", ""),
                city=a.get("city", ""),
                country=a.get("country", ""),
            )
            if a
            else None
        )
        return cls(
            id=o.id,
            number=o.number,
            kind=state.OrderKind(o.kind),
            status=o.status,
            customer_reference=o.customer_reference,
            desired_delivery_date=o.desired_delivery_date,
            delivery_address=address,
            payment_method=o.payment_method,
            remarks=o.remarks,
            created_at=o.created_at,
            updated_at=o.updated_at,
            currency=o.currency,
            on_hold_reason=o.on_hold_reason,
            _model=o,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Order | None]:
        return await _resolve_by_loader(cls, info, node_ids, "order", required)

    def _money(self, info: Info, amount: int) -> Money | None:
        if not sees_prices(info.context.viewer, self._model.orderer_id):
            return None
        return Money(amount=amount, currency=self._model.currency)

    @strawberry.field(description="Null without VIEW_FINANCES (unless you placed the order).")
    def net(self, info: Info) -> Money | None:
        return self._money(info, self._model.net_amount)

    @strawberry.field(description="Null without VIEW_FINANCES (unless you placed the order).")
    def vat(self, info: Info) -> Money | None:
        return self._money(info, self._model.vat_amount)

    @strawberry.field(description="Null without VIEW_FINANCES (unless you placed the order).")
    def gross(self, info: Info) -> Money | None:
        return self._money(info, self._model.gross_amount)

    @strawberry.field
    async def company(self, info: Info) -> Company | None:
        c = await info.context.loaders.company.load(self._model.company_id)
        return Company.from_model(c) if c else None

    @strawberry.field(
        description="Billing: INVOICED (with its invoice, for VIEW_FINANCES), EXTERNAL (billed "
        "from the shop's own accounting system) or PENDING."
    )
    async def invoicing(self, info: Info) -> OrderInvoicing:
        state, invoice_id = await info.context.loaders.billing.order_invoicing.load(self._model.id)
        return OrderInvoicing(state=state, invoice_id=invoice_id)

    @strawberry.field(description="Marked to be billed from the shop's own accounting system.")
    def invoiced_externally(self) -> bool:
        return self._model.invoiced_externally

    @strawberry.field(description="Who placed or proposed the order.")
    async def orderer(self, info: Info) -> PortalUser | None:
        if self._model.orderer_id is None:
            return None
        u = await info.context.loaders.portal_user.load(self._model.orderer_id)
        return PortalUser.from_model(u) if u else None

    @strawberry.field
    async def approved_by(self, info: Info) -> PortalUser | None:
        if self._model.approved_by_id is None:
            return None
        u = await info.context.loaders.portal_user.load(self._model.approved_by_id)
        return PortalUser.from_model(u) if u else None

    @strawberry.field
    async def lines(self, info: Info) -> list[OrderLine]:
        rows = await info.context.loaders.lines_by_order.load(self._model.id)
        show = sees_prices(info.context.viewer, self._model.orderer_id)
        return [
            OrderLine(
                position=line.position,
                kind=line.kind,
                title=line.title,
                quantity=line.quantity,
                specification=JSON(line.specification),
                personalisation=JSON(line.personalisation),
                remarks=line.remarks,
                net=Money(amount=line.net_amount, currency=self._model.currency) if show else None,
                vat_rate_percent=line.vat_rate_percent,
                line_id=line.id,
                product_id=_gid("Product", line.product_id),
                stock_item_id=_gid("StockItem", line.stock_item_id),
                part_id=_gid("Part", line.part_id),
                id_=line.id,
            )
            for line in rows
        ]

    @strawberry.field(description="Every status change with time, actor and reason.")
    async def history(self, info: Info) -> list[OrderStatusChange]:
        rows = await info.context.loaders.history_by_order.load(self._model.id)
        return [
            OrderStatusChange(
                from_status=state.OrderStatus(h.from_status) if h.from_status else None,
                to_status=state.OrderStatus(h.to_status),
                actor=state.Actor(h.actor_kind),
                reason=h.reason,
                at=h.at,
            )
            for h in rows
        ]

    @strawberry.field(
        description="The final price after execution: staff's changes with their reasons, "
        "original and final price, oldest first. Prices null without VIEW_FINANCES (unless "
        "you placed the order)."
    )
    async def adjustments(self, info: Info) -> list[OrderAdjustment]:
        if not sees_prices(info.context.viewer, self._model.orderer_id):
            return []
        rows = await info.context.loaders.adjustments_by_order.load(self._model.id)
        return [OrderAdjustment.from_model(a, self._model.currency) for a in rows]

    @strawberry.field
    async def jobs(self, info: Info) -> list[Job]:
        rows = await info.context.loaders.jobs_by_order.load(self._model.id)
        return [Job.from_model(j) for j in rows]

    @strawberry.field(description="The quote this order was accepted from (kind QUOTE).")
    async def quote(
        self, info: Info
    ) -> Annotated[Quote, strawberry.lazy("schema.quotes.quote")] | None:
        from schema.quotes.quote import Quote as QuoteType  # the types refer to each other

        q = await info.context.loaders.quotes.quote_by_order.load(self._model.id)
        return QuoteType.from_model(q) if q else None

    @strawberry.field(description="The day promised at checkout for dispatch (jobs' due date).")
    def promised_dispatch_date(self) -> dt.date | None:
        return self._model.promised_dispatch_on

    @strawberry.field(description="The day promised at checkout for delivery.")
    def promised_delivery_date(self) -> dt.date | None:
        return self._model.promised_delivery_on

    @strawberry.field(description="The order's shipments, with parcels and tracking.")
    async def shipments(self, info: Info) -> list[Shipment]:
        rows = await info.context.loaders.shipments_by_order.load(self._model.id)
        return [Shipment.from_model(s) for s in rows]


@strawberry.type(description="A line in the cart, with its price now.")
class CartLine(relay.Node):
    id: relay.NodeID[int]
    quantity: int
    values: JSON
    remarks: str
    personalisation: JSON
    quoted_net: Money | None = strawberry.field(description="The price when it was added.")
    _model: strawberry.Private[om.CartLine]
    _price: strawberry.Private[Price | None] = None
    _title: strawberry.Private[str] = ""
    _specification: strawberry.Private[JSON | None] = None

    @strawberry.field(description="What the line is.")
    def title(self) -> str:
        return self._title

    @strawberry.field(description="The price now, through the one engine.")
    def price(self) -> Price | None:
        return self._price

    @strawberry.field(
        description="The product this line orders (e.g. to link to its configurator)."
    )
    async def product(self, info: Info) -> Product | None:
        p = await info.context.loaders.product.load(self._model.product_id)
        return Product.from_model(p) if p else None

    @strawberry.field(description="The channel the line was added in.")
    async def channel(self, info: Info) -> Channel | None:
        c = await info.context.loaders.channel.load(self._model.channel_id)
        return Channel.from_model(c) if c else None

    @strawberry.field(
        description="What the line would order, as on an order line: the values with their "
        "labels and displays (`parameters`), or a part's figures."
    )
    def specification(self) -> JSON:
        return self._specification or JSON({})

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[CartLine | None]:
        return [None for _ in node_ids]  # cart lines are reached through `cart`


@strawberry.type(description="Orders per status, for the customer's overview.")
class OrderStatusCount:
    status: OrderStatus
    count: int


@strawberry.type(description="An order's status changed (subscription).")
class OrderStatusEvent:
    event_id: int = strawberry.field(description="Pass as `after` when reconnecting.")
    status: OrderStatus
    previous_status: OrderStatus | None
    order: Order | None


@strawberry.type(description="A task of a job moved (in a job status event).")
class TaskChange:
    name: str
    status: TaskStatus


@strawberry.type(description="A job's status changed, or one of its tasks moved (subscription).")
class JobStatusEvent:
    event_id: int = strawberry.field(description="Pass as `after` when reconnecting.")
    status: JobStatus
    task: TaskChange | None = strawberry.field(description="The task that moved, if any.")
    job: Job | None
