"""Object types of the accounts area."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Annotated, Any

import strawberry
from strawberry import relay

from domain.accounts import models as m
from domain.accounts.queries import current_user
from domain.accounts.rights import Right as DomainRight
from schema.accounts.enums import (
    AccountErrorCode,
    AddressKind,
    InvoiceSchedule,
    LegalForm,
    Right,
    StaffRole,
)
from schema.context import Info
from schema.core import UserError
from schema.permissions import IsStaff, SeesCompanyFinances, hidden_unless


async def _resolve_by_loader(
    cls: Any, info: Info, node_ids: Iterable[str], loader_name: str, required: bool
) -> list[Any]:
    loader = getattr(info.context.loaders, loader_name)
    ids = []
    for raw in node_ids:
        try:
            ids.append(int(raw))
        except ValueError:
            ids.append(-1)
    rows = await loader.load_many(ids)
    return [cls.from_model(r) if r is not None else None for r in rows]


@strawberry.type(description="Commercial terms shared by many customers.")
class CustomerGroup(relay.Node):
    id: relay.NodeID[int]
    name: str
    payment_terms_days: int
    discount_percent: Decimal
    price_change_tolerance_percent: Decimal = strawberry.field(
        description="Final price changes within this % of the gross apply without approval."
    )
    invoice_schedule: InvoiceSchedule = strawberry.field(
        description="How the group's customers are invoiced (a company may set its own)."
    )

    @classmethod
    def from_model(cls, g: m.CustomerGroup) -> CustomerGroup:
        return cls(
            id=g.id,
            name=g.name,
            payment_terms_days=g.payment_terms_days,
            discount_percent=g.discount_percent,
            price_change_tolerance_percent=g.price_change_tolerance_percent,
            invoice_schedule=g.invoice_schedule,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[CustomerGroup | None]:
        # Staff only: the `customer_group` loader is scoped like staff accounts.
        return await _resolve_by_loader(cls, info, node_ids, "customer_group", required)


@strawberry.type(description="A postal address of a customer.")
class Address:
    kind: AddressKind
    name: str
    street: str
    postal_code: str
    city: str
    country: str = strawberry.field(description="ISO 3166-1 alpha-2 country code.")
    is_default: bool

    @classmethod
    def from_model(cls, a: m.Address) -> Address:
        return cls(
            kind=a.kind,
            name=a.name,
            street=a.street,
            postal_code=a.postal_code,
            city=a.city,
            country=a.country,
            is_default=a.is_default,
        )


@strawberry.type(
    description="Bank details of a customer (seen with VIEW_FINANCES or MANAGE_COMPANY)."
)
class BankDetails:
    account_holder: str | None
    iban: str | None
    bic: str | None


@strawberry.type(description="A customer of the shop: a company or a private person.")
class Company(relay.Node):
    id: relay.NodeID[int]
    code: str = strawberry.field(description="Customer code, also the primary account's login.")
    name: str
    legal_form: LegalForm
    portal_enabled: bool
    markup_percent: Decimal = strawberry.field(
        description="Customer-specific markup (negative: discount) applied to every price."
    )
    vat_id: str | None
    contact_name: str | None
    contact_email: str | None
    contact_phone: str | None
    language: str | None = strawberry.field(
        description="The language of mail to the company's users without their own (en, nl, "
        "de); null: English. Set with `companyNotificationDefaultsUpdate`."
    )
    own_invoice_schedule: InvoiceSchedule | None = strawberry.field(
        description="The company's own invoicing schedule; null: its customer group's."
    )
    invoice_email: str | None = strawberry.field(
        description="Where invoices are mailed; null: the contact e-mail."
    )
    _model: strawberry.Private[m.Company]

    @classmethod
    def from_model(cls, c: m.Company) -> Company:
        return cls(
            id=c.id,
            code=c.code,
            name=c.name,
            legal_form=c.legal_form,
            portal_enabled=c.portal_enabled,
            markup_percent=c.markup_percent,
            vat_id=c.vat_id,
            contact_name=c.contact_name,
            contact_email=c.contact_email,
            contact_phone=c.contact_phone,
            language=c.language,
            own_invoice_schedule=c.invoice_schedule,
            invoice_email=c.invoice_email,
            _model=c,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Company | None]:
        return await _resolve_by_loader(cls, info, node_ids, "company", required)

    @strawberry.field(
        description="Bank details; null without VIEW_FINANCES or MANAGE_COMPANY.",
        extensions=hidden_unless(SeesCompanyFinances()),
    )
    def bank_details(self) -> BankDetails | None:
        return BankDetails(
            account_holder=self._model.bank_account_holder,
            iban=self._model.bank_iban,
            bic=self._model.bank_bic,
        )

    @strawberry.field(
        description="The customer group with its terms; null for portal users.",
        extensions=hidden_unless(IsStaff()),
    )
    async def customer_group(self, info: Info) -> CustomerGroup | None:
        if self._model.customer_group_id is None:
            return None
        g = await info.context.loaders.customer_group.load(self._model.customer_group_id)
        return CustomerGroup.from_model(g) if g else None

    @strawberry.field(description="Billing and shipping addresses.")
    async def addresses(self, info: Info) -> list[Address]:
        rows = await info.context.loaders.addresses_by_company.load(self._model.id)
        return [Address.from_model(a) for a in rows]

    @strawberry.field(description="The company's portal users, by login.")
    async def users(self, info: Info) -> list[PortalUser]:
        rows = await info.context.loaders.users_by_company.load(self._model.id)
        return [PortalUser.from_model(u) for u in rows]

    @strawberry.field(description="The company's permission groups, by name.")
    async def permission_groups(self, info: Info) -> list[PermissionGroup]:
        rows = await info.context.loaders.groups_by_company.load(self._model.id)
        return [PermissionGroup.from_model(g) for g in rows]


@strawberry.type(description="A named set of rights inside one company.")
class PermissionGroup(relay.Node):
    id: relay.NodeID[int]
    name: str
    rights: list[Right]
    company_id: strawberry.Private[int]

    @classmethod
    def from_model(cls, g: m.PermissionGroup) -> PermissionGroup:
        return cls(
            id=g.id,
            name=g.name,
            rights=[DomainRight(x) for x in g.rights if x in DomainRight.__members__],
            company_id=g.company_id,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[PermissionGroup | None]:
        return await _resolve_by_loader(cls, info, node_ids, "permission_group", required)

    @strawberry.field
    async def company(self, info: Info) -> Company:
        c = await info.context.loaders.company.load(self.company_id)
        assert c is not None  # the group was loaded under the same scope
        return Company.from_model(c)


@strawberry.type(description="A login of a customer: the primary account or a sub-account.")
class PortalUser(relay.Node):
    id: relay.NodeID[int]
    login: str = strawberry.field(
        description="The customer code for the primary account, `name.customercode` otherwise."
    )
    full_name: str
    email: str
    phone: str | None = strawberry.field(
        description="Mobile number for SMS notifications (E.164); set with "
        "`notificationPreferencesUpdate`."
    )
    language: str | None = strawberry.field(
        description="The language of the user's mail (en, nl, de); null: the company's."
    )
    is_active: bool
    is_primary: bool
    company_id: strawberry.Private[int]

    @classmethod
    def from_model(cls, u: m.PortalUser) -> PortalUser:
        return cls(
            id=u.id,
            login=u.login,
            full_name=u.full_name,
            email=u.email,
            phone=u.phone,
            language=u.language,
            is_active=u.is_active,
            is_primary=u.is_primary,
            company_id=u.company_id,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[PortalUser | None]:
        return await _resolve_by_loader(cls, info, node_ids, "portal_user", required)

    @strawberry.field
    async def company(self, info: Info) -> Company:
        c = await info.context.loaders.company.load(self.company_id)
        assert c is not None
        return Company.from_model(c)

    @strawberry.field(description="The permission groups the user belongs to.")
    async def groups(self, info: Info) -> list[PermissionGroup]:
        rows = await info.context.loaders.groups_by_user.load(self.id)
        return [PermissionGroup.from_model(g) for g in rows]

    @strawberry.field(description="Effective rights: the union of the groups' rights.")
    async def rights(self, info: Info) -> list[Right]:
        viewer = info.context.viewer
        if viewer.is_portal and viewer.user_id == self.id:
            # The viewer's own rights, read with the token (fresh: domain/accounts/auth.py).
            return [DomainRight(x) for x in sorted(viewer.rights)]
        rows = await info.context.loaders.groups_by_user.load(self.id)
        granted = {x for g in rows for x in g.rights if x in DomainRight.__members__}
        return [DomainRight(x) for x in sorted(granted)]


@strawberry.type(description="A member of the shop's staff.")
class StaffUser(relay.Node):
    id: relay.NodeID[int]
    email: str
    full_name: str
    role: StaffRole
    is_active: bool

    @classmethod
    def from_model(cls, u: m.StaffUser) -> StaffUser:
        return cls(
            id=u.id, email=u.email, full_name=u.full_name, role=u.role, is_active=u.is_active
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[StaffUser | None]:
        return await _resolve_by_loader(cls, info, node_ids, "staff_user", required)


Me = Annotated[PortalUser | StaffUser, strawberry.union("Me", description="Who is logged in.")]


async def resolve_me(info: Info) -> PortalUser | StaffUser | None:
    """The logged-in user (null when anonymous)."""
    user = await current_user(info.context.uow, info.context.viewer)
    if isinstance(user, m.PortalUser):
        return PortalUser.from_model(user)
    if isinstance(user, m.StaffUser):
        return StaffUser.from_model(user)
    return None


@strawberry.type(description="A failure of an accounts mutation.")
class AccountError(UserError):
    code: AccountErrorCode
