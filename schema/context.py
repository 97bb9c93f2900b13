"""What a field may reach from the request, stated as Protocols: the viewer, the unit of work,
the per-request loaders and the process-wide services.

schema/ only names what it needs; resolvers/context.py builds the concrete request context
(and resolvers/loaders.py the loaders) and the server hands it to strawberry. ``Info`` is
defined here, once, and annotates every field and resolver.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from typing import Protocol

import strawberry
from starlette.requests import Request
from starlette.websockets import WebSocket
from strawberry.dataloader import DataLoader

from domain.accounts.auth import ThrottleConfig
from domain.accounts.models import (
    Address,
    Company,
    CustomerGroup,
    PermissionGroup,
    PortalUser,
    RegistrationRequest,
    StaffUser,
)
from domain.accounts.tokens import TokenConfig
from domain.accounts.viewer import Viewer
from domain.billing.models import CreditNote, CreditNoteLine, Invoice, InvoiceLine
from domain.billing.queries import OrderInvoicing
from domain.catalog.models import Channel, Configuration, Product, ProductVersion
from domain.events.ports import EventStream
from domain.fulfilment.delivery_dates import ShopCalendar
from domain.fulfilment.models import Parcel, Shipment, ShipmentLine, ShippingMethod, ShippingRate
from domain.fulfilment.turnaround import TurnaroundCatalogue
from domain.integrations.models import ApiKey, Webhook, WebhookAttempt, WebhookDelivery
from domain.laser.models import Part
from domain.laser.shop import LaserShop
from domain.orders.models import (
    Order,
    OrderAdjustment,
    OrderFile,
    OrderLine,
    OrderStatusChange,
)
from domain.pricing.context import PriceContext
from domain.pricing.result import PriceResult
from domain.pricing.tokens import PriceTokenConfig
from domain.production.models import Job, Requisition, Task
from domain.quotes.links import LinkSigner
from domain.quotes.models import (
    Quote,
    QuoteHistoryEntry,
    QuoteLine,
    QuoteRevision,
    Rfq,
    RfqInvitation,
)
from domain.quotes.sending import SendingTools
from domain.shared.ports import FileStorage
from domain.shared.uow import UnitOfWork
from domain.stock.models import PurchaseOrder, PurchaseOrderLine, StockItem, Supplier


class RequestUnitOfWork(UnitOfWork, Protocol):
    """The request's unit of work; a subscription closes its session while it waits."""

    async def close(self) -> None: ...


class Services(Protocol):
    """Process-wide, stateless collaborators the resolvers pass to domain services."""

    @property
    def tokens(self) -> TokenConfig: ...
    @property
    def throttle(self) -> ThrottleConfig: ...
    @property
    def password_reset_ttl_s(self) -> int: ...
    @property
    def public_base_url(self) -> str: ...
    @property
    def max_page_size(self) -> int: ...
    @property
    def default_page_size(self) -> int: ...
    @property
    def price_tokens(self) -> PriceTokenConfig: ...
    @property
    def events(self) -> EventStream | None: ...
    @property
    def files(self) -> FileStorage | None: ...
    @property
    def debug(self) -> bool: ...
    @property
    def webhook_targets(self) -> Callable[[str], Awaitable[str | None]] | None:
        """The SSRF check of webhook targets (None: the URL's shape only)."""
        ...

    @property
    def quote_links(self) -> LinkSigner | None: ...
    @property
    def quote_sending(self) -> SendingTools | None: ...
    @property
    def calendar(self) -> ShopCalendar: ...
    @property
    def turnarounds(self) -> TurnaroundCatalogue: ...


class StockLoaders(Protocol):
    """Stock items, suppliers and purchase orders, scoped to the viewer."""

    @property
    def item(self) -> DataLoader[int, StockItem | None]: ...
    @property
    def supplier(self) -> DataLoader[int, Supplier | None]: ...
    @property
    def purchase_order(self) -> DataLoader[int, PurchaseOrder | None]: ...
    @property
    def lines_by_purchase_order(self) -> DataLoader[int, list[PurchaseOrderLine]]: ...


class IntegrationLoaders(Protocol):
    """API keys, webhooks, deliveries and their attempts, scoped to the viewer."""

    @property
    def api_key(self) -> DataLoader[int, ApiKey | None]: ...
    @property
    def webhook(self) -> DataLoader[int, Webhook | None]: ...
    @property
    def delivery(self) -> DataLoader[int, WebhookDelivery | None]: ...
    @property
    def attempts(self) -> DataLoader[int, list[WebhookAttempt]]: ...


class QuoteLoaders(Protocol):
    """Quotes, their lines, revisions and history, RFQs and invitations, scoped to the viewer."""

    @property
    def quote(self) -> DataLoader[int, Quote | None]: ...
    @property
    def quote_by_order(self) -> DataLoader[int, Quote | None]: ...
    @property
    def line(self) -> DataLoader[int, QuoteLine | None]: ...
    @property
    def lines_by_quote(self) -> DataLoader[int, list[QuoteLine]]: ...
    @property
    def revisions_by_quote(self) -> DataLoader[int, list[QuoteRevision]]: ...
    @property
    def history_by_quote(self) -> DataLoader[int, list[QuoteHistoryEntry]]: ...
    @property
    def rfq(self) -> DataLoader[int, Rfq | None]: ...
    @property
    def rfqs_by_quote(self) -> DataLoader[int, list[Rfq]]: ...
    @property
    def invitation(self) -> DataLoader[int, RfqInvitation | None]: ...
    @property
    def invitations_by_rfq(self) -> DataLoader[int, list[RfqInvitation]]: ...


