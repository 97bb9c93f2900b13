"""Use cases for customer companies and customer groups."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import delete, func, select

from domain.accounts.errors import AccountErrorCode
from domain.accounts.models import Address, Company, CustomerGroup, PermissionGroup, PortalUser
from domain.accounts.passwords import check_password_policy, hash_password_async
from domain.accounts.policies import (
    CUSTOMER_ADMIN_ROLES,
    company_fields_for,
    company_scope,
    require_right,
    require_staff_role,
)
from domain.accounts.rights import ALL_RIGHTS, AddressKind, LegalForm, Right
from domain.accounts.validation import (
    BIC_RE,
    COUNTRY_RE,
    check_customer_code,
    check_email,
    check_max_length,
    check_required,
    iban_valid,
)
from domain.accounts.viewer import Viewer
from domain.shared.errors import DomainError, ErrorCollector, camel
from domain.shared.unset import UNSET, Unset
from domain.shared.uow import UnitOfWork

ADMIN_GROUP_NAME = "Administrators"
_NOT_NULL = frozenset({"name", "code", "legal_form", "portal_enabled", "markup_percent"})
_TEXT = frozenset({"name", "vat_id", "contact_name", "contact_phone", "bank_account_holder"})


@dataclass(frozen=True, slots=True)
class AddressData:
    kind: AddressKind
    name: str
    street: str
    postal_code: str
    city: str
    country: str
    is_default: bool = False


@dataclass(frozen=True, slots=True)
class CompanyCreate:
    code: str
    name: str
    legal_form: LegalForm
    primary_email: str
    primary_full_name: str
    primary_password: str | None = None
    portal_enabled: bool = True
    customer_group_id: int | None = None
    markup_percent: Decimal = Decimal(0)
    vat_id: str | None = None


@dataclass(slots=True)
class CompanyUpdate:
    name: str | Unset = UNSET
    code: str | Unset = UNSET
    legal_form: LegalForm | Unset = UNSET
    portal_enabled: bool | Unset = UNSET
    customer_group_id: int | Unset | None = UNSET
    markup_percent: Decimal | Unset = UNSET
    vat_id: str | Unset | None = UNSET
    contact_name: str | Unset | None = UNSET
    contact_email: str | Unset | None = UNSET
    contact_phone: str | Unset | None = UNSET
    bank_account_holder: str | Unset | None = UNSET
    bank_iban: str | Unset | None = UNSET
    bank_bic: str | Unset | None = UNSET
    addresses: list[AddressData] | Unset = field(default=UNSET)


async def get_company(
    uow: UnitOfWork, viewer: Viewer, company_id: int, field: str = "id"
) -> Company:
    """The company if the viewer may see it; else NOT_FOUND, exactly as for a missing one."""
    company: Company | None = await uow.scalar(
        select(Company).where(Company.id == company_id, company_scope(viewer, Company.id))
    )
    if company is None:
        raise DomainError.single(AccountErrorCode.NOT_FOUND, "Company not found.", field)
    return company


async def _code_taken(uow: UnitOfWork, code: str, except_id: int | None = None) -> bool:
    stmt = select(func.count()).select_from(Company).where(Company.code == code)
    if except_id is not None:
        stmt = stmt.where(Company.id != except_id)
    login_clash = select(func.count()).select_from(PortalUser).where(PortalUser.login == code)
    return bool(await uow.scalar(stmt)) or bool(await uow.scalar(login_clash))


def _check_markup(errors: ErrorCollector, value: Decimal, field: str) -> None:
    if not Decimal(-99) <= value <= Decimal(500):
        errors.add(AccountErrorCode.INVALID, "A markup lies between -99 % and 500 %.", field)


async def company_create(uow: UnitOfWork, viewer: Viewer, cmd: CompanyCreate) -> Company:
    """Staff (ADMIN, SALES) create a customer with its primary portal account (login = code)."""
    require_staff_role(viewer, CUSTOMER_ADMIN_ROLES)
    errors = ErrorCollector()
    check_customer_code(errors, cmd.code)
    check_required(errors, cmd.name, "name", "The name")
    check_required(errors, cmd.primary_full_name, "primaryFullName", "The contact name")
    check_email(errors, cmd.primary_email, "primaryEmail")
    check_max_length(errors, cmd.name, Company.name, "name")
    check_max_length(errors, cmd.primary_full_name, PortalUser.full_name, "primaryFullName")
    check_max_length(errors, cmd.vat_id, Company.vat_id, "vatId")
    _check_markup(errors, cmd.markup_percent, "markupPercent")
    if cmd.primary_password is not None:
        try:
            check_password_policy(cmd.primary_password, "primaryPassword")
        except DomainError as exc:
            errors.details.extend(exc.details)
    errors.raise_if_any()
    async with uow:
        if await _code_taken(uow, cmd.code):
            raise DomainError.single(
                AccountErrorCode.DUPLICATE_CUSTOMER_CODE,
                f"The customer code '{cmd.code}' is already taken.",
                "code",
            )
        if cmd.customer_group_id is not None and not await uow.session.get(
            CustomerGroup, cmd.customer_group_id
        ):
            raise DomainError.single(
                AccountErrorCode.NOT_FOUND, "Customer group not found.", "customerGroupId"
            )
        company = await create_company_with_primary(
            uow,
            code=cmd.code,
            name=cmd.name.strip(),
            legal_form=cmd.legal_form,
            email=cmd.primary_email,
            full_name=cmd.primary_full_name.strip(),
            password_hash=await hash_password_async(cmd.primary_password)
            if cmd.primary_password
            else "!",
            portal_enabled=cmd.portal_enabled,
            customer_group_id=cmd.customer_group_id,
            markup_percent=cmd.markup_percent,
            vat_id=cmd.vat_id,
        )
        await uow.commit()
        return company


async def create_company_with_primary(
    uow: UnitOfWork,
    *,
    code: str,
    name: str,
    legal_form: LegalForm,
    email: str,
    full_name: str,
    password_hash: str,
    portal_enabled: bool,
    customer_group_id: int | None = None,
    markup_percent: Decimal = Decimal(0),
    vat_id: str | None = None,
) -> Company:
    """Inside a command: the company, an Administrators group with every right, and the primary
    account in it. A password hash of ``!`` matches no password (set one by password reset)."""
    company = Company(
        code=code,
        name=name,
        legal_form=legal_form,
        portal_enabled=portal_enabled,
        customer_group_id=customer_group_id,
        markup_percent=markup_percent,
        vat_id=vat_id,
        contact_name=full_name,
        contact_email=email,
    )
    uow.session.add(company)
    await uow.session.flush()
    admins = PermissionGroup(
        company_id=company.id, name=ADMIN_GROUP_NAME, rights=sorted(r.value for r in ALL_RIGHTS)
    )
    primary = PortalUser(
        company_id=company.id,
        login=code,
        is_primary=True,
        full_name=full_name,
        email=email,
        password_hash=password_hash,
        groups=[admins],
    )
    uow.session.add_all([admins, primary])
    await uow.session.flush()
    uow.record_event("company.created", company.id, {"companyId": company.id, "code": code})
    return company


async def company_update(
    uow: UnitOfWork, viewer: Viewer, company_id: int, cmd: CompanyUpdate
) -> Company:
    """Staff edit everything; the company's own admins (MANAGE_COMPANY) their contact, bank
    details and addresses, not the code, portal access, customer group or markup."""
    async with uow:
        company = await get_company(uow, viewer, company_id)
        require_right(viewer, company.id, Right.MANAGE_COMPANY)
        allowed = company_fields_for(viewer)
        errors = ErrorCollector()
        changes = {
            k: getattr(cmd, k) for k in CompanyUpdate.__slots__ if getattr(cmd, k) is not UNSET
        }
        for key in changes:
            if key in _NOT_NULL and changes[key] is None:
                errors.add(AccountErrorCode.REQUIRED, "This field cannot be emptied.", camel(key))
            if key not in allowed:
                errors.add(
                    AccountErrorCode.PERMISSION_DENIED,
                    "Only the shop's staff may change this.",
                    camel(key),
                )
        if errors:
            errors.raise_if_any()
        if "code" in changes:
            check_customer_code(errors, str(changes["code"]))
        if "name" in changes:
            check_required(errors, changes["name"], "name", "The name")
        for key in _TEXT.intersection(changes):
            check_max_length(errors, changes[key], getattr(Company, key), camel(key))
        if "contact_email" in changes:
            check_email(errors, changes["contact_email"], "contactEmail")
        if "markup_percent" in changes:
            _check_markup(errors, changes["markup_percent"], "markupPercent")
        if changes.get("bank_iban") and not iban_valid(str(changes["bank_iban"])):
            errors.add(AccountErrorCode.INVALID, "The IBAN is not valid.", "bankIban")
        if changes.get("bank_bic") and not _bic_ok(str(changes["bank_bic"])):
            errors.add(AccountErrorCode.INVALID, "The BIC is not valid.", "bankBic")
        addresses = changes.pop("addresses", None)
        if addresses is not None:
            _check_addresses(errors, addresses)
        if (
            changes.get("legal_form") is LegalForm.PRIVATE_PERSON
            and company.legal_form is not LegalForm.PRIVATE_PERSON
            and await uow.scalar(
                select(func.count()).where(
                    PortalUser.company_id == company.id, PortalUser.is_primary.is_(False)
                )
            )
        ):
            errors.add(
                AccountErrorCode.SUB_ACCOUNT_FOR_PRIVATE_PERSON,
                "A company with sub-accounts cannot become a private person.",
                "legalForm",
            )
        errors.raise_if_any()
        if "code" in changes and changes["code"] != company.code:
            await _rename_code(uow, company, str(changes["code"]))
        for key, value in changes.items():
            if key in ("bank_iban", "bank_bic") and value:
                value = str(value).replace(" ", "").upper()
            if key != "code":
                setattr(company, key, value)
        if addresses is not None:
            await uow.session.execute(delete(Address).where(Address.company_id == company.id))
            uow.session.add_all(
                Address(company_id=company.id, **_address_fields(a)) for a in addresses
            )
        uow.record_event(
            "company.updated",
            company.id,
            {
                "companyId": company.id,
                "fields": sorted(changes) + (["addresses"] if addresses else []),
            },
        )
        await uow.commit()
        return company


async def _rename_code(uow: UnitOfWork, company: Company, code: str) -> None:
    """The customer code is the primary login and the suffix of sub-account logins."""
    if await _code_taken(uow, code, except_id=company.id):
        raise DomainError.single(
            AccountErrorCode.DUPLICATE_CUSTOMER_CODE,
            f"The customer code '{code}' is already taken.",
            "code",
        )
    users = await uow.scalars(select(PortalUser).where(PortalUser.company_id == company.id))
    for user in users:
        user.login = code if user.is_primary else f"{user.login.rsplit('.', 1)[0]}.{code}"
    company.code = code


def _address_fields(a: AddressData) -> dict[str, object]:
    return {
        "kind": a.kind,
        "name": a.name.strip(),
        "street": a.street.strip(),
        "postal_code": a.postal_code.strip(),
        "city": a.city.strip(),
        "country": a.country.upper(),
        "is_default": a.is_default,
    }


def _check_addresses(errors: ErrorCollector, addresses: list[AddressData]) -> None:
    for i, a in enumerate(addresses):
        for attr in ("name", "street", "postal_code", "city"):
            if not getattr(a, attr).strip():
                errors.add(
                    AccountErrorCode.REQUIRED,
                    "This address field is required.",
                    ("addresses", str(i), camel(attr)),
                )
            path = ("addresses", str(i), camel(attr))
            check_max_length(errors, getattr(a, attr), getattr(Address, attr), path)
        if not COUNTRY_RE.fullmatch(a.country.upper()):
            errors.add(
                AccountErrorCode.INVALID_COUNTRY,
                "Use a two-letter ISO country code such as DE.",
                ("addresses", str(i), "country"),
            )
    for kind in AddressKind:
        if sum(1 for a in addresses if a.kind is kind and a.is_default) > 1:
            errors.add(
                AccountErrorCode.INVALID,
                f"Only one default {kind.value.lower()} address.",
                ("addresses",),
            )


def _bic_ok(bic: str) -> bool:
    return bool(BIC_RE.fullmatch(bic.replace(" ", "").upper()))


@dataclass(frozen=True, slots=True)
class CustomerGroupData:
    name: str
    payment_terms_days: int = 30
    discount_percent: Decimal = Decimal(0)
    price_change_tolerance_percent: Decimal = Decimal(0)


async def customer_group_create(
    uow: UnitOfWork, viewer: Viewer, cmd: CustomerGroupData
) -> CustomerGroup:
    """Staff (ADMIN, SALES) define commercial terms shared by many customers."""
    require_staff_role(viewer, CUSTOMER_ADMIN_ROLES)
    errors = ErrorCollector()
    check_required(errors, cmd.name, "name", "The name")
    check_max_length(errors, cmd.name, CustomerGroup.name, "name")
    if not 0 <= cmd.payment_terms_days <= 365:
        errors.add(
            AccountErrorCode.INVALID,
            "Payment terms lie between 0 and 365 days.",
            "paymentTermsDays",
        )
    if not Decimal(0) <= cmd.discount_percent < Decimal(100):
        errors.add(
            AccountErrorCode.INVALID, "A discount lies between 0 % and 100 %.", "discountPercent"
        )
    if not Decimal(0) <= cmd.price_change_tolerance_percent <= Decimal(100):
        errors.add(
            AccountErrorCode.INVALID,
            "A tolerance lies between 0 % and 100 %.",
            "priceChangeTolerancePercent",
        )
    errors.raise_if_any()
    async with uow:
        if await uow.scalar(select(CustomerGroup.id).where(CustomerGroup.name == cmd.name.strip())):
            raise DomainError.single(
                AccountErrorCode.DUPLICATE_NAME, "A customer group of that name exists.", "name"
            )
        group = CustomerGroup(
            name=cmd.name.strip(),
            payment_terms_days=cmd.payment_terms_days,
            discount_percent=cmd.discount_percent,
            price_change_tolerance_percent=cmd.price_change_tolerance_percent,
        )
        uow.session.add(group)
        await uow.session.flush()
        await uow.commit()
        return group
