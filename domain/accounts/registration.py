"""Self-registration (staff approve or reject), password reset, and staff accounts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, func, select, update

from domain.accounts.auth import account_key, end_password_resets
from domain.accounts.companies import _code_taken, create_company_with_primary
from domain.accounts.errors import AccountErrorCode
from domain.accounts.models import (
    AuthSession,
    CustomerGroup,
    LoginThrottle,
    PasswordResetToken,
    PortalUser,
    RegistrationRequest,
    StaffUser,
)
from domain.accounts.passwords import check_password_policy, hash_password_async
from domain.accounts.policies import CUSTOMER_ADMIN_ROLES, require_staff_role, staff_only
from domain.accounts.rights import LegalForm, StaffRole
from domain.accounts.tokens import new_opaque_token, token_digest
from domain.accounts.validation import (
    check_customer_code,
    check_email,
    check_max_length,
    check_required,
)
from domain.accounts.viewer import Viewer
from domain.shared.errors import DomainError, ErrorCollector
from domain.shared.models import utcnow
from domain.shared.uow import UnitOfWork

PENDING, APPROVED, REJECTED = "PENDING", "APPROVED", "REJECTED"


@dataclass(frozen=True, slots=True)
class RegistrationData:
    company_name: str
    legal_form: LegalForm
    contact_name: str
    email: str
    password: str
    phone: str | None = None
    vat_id: str | None = None
    message: str | None = None


async def registration_request_create(
    uow: UnitOfWork, data: RegistrationData
) -> RegistrationRequest:
    """Anyone may ask for portal access; nothing is granted until staff approve."""
    errors = ErrorCollector()
    check_required(errors, data.company_name, "companyName", "The name")
    check_required(errors, data.contact_name, "contactName", "The contact name")
    check_email(errors, data.email)
    for value, column, field in (
        (data.company_name, RegistrationRequest.company_name, "companyName"),
        (data.contact_name, RegistrationRequest.contact_name, "contactName"),
        (data.phone, RegistrationRequest.phone, "phone"),
        (data.vat_id, RegistrationRequest.vat_id, "vatId"),
    ):
        check_max_length(errors, value, column, field)
    try:
        check_password_policy(data.password)
    except DomainError as exc:
        errors.details.extend(exc.details)
    errors.raise_if_any()
    async with uow:
        req = RegistrationRequest(
            company_name=data.company_name.strip(),
            legal_form=data.legal_form,
            contact_name=data.contact_name.strip(),
            email=data.email.strip(),
            phone=data.phone,
            vat_id=data.vat_id,
            message=data.message,
            password_hash=await hash_password_async(data.password),
            status=PENDING,
        )
        uow.session.add(req)
        await uow.session.flush()
        uow.record_event("registration.requested", None, {"registrationRequestId": req.id})
        await uow.commit()
        return req


async def _pending_request(uow: UnitOfWork, viewer: Viewer, request_id: int) -> RegistrationRequest:
    req: RegistrationRequest | None = await uow.scalar(
        select(RegistrationRequest)
        .where(RegistrationRequest.id == request_id, staff_only(viewer))
        .with_for_update()
    )
    if req is None:
        raise DomainError.single(
            AccountErrorCode.NOT_FOUND, "Registration request not found.", "id"
        )
    if req.status != PENDING:
        raise DomainError.single(
            AccountErrorCode.ALREADY_DECIDED,
            f"This request was already {req.status.lower()}.",
            "id",
        )
    return req


async def registration_request_approve(
    uow: UnitOfWork,
    viewer: Viewer,
    request_id: int,
    customer_code: str,
    customer_group_id: int | None,
    login_url: str,
) -> RegistrationRequest:
    """Staff (ADMIN, SALES) assign the customer code; the applicant is told by e-mail."""
    require_staff_role(viewer, CUSTOMER_ADMIN_ROLES)
    errors = ErrorCollector()
    check_customer_code(errors, customer_code, "customerCode")
    errors.raise_if_any()
    async with uow:
        req = await _pending_request(uow, viewer, request_id)
        if await _code_taken(uow, customer_code):
            raise DomainError.single(
                AccountErrorCode.DUPLICATE_CUSTOMER_CODE,
                f"The customer code '{customer_code}' is already taken.",
                "customerCode",
            )
        if customer_group_id is not None and not await uow.session.get(
            CustomerGroup, customer_group_id
        ):
            raise DomainError.single(
                AccountErrorCode.NOT_FOUND, "Customer group not found.", "customerGroupId"
            )
        company = await create_company_with_primary(
            uow,
            code=customer_code,
            name=req.company_name,
            legal_form=req.legal_form,
            email=req.email,
            full_name=req.contact_name,
            password_hash=req.password_hash,
            portal_enabled=True,
            customer_group_id=customer_group_id,
            vat_id=req.vat_id,
        )
        company.contact_phone = req.phone
        req.status = APPROVED
        req.decided_by_id = viewer.user_id
        req.decided_at = utcnow()
        req.company_id = company.id
        uow.send_mail(
            req.email,
            "Your customer account is ready",
            f"Hello {req.contact_name},\n\nyour registration for {req.company_name} was approved.\n"
            f"Your customer code and login: {customer_code}\n"
            f"Log in with the password you chose: {login_url}\n",
        )
        await uow.commit()
        return req


async def registration_request_reject(
    uow: UnitOfWork, viewer: Viewer, request_id: int, reason: str
) -> RegistrationRequest:
    """Staff (ADMIN, SALES) reject with a reason the applicant receives by e-mail."""
    require_staff_role(viewer, CUSTOMER_ADMIN_ROLES)
    errors = ErrorCollector()
    check_required(errors, reason, "reason", "A reason")
    errors.raise_if_any()
    async with uow:
        req = await _pending_request(uow, viewer, request_id)
        req.status = REJECTED
        req.decided_by_id = viewer.user_id
        req.decided_at = utcnow()
        req.rejection_reason = reason.strip()
        uow.send_mail(
            req.email,
            "Your registration request",
            f"Hello {req.contact_name},\n\nwe cannot open a customer account for "
            f"{req.company_name} at this time.\nReason: {req.rejection_reason}\n",
        )
        await uow.commit()
        return req


async def password_reset_request(uow: UnitOfWork, login: str, ttl_s: int, reset_url: str) -> None:
    """Always answers the same way, so nobody learns which logins exist."""
    login = login.strip().lower()
    async with uow:
        user: PortalUser | StaffUser | None
        if "@" in login:
            user = await uow.scalar(
                select(StaffUser).where(func.lower(StaffUser.email) == login, StaffUser.is_active)
            )
        else:
            user = await uow.scalar(
                select(PortalUser).where(PortalUser.login == login, PortalUser.is_active)
            )
        if user is None:
            return
        token = new_opaque_token()
        uow.session.add(
            PasswordResetToken(
                token_hash=token_digest(token),
                portal_user_id=user.id if isinstance(user, PortalUser) else None,
                staff_user_id=user.id if isinstance(user, StaffUser) else None,
                expires_at=utcnow() + dt.timedelta(seconds=ttl_s),
            )
        )
        minutes = ttl_s // 60
        uow.send_mail(
            user.email,
            "Reset your password",
            f"Hello {user.full_name},\n\nsomeone asked to reset the password of {login}.\n"
            f"Set a new one within {minutes} minutes: {reset_url}?token={token}\n"
            f"Reset token: {token}\n\nIf it was not you, ignore this message.\n",
        )
        await uow.commit()


async def password_reset_confirm(uow: UnitOfWork, token: str, new_password: str) -> None:
    """Single use; sets the password and ends every session of the account."""
    check_password_policy(new_password, "newPassword")
    invalid = DomainError.single(
        AccountErrorCode.INVALID_TOKEN, "This reset link is invalid or has expired.", "token"
    )
    async with uow:
        row = await uow.scalar(
            select(PasswordResetToken)
            .where(PasswordResetToken.token_hash == token_digest(token))
            .with_for_update()
        )
        now = utcnow()
        if row is None or row.used_at is not None or row.expires_at <= now:
            raise invalid
        row.used_at = now
        user: PortalUser | StaffUser | None
        if row.portal_user_id is not None:
            user = await uow.session.get(PortalUser, row.portal_user_id)
            sessions = AuthSession.portal_user_id == row.portal_user_id
        else:
            user = await uow.session.get(StaffUser, row.staff_user_id)
            sessions = AuthSession.staff_user_id == row.staff_user_id
        if user is None or not user.is_active:
            raise invalid
        user.password_hash = await hash_password_async(new_password)
        if row.portal_user_id is not None:
            await end_password_resets(uow, portal_user_id=row.portal_user_id)
        else:
            await end_password_resets(uow, staff_user_id=row.staff_user_id)
        await uow.session.execute(
            update(AuthSession)
            .where(sessions, AuthSession.revoked_at.is_(None))
            .values(revoked_at=now, revoked_reason="password_reset")
        )
        # The throttle tells a locked-out user to reset the password: a reset unlocks the account.
        login = user.login if isinstance(user, PortalUser) else user.email.lower()
        await uow.session.execute(
            delete(LoginThrottle).where(LoginThrottle.key == account_key(login))
        )
        await uow.commit()


@dataclass(frozen=True, slots=True)
class StaffUserData:
    email: str
    full_name: str
    role: StaffRole
    password: str
    supplier_id: int | None = None  # role PARTNER: the partner supplier it acts for


async def staff_user_create(
    uow: UnitOfWork, viewer: Viewer | None, data: StaffUserData
) -> StaffUser:
    """ADMIN staff only; ``viewer=None`` is the operator's CLI on the server itself. A PARTNER
    user names its supplier (domain/quotes/partner_users.py); no other role has one."""
    check_staff_user(viewer, data)
    async with uow:
        user = await add_staff_user(uow, data)
        await uow.commit()
        return user


def check_staff_user(viewer: Viewer | None, data: StaffUserData) -> None:
    """Who may make the account and whether its data will do (no database needed)."""
    if viewer is not None:
        require_staff_role(viewer, frozenset({StaffRole.ADMIN}))
    errors = ErrorCollector()
    if (data.role is StaffRole.PARTNER) != (data.supplier_id is not None):
        errors.add(
            AccountErrorCode.INVALID,
            "Partner users are made for a supplier (partnerUserCreate); staff have none.",
            "role",
        )
    check_email(errors, data.email)
    check_required(errors, data.full_name, "fullName", "The full name")
    check_max_length(errors, data.full_name, StaffUser.full_name, "fullName")
    try:
        check_password_policy(data.password)
    except DomainError as exc:
        errors.details.extend(exc.details)
    errors.raise_if_any()


async def add_staff_user(uow: UnitOfWork, data: StaffUserData) -> StaffUser:
    """Inside a command, after ``check_staff_user``: the account (e-mail unique)."""
    email = data.email.strip().lower()
    if await uow.scalar(select(StaffUser.id).where(func.lower(StaffUser.email) == email)):
        raise DomainError.single(
            AccountErrorCode.DUPLICATE_EMAIL, "A staff user with this e-mail exists.", "email"
        )
    user = StaffUser(
        email=email,
        full_name=data.full_name.strip(),
        role=data.role,
        password_hash=await hash_password_async(data.password),
        supplier_id=data.supplier_id,
    )
    uow.session.add(user)
    await uow.session.flush()
    return user
