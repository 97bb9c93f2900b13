"""Per-request DataLoaders: one batched query per kind of lookup, never shared across viewers.

Every batch function is scoped by the request's viewer (tenant isolation) and returns results in
key order, with None (or an empty list) for keys it may not see or that do not exist.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from functools import cached_property
from typing import Any, TypeVar

from sqlalchemy import select, true
from sqlalchemy.orm import InstrumentedAttribute, defer
from strawberry.dataloader import DataLoader

from domain.accounts.models import (
    Address,
    Company,
    CustomerGroup,
    PermissionGroup,
    PortalUser,
    RegistrationRequest,
    StaffUser,
    portal_user_group,
)
from domain.accounts.policies import company_scope, staff_only
from domain.accounts.viewer import Viewer
from domain.catalog.models import Channel, Configuration, Product, ProductVersion
from domain.catalog.prices import channel_for_read, price_context, price_version
from domain.catalog.services import channel_for, channel_open_to, configuration_scope
from domain.fulfilment.models import Parcel, Shipment, ShipmentLine, ShippingMethod, ShippingRate
from domain.fulfilment.shipment_status import shipment_scope
from domain.laser.models import Part
from domain.laser.parts import part_scope
from domain.laser.shop import LaserShop, load_shop_for_read
from domain.orders.models import (
    Order,
    OrderAdjustment,
    OrderFile,
    OrderLine,
    OrderStatusChange,
)
from domain.orders.policies import order_scope
from domain.pricing.context import PriceContext
from domain.pricing.result import PriceResult
from domain.production.models import Job, Requisition, Task
from domain.shared.errors import DomainError
from domain.shared.uow import UnitOfWork
from resolvers.billing.loaders import BillingLoaders
from resolvers.integrations.loaders import IntegrationLoaders
from resolvers.quotes.loaders import QuoteLoaders
from resolvers.stock.loaders import StockLoaders

K = TypeVar("K", bound=Hashable)


def _release(holder: object) -> None:
    for name, value in list(vars(holder).items()):
        if isinstance(value, DataLoader):
            del vars(holder)[name]


class Loaders:
    def __init__(self, uow: UnitOfWork, viewer: Viewer) -> None:
        self.uow = uow
        self.viewer = viewer

    def release(self) -> None:
        """Drop the DataLoaders made so far (of the area loaders too). Their batch functions
        are closures over the loaders object, so each kept one forms a reference cycle with
        it that only the garbage collector frees, with every row it cached; the request
        (or subscription event) that owned them calls this when it ends."""
        for value in list(vars(self).values()):
            if isinstance(value, BillingLoaders | IntegrationLoaders | QuoteLoaders | StockLoaders):
                _release(value)
        _release(self)

    def _by_id(self, model: Any, scope: Callable[[], Any] | None = None) -> DataLoader[int, Any]:
        async def load(keys: Sequence[int]) -> list[Any]:
            stmt = select(model).where(model.id.in_(keys))
            if scope is not None:
                stmt = stmt.where(scope())
            found = {row.id: row for row in await self.uow.scalars(stmt)}
            return [found.get(k) for k in keys]

        return DataLoader(load_fn=load)

    def _many_by(
        self, model: Any, column: InstrumentedAttribute[Any], order: Any, scope: Any
    ) -> DataLoader[int, list[Any]]:
        async def load(keys: Sequence[int]) -> list[list[Any]]:
            rows = await self.uow.scalars(
                select(model).where(column.in_(keys), scope).order_by(order)
            )
            grouped: dict[int, list[Any]] = defaultdict(list)
            for row in rows:
                grouped[getattr(row, column.key)].append(row)
            return [grouped.get(k, []) for k in keys]

        return DataLoader(load_fn=load)

    @cached_property
    def company(self) -> DataLoader[int, Company | None]:
        return self._by_id(Company, lambda: company_scope(self.viewer, Company.id))

    @cached_property
    def portal_user(self) -> DataLoader[int, PortalUser | None]:
        return self._by_id(PortalUser, lambda: company_scope(self.viewer, PortalUser.company_id))

    @cached_property
    def permission_group(self) -> DataLoader[int, PermissionGroup | None]:
        return self._by_id(
            PermissionGroup, lambda: company_scope(self.viewer, PermissionGroup.company_id)
        )

    @cached_property
    def staff_user(self) -> DataLoader[int, StaffUser | None]:
        # Only staff see the shop's staff accounts.
        return self._by_id(StaffUser, lambda: staff_only(self.viewer))

    @cached_property
    def registration_request(self) -> DataLoader[int, RegistrationRequest | None]:
        return self._by_id(RegistrationRequest, lambda: staff_only(self.viewer))

    @cached_property
    def customer_group(self) -> DataLoader[int, CustomerGroup | None]:
        # Terms of customers are the shop's business, as are its staff accounts.
        return self._by_id(CustomerGroup, lambda: staff_only(self.viewer))

    @cached_property
    def addresses_by_company(self) -> DataLoader[int, list[Address]]:
        return self._many_by(
            Address, Address.company_id, Address.id, company_scope(self.viewer, Address.company_id)
        )

    @cached_property
    def users_by_company(self) -> DataLoader[int, list[PortalUser]]:
        return self._many_by(
            PortalUser,
            PortalUser.company_id,
            PortalUser.login,
            company_scope(self.viewer, PortalUser.company_id),
        )

    @cached_property
    def groups_by_company(self) -> DataLoader[int, list[PermissionGroup]]:
        return self._many_by(
            PermissionGroup,
            PermissionGroup.company_id,
            PermissionGroup.name,
            company_scope(self.viewer, PermissionGroup.company_id),
        )

    @cached_property
    def groups_by_user(self) -> DataLoader[int, list[PermissionGroup]]:
        async def load(keys: Sequence[int]) -> list[list[PermissionGroup]]:
            rows = await self.uow.rows(
                select(portal_user_group.c.user_id, PermissionGroup)
                .join(PermissionGroup, PermissionGroup.id == portal_user_group.c.group_id)
                .where(
                    portal_user_group.c.user_id.in_(keys),
                    company_scope(self.viewer, PermissionGroup.company_id),
                )
                .order_by(PermissionGroup.name)
            )
            grouped: dict[int, list[PermissionGroup]] = defaultdict(list)
            for user_id, group in rows:
                grouped[user_id].append(group)
            return [grouped.get(k, []) for k in keys]

        return DataLoader(load_fn=load)

    @cached_property
    def channel(self) -> DataLoader[int, Channel | None]:
        async def load(keys: Sequence[int]) -> list[Channel | None]:
            rows = await self.uow.scalars(select(Channel).where(Channel.id.in_(keys)))
            found = {
                c.id: c
                for c in rows
                if channel_open_to(c, self.viewer) and (c.is_active or self.viewer.is_staff)
            }
            return [found.get(k) for k in keys]

        return DataLoader(load_fn=load)

    @cached_property
    def product(self) -> DataLoader[int, Product | None]:
        # Inactive products stay visible by ID: orders and quotes keep referring to them.
        return self._by_id(Product)

    @cached_property
    def product_version(self) -> DataLoader[int, ProductVersion | None]:
        return self._by_id(ProductVersion)

    @cached_property
    def configuration(self) -> DataLoader[str, Configuration | None]:
        async def load(keys: Sequence[str]) -> list[Configuration | None]:
            ids = []
            for k in keys:
                try:
                    ids.append(uuid.UUID(k))
                except ValueError:
                    continue
            rows = await self.uow.scalars(
                select(Configuration).where(
                    Configuration.id.in_(ids), configuration_scope(self.viewer)
                )
            )
            found = {str(c.id): c for c in rows}
            return [found.get(k) for k in keys]

        return DataLoader(load_fn=load)

    @cached_property
    def default_price(
        self,
    ) -> DataLoader[tuple[int, int | None, str | None, int], PriceResult | None]:
        """The default configuration's price per product, for catalog pages: one context query
        per page, then pure evaluations. Versions come through the `product_version` loader, so
        a page that also shows `currentVersion` reads and decodes each version's JSON once."""

        async def load(
            keys: Sequence[tuple[int, int | None, str | None, int]],
        ) -> list[PriceResult | None]:
            ids = list(dict.fromkeys(k[1] for k in keys if k[1] is not None))
            versions = {v.id: v for v in await self.product_version.load_many(ids) if v is not None}
            contexts: dict[str | None, PriceContext | None] = {}
            out: list[PriceResult | None] = []
            for _product_id, version_id, channel_code, quantity in keys:
                if channel_code not in contexts:
                    try:
                        channel = await channel_for_read(self.uow, self.viewer, channel_code)
                        contexts[channel_code] = await price_context(
                            self.uow, self.viewer, channel, cached=True
                        )
                    except DomainError:
                        contexts[channel_code] = None
                ctx = contexts[channel_code]
                version = versions.get(version_id) if version_id is not None else None
                if ctx is None or version is None:
                    out.append(None)
                    continue
                try:
                    out.append(price_version(version, {}, quantity, ctx))
                except DomainError:
                    out.append(None)  # a product without price rules (e.g. laser parts)
            return out

        return DataLoader(load_fn=load)

    # Orders and production: everything is scoped through the order's visibility.
    @cached_property
    def order(self) -> DataLoader[int, Order | None]:
        return self._by_id(Order, lambda: order_scope(self.viewer))

    def _via_order(self, model: Any, join_col: Any) -> DataLoader[int, Any]:
        async def load(keys: Sequence[int]) -> list[Any]:
            rows = await self.uow.scalars(
                select(model)
                .join(Order, Order.id == join_col)
                .where(model.id.in_(keys), order_scope(self.viewer))
            )
            found = {r.id: r for r in rows}
            return [found.get(k) for k in keys]

        return DataLoader(load_fn=load)

    @cached_property
    def job(self) -> DataLoader[int, Job | None]:
        return self._via_order(Job, Job.order_id)

    @cached_property
    def task(self) -> DataLoader[int, Task | None]:
        async def load(keys: Sequence[int]) -> list[Task | None]:
            rows = await self.uow.scalars(
                select(Task)
                .join(Job, Job.id == Task.job_id)
                .join(Order, Order.id == Job.order_id)
                .where(Task.id.in_(keys), order_scope(self.viewer))
            )
            found = {r.id: r for r in rows}
            return [found.get(k) for k in keys]

        return DataLoader(load_fn=load)

    @cached_property
    def lines_by_order(self) -> DataLoader[int, list[OrderLine]]:
        return self._many_by(OrderLine, OrderLine.order_id, OrderLine.position, true())

    @cached_property
    def history_by_order(self) -> DataLoader[int, list[OrderStatusChange]]:
        return self._many_by(
            OrderStatusChange, OrderStatusChange.order_id, OrderStatusChange.id, true()
        )

    @cached_property
    def jobs_by_order(self) -> DataLoader[int, list[Job]]:
        return self._many_by(Job, Job.order_id, Job.number, true())

    @cached_property
    def adjustments_by_order(self) -> DataLoader[int, list[OrderAdjustment]]:
        """An order's final-price adjustments, oldest first (sight of the order is checked)."""
        scope = company_scope(self.viewer, OrderAdjustment.company_id)
        return self._many_by(OrderAdjustment, OrderAdjustment.order_id, OrderAdjustment.id, scope)

    @cached_property
    def shipping_method(self) -> DataLoader[int, ShippingMethod | None]:
        return self._by_id(ShippingMethod)

    @cached_property
    def rates_by_method(self) -> DataLoader[int, list[ShippingRate]]:
        return self._many_by(ShippingRate, ShippingRate.method_id, ShippingRate.id, true())

    @cached_property
    def shipment(self) -> DataLoader[int, Shipment | None]:
        return self._by_id(Shipment, lambda: shipment_scope(self.viewer))

    @cached_property
    def shipments_by_order(self) -> DataLoader[int, list[Shipment]]:
        return self._many_by(Shipment, Shipment.order_id, Shipment.id, shipment_scope(self.viewer))

    @cached_property
    def parcels_by_shipment(self) -> DataLoader[int, list[Parcel]]:
        return self._many_by(Parcel, Parcel.shipment_id, Parcel.position, true())

    @cached_property
    def shipment_lines_by_shipment(self) -> DataLoader[int, list[ShipmentLine]]:
        return self._many_by(ShipmentLine, ShipmentLine.shipment_id, ShipmentLine.id, true())

    @cached_property
    def tasks_by_job(self) -> DataLoader[int, list[Task]]:
        return self._many_by(Task, Task.job_id, Task.position, true())

    @cached_property
    def requisitions_by_job(self) -> DataLoader[int, list[Requisition]]:
        return self._many_by(Requisition, Requisition.job_id, Requisition.id, true())

    @cached_property
    def job_by_line(self) -> DataLoader[int, Job | None]:
        async def load(keys: Sequence[int]) -> list[Job | None]:
            rows = await self.uow.scalars(select(Job).where(Job.order_line_id.in_(keys)))
            found = {r.order_line_id: r for r in rows}
            return [found.get(k) for k in keys]

        return DataLoader(load_fn=load)

    @cached_property
    def order_file(self) -> DataLoader[int, OrderFile | None]:
        async def load(keys: Sequence[int]) -> list[OrderFile | None]:
            rows = await self.uow.scalars(
                select(OrderFile)
                .join(OrderLine, OrderLine.id == OrderFile.order_line_id)
                .join(Order, Order.id == OrderLine.order_id)
                .where(OrderFile.id.in_(keys), order_scope(self.viewer))
            )
            found = {r.id: r for r in rows}
            return [found.get(k) for k in keys]

        return DataLoader(load_fn=load)

    @cached_property
    def files_by_line(self) -> DataLoader[int, list[OrderFile]]:
        return self._many_by(OrderFile, OrderFile.order_line_id, OrderFile.id, true())

    @cached_property
    def integrations(self) -> IntegrationLoaders:
        """API keys, webhooks and deliveries (resolvers/integrations/loaders.py)."""
        return IntegrationLoaders(self.uow, self.viewer)

    @cached_property
    def billing(self) -> BillingLoaders:
        """Invoices, credit notes and orders' billing state (resolvers/billing/loaders.py)."""
        return BillingLoaders(self.uow, self.viewer)

    @cached_property
    def stock(self) -> StockLoaders:
        """Stock items, suppliers and purchase orders (resolvers/stock/loaders.py)."""
        return StockLoaders(self.uow, self.viewer)

    @cached_property
    def quotes(self) -> QuoteLoaders:
        """Quotes, their lines, revisions and history, RFQs (resolvers/quotes/loaders.py)."""
        return QuoteLoaders(self.uow, self.viewer)

    # Laser: the shop's price list once per request; parts scoped to the viewer's company.
    @cached_property
    def laser_shop(self) -> DataLoader[int, LaserShop]:
        """Materials, thicknesses and rates; load(0) (one key: the shop)."""

        async def load(keys: Sequence[int]) -> list[LaserShop]:
            shop = await load_shop_for_read(self.uow)
            return [shop for _ in keys]

        return DataLoader(load_fn=load)

    @cached_property
    def part(self) -> DataLoader[int, Part | None]:
        async def load(keys: Sequence[int]) -> list[Part | None]:
            rows = await self.uow.scalars(
                select(Part)
                .where(Part.id.in_(keys), part_scope(self.viewer))
                .options(defer(Part.dxf, raiseload=True))
            )
            found = {r.id: r for r in rows}
            return [found.get(k) for k in keys]

        return DataLoader(load_fn=load)

    @cached_property
    def part_dxf(self) -> DataLoader[int, bytes | None]:
        async def load(keys: Sequence[int]) -> list[bytes | None]:
            rows = await self.uow.rows(
                select(Part.id, Part.dxf).where(Part.id.in_(keys), part_scope(self.viewer))
            )
            found = {pk: bytes(data) for pk, data in rows}
            return [found.get(k) for k in keys]

        return DataLoader(load_fn=load)

    @cached_property
    def laser_price_context(self) -> DataLoader[tuple[str | None, int], PriceContext | None]:
        """The buyer's terms for a part's company in a channel (None: channel closed)."""

        async def load(keys: Sequence[tuple[str | None, int]]) -> list[PriceContext | None]:
            out: list[PriceContext | None] = []
            for channel_code, company_id in keys:
                try:
                    channel = await channel_for(self.uow, self.viewer, channel_code)
                except DomainError:
                    out.append(None)
                    continue
                out.append(await price_context(self.uow, self.viewer, channel, company_id))
            return out

        return DataLoader(load_fn=load)