class BillingLoaders(Protocol):
    """Invoices and credit notes the viewer may see (VIEW_FINANCES), their lines, and the
    billing state of orders."""

    @property
    def invoice(self) -> DataLoader[int, Invoice | None]: ...
    @property
    def credit_note(self) -> DataLoader[int, CreditNote | None]: ...
    @property
    def lines_by_invoice(self) -> DataLoader[int, list[InvoiceLine]]: ...
    @property
    def lines_by_credit_note(self) -> DataLoader[int, list[CreditNoteLine]]: ...
    @property
    def credit_notes_by_invoice(self) -> DataLoader[int, list[CreditNote]]: ...
    @property
    def order_invoicing(self) -> DataLoader[int, tuple[OrderInvoicing, int | None]]: ...


class Loaders(Protocol):
    """One DataLoader per kind of lookup, per request and viewer: results in key order, None
    (or an empty list) for keys the viewer may not see or that do not exist."""

    @property
    def uow(self) -> UnitOfWork:
        """The unit of work the loads read through."""
        ...

    @property
    def company(self) -> DataLoader[int, Company | None]: ...
    @property
    def portal_user(self) -> DataLoader[int, PortalUser | None]: ...
    @property
    def permission_group(self) -> DataLoader[int, PermissionGroup | None]: ...
    @property
    def staff_user(self) -> DataLoader[int, StaffUser | None]: ...
    @property
    def registration_request(self) -> DataLoader[int, RegistrationRequest | None]: ...
    @property
    def customer_group(self) -> DataLoader[int, CustomerGroup | None]: ...
    @property
    def addresses_by_company(self) -> DataLoader[int, list[Address]]: ...
    @property
    def users_by_company(self) -> DataLoader[int, list[PortalUser]]: ...
    @property
    def groups_by_company(self) -> DataLoader[int, list[PermissionGroup]]: ...
    @property
    def groups_by_user(self) -> DataLoader[int, list[PermissionGroup]]: ...
    @property
    def channel(self) -> DataLoader[int, Channel | None]: ...
    @property
    def product(self) -> DataLoader[int, Product | None]: ...
    @property
    def product_version(self) -> DataLoader[int, ProductVersion | None]: ...
    @property
    def configuration(self) -> DataLoader[str, Configuration | None]: ...
    @property
    def default_price(
        self,
    ) -> DataLoader[tuple[int, int | None, str | None, int], PriceResult | None]: ...
    @property
    def order(self) -> DataLoader[int, Order | None]: ...
    @property
    def job(self) -> DataLoader[int, Job | None]: ...
    @property
    def task(self) -> DataLoader[int, Task | None]: ...
    @property
    def lines_by_order(self) -> DataLoader[int, list[OrderLine]]: ...
    @property
    def history_by_order(self) -> DataLoader[int, list[OrderStatusChange]]: ...
    @property
    def jobs_by_order(self) -> DataLoader[int, list[Job]]: ...
    @property
    def adjustments_by_order(self) -> DataLoader[int, list[OrderAdjustment]]: ...
    @property
    def shipping_method(self) -> DataLoader[int, ShippingMethod | None]: ...
    @property
    def rates_by_method(self) -> DataLoader[int, list[ShippingRate]]: ...
    @property
    def shipment(self) -> DataLoader[int, Shipment | None]: ...
    @property
    def shipments_by_order(self) -> DataLoader[int, list[Shipment]]: ...
    @property
    def parcels_by_shipment(self) -> DataLoader[int, list[Parcel]]: ...
    @property
    def shipment_lines_by_shipment(self) -> DataLoader[int, list[ShipmentLine]]: ...
    @property
    def tasks_by_job(self) -> DataLoader[int, list[Task]]: ...
    @property
    def requisitions_by_job(self) -> DataLoader[int, list[Requisition]]: ...
    @property
    def job_by_line(self) -> DataLoader[int, Job | None]: ...
    @property
    def order_file(self) -> DataLoader[int, OrderFile | None]: ...
    @property
    def files_by_line(self) -> DataLoader[int, list[OrderFile]]: ...
    @property
    def stock(self) -> StockLoaders: ...
    @property
    def integrations(self) -> IntegrationLoaders: ...
    @property
    def quotes(self) -> QuoteLoaders: ...
    @property
    def billing(self) -> BillingLoaders: ...
    @property
    def laser_shop(self) -> DataLoader[int, LaserShop]: ...
    @property
    def part(self) -> DataLoader[int, Part | None]: ...
    @property
    def part_dxf(self) -> DataLoader[int, bytes | None]: ...
    @property
    def laser_price_context(
        self,
    ) -> DataLoader[tuple[str | None, int], PriceContext | None]: ...


class Context(Protocol):
    """The request context as fields and resolvers see it."""

    @property
    def request(self) -> Request | WebSocket: ...

    # Settable: a login mutation goes on as the user who just logged in.
    viewer: Viewer

    @property
    def uow(self) -> RequestUnitOfWork: ...
    @property
    def services(self) -> Services: ...
    @property
    def loaders(self) -> Loaders: ...
    @property
    def client_address(self) -> str | None: ...

    def event_scope(self) -> AbstractAsyncContextManager[Loaders]:
        """A fresh session and loaders for one subscription event, closed once it is sent."""
        ...

    def fork(self) -> Context:
        """The same viewer and services with a unit of work and loaders of its own."""
        ...


Info = strawberry.Info[Context, None]
