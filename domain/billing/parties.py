"""Who is billed, on which schedule, under which VAT treatment: read from accounts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from domain.accounts.models import Address, Company, CustomerGroup
from domain.accounts.rights import AddressKind, InvoiceSchedule, LegalForm
from domain.billing.profile import SellerProfile
from domain.billing.vat import Treatment, normalise_vat_id, vat_treatment
from domain.shared.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class Customer:
    """A company as its documents need it."""

    company: Company
    group: CustomerGroup | None
    address: Address | None

    @property
    def schedule(self) -> InvoiceSchedule:
        """The company's own schedule, else its group's, else one invoice per order."""
        if self.company.invoice_schedule is not None:
            return self.company.invoice_schedule
        return self.group.invoice_schedule if self.group else InvoiceSchedule.PER_ORDER

    @property
    def payment_terms_days(self) -> int:
        return self.group.payment_terms_days if self.group else 14

    @property
    def country(self) -> str:
        return self.address.country if self.address else "DE"

    @property
    def invoice_email(self) -> str | None:
        return self.company.invoice_email or self.company.contact_email

    def treatment(self, seller: SellerProfile) -> Treatment:
        return vat_treatment(
            seller.country,
            self.country,
            self.company.vat_id,
            self.company.legal_form is LegalForm.COMPANY,
        )

    def as_party(self) -> dict[str, Any]:
        """The buyer as stored on an issued document."""
        a = self.address
        return {
            "companyId": self.company.id,
            "code": self.company.code,
            "name": (a.name if a else None) or self.company.name,
            "street": a.street if a else "",
            "postalCode": a.postal_code if a else "",
            "city": a.city if a else "",
            "country": self.country,
            "vatId": normalise_vat_id(self.company.vat_id) if self.company.vat_id else None,
            "email": self.invoice_email,
            "contactName": self.company.contact_name,
        }


async def load_customer(uow: UnitOfWork, company_id: int) -> Customer | None:
    company = await uow.scalar(select(Company).where(Company.id == company_id))
    if company is None:
        return None
    group = (
        await uow.scalar(select(CustomerGroup).where(CustomerGroup.id == company.customer_group_id))
        if company.customer_group_id
        else None
    )
    addresses = await uow.scalars(
        select(Address)
        .where(Address.company_id == company_id)
        .order_by(
            (Address.kind == AddressKind.BILLING).desc(), Address.is_default.desc(), Address.id
        )
    )
    return Customer(company, group, addresses[0] if addresses else None)
