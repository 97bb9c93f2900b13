"""Invoices and credit notes as the API shows them. Amounts are integer minor units (`Money`).
Seen by staff, and by portal users with VIEW_FINANCES for their own company only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, TypeAlias

import strawberry
from strawberry import relay

from domain.billing import models as bm
from domain.billing.errors import BillingErrorCode as _BillingErrorCode
from domain.billing.lines import vat_breakdown
from domain.billing.queries import InvoiceStatus as _InvoiceStatus
from domain.billing.queries import OrderInvoicing as _OrderInvoicing
from domain.billing.queries import invoice_status
from schema.accounts.types import Company
from schema.context import Info
from schema.core import UserError
from schema.pricing.types import Money

InvoiceStatus: TypeAlias = _InvoiceStatus
strawberry.enum(
    InvoiceStatus,
    name="InvoiceStatus",
    description="OPEN (not yet due), OVERDUE, PAID, or CREDITED (settled by credit notes).",
)
InvoiceKind: TypeAlias = bm.InvoiceKind
strawberry.enum(
    InvoiceKind, name="InvoiceKind", description="SINGLE (one order) or COLLECTIVE (a period)."
)
VatTreatment: TypeAlias = bm.VatTreatment
strawberry.enum(
    VatTreatment,
    name="VatTreatment",
    description="DOMESTIC (VAT charged), REVERSE_CHARGE (EU business abroad), EXPORT (zero-rated).",
)
OrderInvoicingState: TypeAlias = _OrderInvoicing
strawberry.enum(
    OrderInvoicingState,
    name="OrderInvoicingState",
    description="INVOICED, EXTERNAL (billed elsewhere), or PENDING (invoiced on delivery or "
    "on the next collective run).",
)
BillingErrorCode: TypeAlias = _BillingErrorCode
strawberry.enum(BillingErrorCode, name="BillingErrorCode")


@strawberry.type(description="A failure of a billing mutation.")
class BillingError(UserError):
    code: BillingErrorCode


@strawberry.type(description="Seller or buyer as printed on an issued document.")
class BillingParty:
    name: str
    street: str
    postal_code: str
    city: str
    country: str = strawberry.field(description="ISO 3166-1 alpha-2.")
    vat_id: str | None
    email: str | None

    @classmethod
    def of(cls, p: dict[str, Any]) -> BillingParty:
        return cls(
            name=str(p.get("name") or ""),
            street=str(p.get("street") or ""),
            postal_code=str(p.get("postalCode") or ""),
            city=str(p.get("city") or ""),
            country=str(p.get("country") or ""),
            vat_id=p.get("vatId"),
            email=p.get("email"),
        )


@strawberry.type(description="A line of an invoice or credit note.")
class BillingDocumentLine:
    position: int
    description: str
    quantity: int
    reference: str = strawberry.field(description="The order number (invoice lines).")
    net: Money
    vat: Money
    vat_rate_percent: Decimal
    vat_category: str = strawberry.field(
        description="EN 16931 VAT category: S standard, Z zero, AE reverse charge, G export."
    )


@strawberry.type(description="VAT of the lines of one category and rate.")
class VatBreakdownRow:
    vat_category: str
    vat_rate_percent: Decimal
    taxable: Money
    vat: Money


def _lines(rows: Iterable[Any], currency: str, reference: str | None = None) -> list[Any]:
    return [
        BillingDocumentLine(
            position=r.position,
            description=r.description,
            quantity=r.quantity,
            reference=reference if reference is not None else getattr(r, "order_number", ""),
            net=Money(amount=r.net_amount, currency=currency),
            vat=Money(amount=r.vat_amount, currency=currency),
            vat_rate_percent=Decimal(r.vat_rate_percent),
            vat_category=r.vat_category,
        )
        for r in rows
    ]


def _breakdown(rows: Iterable[Any], currency: str) -> list[VatBreakdownRow]:
    return [
        VatBreakdownRow(
            vat_category=g.category,
            vat_rate_percent=g.rate,
            taxable=Money(amount=g.taxable, currency=currency),
            vat=Money(amount=g.vat, currency=currency),
        )
        for g in vat_breakdown(rows)
    ]


async def _nodes(info: Info, node_ids: Iterable[str], loader: Any, build: Any) -> list[Any]:
    ids = [int(n) if n.isdigit() else -1 for n in node_ids]
    return [build(r) if r is not None else None for r in await loader.load_many(ids)]


@strawberry.type(description="An issued invoice: immutable; corrected by credit notes.")
class Invoice(relay.Node):
    id: relay.NodeID[int]
    number: str = strawberry.field(description="Gapless per series and year, e.g. RE-2026-00042.")
    invoice_kind: InvoiceKind
    issue_date: dt.date
    payment_due_date: dt.date
    period_start: dt.date | None = strawberry.field(description="A collective invoice's period.")
    period_end: dt.date | None
    currency: str
    vat_treatment: VatTreatment
    vat_note: str = strawberry.field(description="The legal statement (reverse charge, export).")
    reminders_sent: int
    _model: strawberry.Private[bm.Invoice]

    @classmethod
    def from_model(cls, i: bm.Invoice) -> Invoice:
        return cls(
            id=i.id,
            number=i.number,
            invoice_kind=i.kind,
            issue_date=i.issue_date,
            payment_due_date=i.due_date,
            period_start=i.period_start,
            period_end=i.period_end,
            currency=i.currency,
            vat_treatment=i.vat_treatment,
            vat_note=i.vat_note,
            reminders_sent=i.reminders_sent,
            _model=i,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Invoice | None]:
        return await _nodes(info, node_ids, info.context.loaders.billing.invoice, cls.from_model)

    def _money(self, amount: int) -> Money:
        return Money(amount=amount, currency=self._model.currency)

    @strawberry.field(description="OPEN, OVERDUE, PAID or CREDITED, as of today.")
    def payment_status(self) -> InvoiceStatus:
        return invoice_status(self._model, dt.datetime.now(dt.UTC).date())

    @strawberry.field
    def net_total(self) -> Money:
        return self._money(self._model.net_amount)

    @strawberry.field
    def vat_total(self) -> Money:
        return self._money(self._model.vat_amount)

    @strawberry.field
    def gross_total(self) -> Money:
        return self._money(self._model.gross_amount)

    @strawberry.field(description="Payments recorded against it.")
    def paid(self) -> Money:
        return self._money(self._model.paid_amount)

    @strawberry.field(description="Credit notes issued against it (gross).")
    def credited(self) -> Money:
        return self._money(self._model.credited_amount)

    @strawberry.field(description="What is still owed: gross less payments and credit notes.")
    def open_amount(self) -> Money:
        return self._money(self._model.open_amount)

    @strawberry.field
    def seller(self) -> BillingParty:
        return BillingParty.of(self._model.seller)

    @strawberry.field
    def buyer(self) -> BillingParty:
        return BillingParty.of(self._model.buyer)

    @strawberry.field(description="The customer billed.")
    async def customer(self, info: Info) -> Company | None:
        c = await info.context.loaders.company.load(self._model.company_id)
        return Company.from_model(c) if c else None

    @strawberry.field
    async def document_lines(self, info: Info) -> list[BillingDocumentLine]:
        rows = await info.context.loaders.billing.lines_by_invoice.load(self._model.id)
        return _lines(rows, self._model.currency)

    @strawberry.field(description="Net and VAT per VAT category and rate.")
    async def vat_breakdown(self, info: Info) -> list[VatBreakdownRow]:
        rows = await info.context.loaders.billing.lines_by_invoice.load(self._model.id)
        return _breakdown(rows, self._model.currency)

    @strawberry.field(description="The orders it bills.")
    async def order_numbers(self, info: Info) -> list[str]:
        rows = await info.context.loaders.billing.lines_by_invoice.load(self._model.id)
        return list(dict.fromkeys(r.order_number for r in rows))

    @strawberry.field
    async def credit_notes(self, info: Info) -> list[CreditNote]:
        rows = await info.context.loaders.billing.credit_notes_by_invoice.load(self._model.id)
        return [CreditNote.from_model(r) for r in rows]

    @strawberry.field(
        description="Where to download it (with the same bearer token): `pdf` (Factur-X PDF/A-3 "
        "with the XML inside), `ubl` (Peppol BIS Billing 3.0) and `facturx` (CII XML)."
    )
    def download_paths(self) -> DocumentDownloads:
        return DocumentDownloads.of("invoices", self._model.id)


@strawberry.type(description="Download paths of a document, relative to the API's base URL.")
class DocumentDownloads:
    pdf: str
    ubl: str
    facturx: str

    @classmethod
    def of(cls, kind: str, pk: int) -> DocumentDownloads:
        base = f"/billing/{kind}/{pk}"
        return cls(pdf=f"{base}.pdf", ubl=f"{base}.ubl.xml", facturx=f"{base}.cii.xml")


@strawberry.type(description="A credit note: corrects an issued invoice, whole or per line.")
class CreditNote(relay.Node):
    id: relay.NodeID[int]
    number: str = strawberry.field(description="Gapless in its own series, e.g. GS-2026-00003.")
    issue_date: dt.date
    reason: str
    currency: str
    vat_treatment: VatTreatment
    vat_note: str
    _model: strawberry.Private[bm.CreditNote]

    @classmethod
    def from_model(cls, n: bm.CreditNote) -> CreditNote:
        return cls(
            id=n.id,
            number=n.number,
            issue_date=n.issue_date,
            reason=n.reason,
            currency=n.currency,
            vat_treatment=n.vat_treatment,
            vat_note=n.vat_note,
            _model=n,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[CreditNote | None]:
        return await _nodes(
            info, node_ids, info.context.loaders.billing.credit_note, cls.from_model
        )

    @strawberry.field
    def net_total(self) -> Money:
        return Money(amount=self._model.net_amount, currency=self._model.currency)

    @strawberry.field
    def vat_total(self) -> Money:
        return Money(amount=self._model.vat_amount, currency=self._model.currency)

    @strawberry.field
    def gross_total(self) -> Money:
        return Money(amount=self._model.gross_amount, currency=self._model.currency)

    @strawberry.field(description="The invoice it corrects.")
    async def invoice(self, info: Info) -> Invoice | None:
        i = await info.context.loaders.billing.invoice.load(self._model.invoice_id)
        return Invoice.from_model(i) if i else None

    @strawberry.field
    async def document_lines(self, info: Info) -> list[BillingDocumentLine]:
        rows = await info.context.loaders.billing.lines_by_credit_note.load(self._model.id)
        return _lines(rows, self._model.currency, reference="")

    @strawberry.field
    async def vat_breakdown(self, info: Info) -> list[VatBreakdownRow]:
        rows = await info.context.loaders.billing.lines_by_credit_note.load(self._model.id)
        return _breakdown(rows, self._model.currency)

    @strawberry.field(description="Where to download it (see Invoice.downloadPaths).")
    def download_paths(self) -> DocumentDownloads:
        return DocumentDownloads.of("credit-notes", self._model.id)


@strawberry.type(description="Where an order stands in billing.")
class OrderInvoicing:
    state: OrderInvoicingState
    invoice_id: strawberry.Private[int | None]

    @strawberry.field(description="Its invoice, if issued and you may see it (VIEW_FINANCES).")
    async def invoice(self, info: Info) -> Invoice | None:
        if self.invoice_id is None:
            return None
        i = await info.context.loaders.billing.invoice.load(self.invoice_id)
        return Invoice.from_model(i) if i else None


@strawberry.type(description="An invoice was issued (websocket event).")
class InvoiceIssuedEvent:
    event_id: int = strawberry.field(description="Pass as `after` to resume from here.")
    invoice: Invoice | None
