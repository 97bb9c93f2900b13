"""orderFileAttach, orderFileFlagProblem, orderReorder, orderEnterForCustomer."""

from __future__ import annotations

import datetime as dt

import strawberry
from strawberry import relay
from strawberry.file_uploads import Upload
from strawberry.scalars import JSON

from domain.orders import entry, files
from domain.orders import models as om
from domain.orders.errors import OrderErrorCode
from domain.production import holds
from domain.production import models as pm
from domain.shared.errors import DomainError
from resolvers.ids import optional_pk, require_pk
from resolvers.laser.uploads import read_upload
from resolvers.mutation import run
from resolvers.orders.queries import cart_line_view
from schema.accounts.types import Company
from schema.catalog.types import Product
from schema.context import Info
from schema.orders.types import CartLine, Job, Order, OrderError, OrderFile

NF = OrderErrorCode.NOT_FOUND


@strawberry.input(description="A file for one line of an order (GraphQL multipart request).")
class OrderFileAttachInput:
    order_id: relay.GlobalID
    line_position: int = strawberry.field(description="1 for the first line.")
    file: Upload


@strawberry.type
class OrderFileAttachPayload:
    file: OrderFile | None = None
    errors: list[OrderError] = strawberry.field(default_factory=list)


@strawberry.input(description="Flag a missing or defective file: give the file, or the job.")
class OrderFileFlagProblemInput:
    problem: str
    file_id: relay.GlobalID | None = None
    job_id: relay.GlobalID | None = None


@strawberry.type
class OrderFileFlagProblemPayload:
    job: Job | None = None
    errors: list[OrderError] = strawberry.field(default_factory=list)


@strawberry.type
class OrderReorderPayload:
    cart: list[CartLine] | None = strawberry.field(
        default=None, description="The lines added to the cart, priced now."
    )
    errors: list[OrderError] = strawberry.field(default_factory=list)


@strawberry.input
class StaffOrderLineInput:
    product_id: relay.GlobalID
    configuration: JSON = strawberry.field(default_factory=dict)
    quantity: int = 1
    remarks: str = ""


@strawberry.input(description="A binding order entered by staff on a customer's behalf.")
class OrderEnterForCustomerInput:
    company_id: relay.GlobalID
    lines: list[StaffOrderLineInput]
    channel: str | None = None
    customer_reference: str = ""
    desired_delivery_date: dt.date | None = None
    remarks: str = ""


@strawberry.type
class OrderEnterPayload:
    order: Order | None = None
    errors: list[OrderError] = strawberry.field(default_factory=list)


async def order_file_attach(info: Info, input: OrderFileAttachInput) -> OrderFileAttachPayload:
    ctx = info.context

    async def action() -> om.OrderFile:
        assert ctx.services.files is not None
        # At most one byte past the limit: the domain says FILE_TOO_LARGE from that.
        data, _ = await read_upload(input.file, files.MAX_FILE_BYTES)
        return await files.order_file_attach(
            ctx.uow,
            ctx.viewer,
            ctx.services.files,
            require_pk(input.order_id, Order, "orderId", NF),
            input.line_position,
            getattr(input.file, "filename", "file") or "file",
            getattr(input.file, "content_type", None) or "application/octet-stream",
            data,
        )

    return await run(
        OrderFileAttachPayload, OrderError, action, lambda f: {"file": OrderFile.from_model(f)}
    )


async def order_file_flag_problem(
    info: Info, input: OrderFileFlagProblemInput
) -> OrderFileFlagProblemPayload:
    ctx = info.context

    async def action() -> pm.Job:
        file_id = optional_pk(input.file_id, OrderFile, "fileId", NF)
        job_id = optional_pk(input.job_id, Job, "jobId", NF)
        if (file_id is None) == (job_id is None):
            raise DomainError.single(OrderErrorCode.REQUIRED, "Give a file or a job.", "fileId")
        return await holds.order_file_flag_problem(
            ctx.uow, ctx.viewer, file_id, job_id, input.problem
        )

    return await run(
        OrderFileFlagProblemPayload, OrderError, action, lambda j: {"job": Job.from_model(j)}
    )


async def order_reorder(info: Info, id: relay.GlobalID) -> OrderReorderPayload:
    ctx = info.context

    async def action() -> dict[str, object]:
        lines = await entry.order_reorder(ctx.uow, ctx.viewer, require_pk(id, Order, "id", NF))
        return {"cart": [await cart_line_view(info, line) for line in lines]}

    return await run(OrderReorderPayload, OrderError, action, lambda r: r)


async def order_enter_for_customer(
    info: Info, input: OrderEnterForCustomerInput
) -> OrderEnterPayload:
    ctx = info.context

    async def action() -> om.Order:
        lines = [
            entry.StaffOrderLine(
                product_id=require_pk(line.product_id, Product, "productId", NF),
                values=line.configuration if isinstance(line.configuration, dict) else {},
                quantity=line.quantity,
                remarks=line.remarks,
            )
            for line in input.lines
        ]
        return await entry.order_enter_for_customer(
            ctx.uow,
            ctx.viewer,
            require_pk(input.company_id, Company, "companyId", NF),
            lines,
            channel_code=input.channel,
            customer_reference=input.customer_reference,
            desired_delivery_date=input.desired_delivery_date,
            remarks=input.remarks,
        )

    return await run(
        OrderEnterPayload, OrderError, action, lambda o: {"order": Order.from_model(o)}
    )
