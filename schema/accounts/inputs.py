"""Input types of the accounts mutations."""

from __future__ import annotations

from decimal import Decimal

import strawberry
from strawberry import relay

from schema.accounts.enums import AddressKind, LegalForm, Right, StaffRole


@strawberry.input(
    description="Log in: staff with their e-mail address, portal users with their login."
)
class TokenCreateInput:
    login: str
    password: str


@strawberry.input
class AddressInput:
    kind: AddressKind
    name: str
    street: str
    postal_code: str
    city: str
    country: str = strawberry.field(description="ISO 3166-1 alpha-2, e.g. DE.")
    is_default: bool = False


@strawberry.input(description="A new customer with its primary portal account (login = code).")
class CompanyCreateInput:
    code: str = strawberry.field(
        description="Lowercase letters, digits and '-'; starts with a letter."
    )
    name: str
    legal_form: LegalForm
    primary_email: str
    primary_full_name: str
    primary_password: str | None = strawberry.field(
        default=None,
        description="Initial password; when null the customer sets one by password reset.",
    )
    portal_enabled: bool = True
    customer_group_id: relay.GlobalID | None = None
    markup_percent: Decimal = Decimal(0)
    vat_id: str | None = None


@strawberry.input(description="Fields to change; omitted fields stay as they are.")
class CompanyUpdateInput:
    id: relay.GlobalID
    name: str | None = strawberry.UNSET
    code: str | None = strawberry.field(default=strawberry.UNSET, description="Staff only.")
    legal_form: LegalForm | None = strawberry.field(
        default=strawberry.UNSET, description="Staff only."
    )
    portal_enabled: bool | None = strawberry.field(
        default=strawberry.UNSET, description="Staff only."
    )
    customer_group_id: relay.GlobalID | None = strawberry.field(
        default=strawberry.UNSET, description="Staff only."
    )
    markup_percent: Decimal | None = strawberry.field(
        default=strawberry.UNSET, description="Staff only."
    )
    vat_id: str | None = strawberry.UNSET
    contact_name: str | None = strawberry.UNSET
    contact_email: str | None = strawberry.UNSET
    contact_phone: str | None = strawberry.UNSET
    bank_account_holder: str | None = strawberry.UNSET
    bank_iban: str | None = strawberry.UNSET
    bank_bic: str | None = strawberry.UNSET
    addresses: list[AddressInput] | None = strawberry.field(
        default=strawberry.UNSET, description="When given, replaces all addresses."
    )


@strawberry.input
class CustomerGroupCreateInput:
    name: str
    payment_terms_days: int = 30
    discount_percent: Decimal = Decimal(0)
    price_change_tolerance_percent: Decimal = strawberry.field(
        default=Decimal(0),
        description="How far (in % of the gross) the final price after execution may differ "
        "before the customer must approve it.",
    )


@strawberry.input(description="A sub-account `name.customercode` of a company.")
class PortalUserCreateInput:
    company_id: relay.GlobalID
    name: str = strawberry.field(description="The part before the dot of the login.")
    full_name: str
    email: str
    password: str | None = None
    group_ids: list[relay.GlobalID] = strawberry.field(default_factory=list)


@strawberry.input(description="Fields to change; omitted fields stay as they are.")
class PortalUserUpdateInput:
    id: relay.GlobalID
    full_name: str | None = strawberry.UNSET
    email: str | None = strawberry.UNSET
    is_active: bool | None = strawberry.field(
        default=strawberry.UNSET, description="false deactivates and ends all sessions."
    )
    password: str | None = strawberry.UNSET
    group_ids: list[relay.GlobalID] | None = strawberry.UNSET


@strawberry.input
class PermissionGroupCreateInput:
    company_id: relay.GlobalID
    name: str
    rights: list[Right]


@strawberry.input
class PermissionGroupUpdateInput:
    id: relay.GlobalID
    name: str | None = strawberry.UNSET
    rights: list[Right] | None = strawberry.UNSET


@strawberry.input(description="Ask for portal access; the shop decides.")
class RegistrationRequestCreateInput:
    company_name: str
    legal_form: LegalForm
    contact_name: str
    email: str
    password: str = strawberry.field(description="The password of the future primary account.")
    phone: str | None = None
    vat_id: str | None = None
    message: str | None = None


@strawberry.input
class RegistrationRequestApproveInput:
    id: relay.GlobalID
    customer_code: str = strawberry.field(description="The customer code the shop assigns.")
    customer_group_id: relay.GlobalID | None = None


@strawberry.input
class RegistrationRequestRejectInput:
    id: relay.GlobalID
    reason: str


@strawberry.input
class PasswordResetRequestInput:
    login: str = strawberry.field(description="Portal login or staff e-mail address.")


@strawberry.input
class PasswordResetConfirmInput:
    token: str
    new_password: str


@strawberry.input
class StaffUserCreateInput:
    email: str
    full_name: str
    role: StaffRole
    password: str
