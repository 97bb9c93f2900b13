"""Artwork and drawings on order lines: upload and download. A problem flagged by staff puts
the job on hold (domain/production/holds.py); a re-upload is published as `OrderFileReplaced`,
which sends the job back to work."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from domain.accounts.viewer import Viewer
from domain.orders.errors import OrderErrorCode
from domain.orders.lifecycle import order_for_update
from domain.orders.models import Order, OrderFile, OrderLine
from domain.orders.policies import order_scope
from domain.orders.signals import OrderFileReplaced
from domain.orders.state import TERMINAL
from domain.shared import domain_events
from domain.shared.errors import DomainError, excerpt
from domain.shared.ports import FileStorage
from domain.shared.uow import UnitOfWork

MAX_FILE_BYTES = 100 * 1024 * 1024
ALLOWED_TYPES = (
    "application/pdf",
    "image/",
    "application/dxf",
    "image/vnd.dxf",
    "application/postscript",
    "application/octet-stream",
    "application/zip",
    "text/plain",
)


async def order_file_attach(
    uow: UnitOfWork,
    viewer: Viewer,
    storage: FileStorage,
    order_id: int,
    line_position: int,
    file_name: str,
    content_type: str,
    data: bytes,
) -> OrderFile:
    """Open to whoever may see the order (its orderer, or VIEW_COMPANY_ORDERS), and staff.
    A file for a line whose job waits for a new file replaces the faulty one and releases it."""
    if len(data) > MAX_FILE_BYTES:
        raise DomainError.single(
            OrderErrorCode.FILE_TOO_LARGE,
            f"Files are limited to {MAX_FILE_BYTES // 2**20} MB.",
            "file",
        )
    if not data:
        raise DomainError.single(OrderErrorCode.REQUIRED, "The file is empty.", "file")
    # The part's header as the client sent it: the media type alone, and no longer than its
    # column (a longer one failed the insert).
    content_type = content_type.split(";", 1)[0].strip().lower()
    if len(content_type) > 100 or not any(content_type.startswith(t) for t in ALLOWED_TYPES):
        raise DomainError.single(
            OrderErrorCode.INVALID, f"Unsupported file type {excerpt(content_type)}.", "file"
        )
    # Characters PostgreSQL cannot store (NUL, unpaired surrogates) go, like path separators.
    name = (
        "".join(c for c in file_name if c != "\x00" and not "\ud800" <= c <= "\udfff")
        .replace("/", "_")
        .replace("\\", "_")[:255]
        or "file"
    )
    async with uow:
        order = await order_for_update(uow, viewer, order_id)
        if order.status in TERMINAL:
            raise DomainError.single(
                OrderErrorCode.INVALID_TRANSITION, f"The order is {order.status.value}.", "orderId"
            )
        line: OrderLine | None = await uow.scalar(
            select(OrderLine).where(
                OrderLine.order_id == order.id, OrderLine.position == line_position
            )
        )
        if line is None:
            raise DomainError.single(
                OrderErrorCode.NOT_FOUND, "Order line not found.", "linePosition"
            )
        key, digest = await storage.put(data)
        previous = await uow.scalars(
            select(OrderFile).where(
                OrderFile.order_line_id == line.id, OrderFile.status == "PROBLEM"
            )
        )
        for old in previous:
            old.status = "REPLACED"
        row = OrderFile(
            order_line_id=line.id,
            company_id=order.company_id,
            file_name=name,
            content_type=content_type,
            size_bytes=len(data),
            sha256=digest,
            storage_key=key,
            uploaded_by_id=viewer.user_id if viewer.is_portal else None,
        )
        uow.session.add(row)
        if previous:
            await domain_events.publish(uow, OrderFileReplaced(order, line.id, viewer))
        uow.record_event(
            "order.file_attached",
            order.company_id,
            {
                "orderId": order.id,
                "line": line_position,
                "fileName": name,
                "ordererId": order.orderer_id,
            },
        )
        await uow.commit()
        return row


async def files_of_lines(
    uow: UnitOfWork, viewer: Viewer, line_ids: Sequence[int]
) -> Sequence[OrderFile]:
    return await uow.scalars(
        select(OrderFile)
        .join(OrderLine, OrderLine.id == OrderFile.order_line_id)
        .join(Order, Order.id == OrderLine.order_id)
        .where(OrderFile.order_line_id.in_(list(line_ids)), order_scope(viewer))
        .order_by(OrderFile.id)
    )


async def order_file_content(
    uow: UnitOfWork, viewer: Viewer, storage: FileStorage, file_id: int
) -> tuple[OrderFile, bytes]:
    row: OrderFile | None = await uow.scalar(
        select(OrderFile)
        .join(OrderLine, OrderLine.id == OrderFile.order_line_id)
        .join(Order, Order.id == OrderLine.order_id)
        .where(OrderFile.id == file_id, order_scope(viewer))
    )
    if row is None:
        raise DomainError.single(OrderErrorCode.NOT_FOUND, "File not found.", "id")
    return row, await storage.get(row.storage_key)
