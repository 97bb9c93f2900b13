"""Per-request DataLoaders of billing, reached as ``info.context.loaders.billing``.

Invoices and credit notes are scoped by `finances_scope` (staff all; a portal user with
VIEW_FINANCES their company's); lines are only reached through a document already seen."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from functools import cached_property
from typing import Any

from sqlalchemy import select
from strawberry.dataloader import DataLoader

from domain.accounts.viewer import Viewer
from domain.billing.models import CreditNote, CreditNoteLine, Invoice, InvoiceLine
from domain.billing.policies import finances_scope
from domain.billing.queries import OrderInvoicing, order_invoicing
from domain.orders.models import Order
from domain.shared.uow import UnitOfWork


class BillingLoaders:
    def __init__(self, uow: UnitOfWork, viewer: Viewer) -> None:
        self.uow = uow
        self.viewer = viewer

    def _by_id(self, model: Any) -> DataLoader[int, Any]:
        async def load(keys: Sequence[int]) -> list[Any]:
            rows = await self.uow.scalars(
                select(model).where(
                    model.id.in_(keys), finances_scope(self.viewer, model.company_id)
                )
            )
            found = {row.id: row for row in rows}
            return [found.get(k) for k in keys]

        return DataLoader(load_fn=load)

    def _grouped(self, model: Any, key: Any, order: Any) -> DataLoader[int, list[Any]]:
        async def load(keys: Sequence[int]) -> list[list[Any]]:
            grouped: dict[int, list[Any]] = defaultdict(list)
            for row in await self.uow.scalars(select(model).where(key.in_(keys)).order_by(order)):
                grouped[getattr(row, key.key)].append(row)
            return [grouped.get(k, []) for k in keys]

        return DataLoader(load_fn=load)

    @cached_property
    def invoice(self) -> DataLoader[int, Invoice | None]:
        return self._by_id(Invoice)

    @cached_property
    def credit_note(self) -> DataLoader[int, CreditNote | None]:
        return self._by_id(CreditNote)

    @cached_property
    def lines_by_invoice(self) -> DataLoader[int, list[InvoiceLine]]:
        return self._grouped(InvoiceLine, InvoiceLine.invoice_id, InvoiceLine.position)

    @cached_property
    def lines_by_credit_note(self) -> DataLoader[int, list[CreditNoteLine]]:
        return self._grouped(CreditNoteLine, CreditNoteLine.credit_note_id, CreditNoteLine.position)

    @cached_property
    def credit_notes_by_invoice(self) -> DataLoader[int, list[CreditNote]]:
        return self._grouped(CreditNote, CreditNote.invoice_id, CreditNote.id)

    @cached_property
    def order_invoicing(self) -> DataLoader[int, tuple[OrderInvoicing, int | None]]:
        """An order's billing state and invoice id, by order id (orders the viewer sees)."""

        async def load(keys: Sequence[int]) -> list[tuple[OrderInvoicing, int | None]]:
            rows = await self.uow.rows(
                select(Order.id, Order.company_id, Order.invoiced_externally).where(
                    Order.id.in_(keys)
                )
            )
            states = await order_invoicing(self.uow, [tuple(r) for r in rows])
            return [states.get(k, (OrderInvoicing.PENDING, None)) for k in keys]

        return DataLoader(load_fn=load)
