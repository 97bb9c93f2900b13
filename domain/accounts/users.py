"""Use cases for portal users (sub-accounts) and permission groups of a company."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from domain.accounts.auth import end_password_resets, revoke_user_sessions
from domain.accounts.companies import get_company
from domain.accounts.errors import AccountErrorCode
from domain.accounts.models import Company, PermissionGroup, PortalUser, portal_user_group
from domain.accounts.passwords import check_password_policy, hash_password_async
from domain.accounts.policies import company_scope, require_grantable, require_right
from domain.accounts.rights import LegalForm, Right
from domain.accounts.validation import (
    check_email,
    check_max_length,
    check_required,
    check_sub_account_name,
)
from domain.accounts.viewer import Viewer
from domain.shared.errors import DomainError, ErrorCollector
from domain.shared.unset import UNSET, Unset
from domain.shared.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class PortalUserCreate:
    company_id: int
    name: str
    full_name: str
    email: str
    password: str | None = None
    group_ids: Sequence[int] = ()


@dataclass(slots=True)
class PortalUserUpdate:
    full_name: str | Unset = UNSET
    email: str | Unset = UNSET
    is_active: bool | Unset = UNSET
    password: str | Unset = UNSET
    group_ids: Sequence[int] | Unset = UNSET


async def get_portal_user(uow: UnitOfWork, viewer: Viewer, user_id: int) -> PortalUser:
    user: PortalUser | None = await uow.scalar(
        select(PortalUser)
        .options(selectinload(PortalUser.groups))
        .where(PortalUser.id == user_id, company_scope(viewer, PortalUser.company_id))
    )
    if user is None:
        raise DomainError.single(AccountErrorCode.NOT_FOUND, "User not found.", "id")
    return user


async def _groups_of_company(
    uow: UnitOfWork, company_id: int, group_ids: Sequence[int], field: str
) -> list[PermissionGroup]:
    groups = list(
        await uow.scalars(
            select(PermissionGroup).where(
                PermissionGroup.id.in_(list(group_ids)), PermissionGroup.company_id == company_id
            )
        )
    )
    if len(groups) != len(set(group_ids)):
        # Another company's group looks exactly like a missing one.
        raise DomainError.single(AccountErrorCode.NOT_FOUND, "Permission group not found.", field)
    return groups


async def portal_user_create(uow: UnitOfWork, viewer: Viewer, cmd: PortalUserCreate) -> PortalUser:
    """A sub-account ``name.customercode``; requires MANAGE_USERS (or a customer-admin role)."""
    async with uow:
        company = await get_company(uow, viewer, cmd.company_id, "companyId")
        require_right(viewer, company.id, Right.MANAGE_USERS)
        if company.legal_form is LegalForm.PRIVATE_PERSON:
            raise DomainError.single(
                AccountErrorCode.SUB_ACCOUNT_FOR_PRIVATE_PERSON,
                "A private customer has one account only; sub-accounts are for companies.",
                "companyId",
            )
        errors = ErrorCollector()
        name = cmd.name.strip().lower()
        check_sub_account_name(errors, name)
        check_required(errors, cmd.full_name, "fullName", "The full name")
        check_max_length(errors, cmd.full_name, PortalUser.full_name, "fullName")
        check_email(errors, cmd.email)
        if cmd.password is not None:
            try:
                check_password_policy(cmd.password)
            except DomainError as exc:
                errors.details.extend(exc.details)
        errors.raise_if_any()
        login = f"{name}.{company.code}"
        if await uow.scalar(select(PortalUser.id).where(PortalUser.login == login)):
            raise DomainError.single(
                AccountErrorCode.DUPLICATE_LOGIN, f"The login '{login}' already exists.", "name"
            )
        groups = await _groups_of_company(uow, company.id, cmd.group_ids, "groupIds")
        require_grantable(viewer, _rights_of(groups), "groupIds", "A chosen group")
        user = PortalUser(
            company_id=company.id,
            login=login,
            is_primary=False,
            full_name=cmd.full_name.strip(),
            email=cmd.email.strip(),
            password_hash=await hash_password_async(cmd.password) if cmd.password else "!",
            groups=groups,
        )
        uow.session.add(user)
        await uow.session.flush()
        uow.record_event("portal_user.created", company.id, {"userId": user.id, "login": login})
        await uow.commit()
        return user


async def portal_user_update(
    uow: UnitOfWork, viewer: Viewer, user_id: int, cmd: PortalUserUpdate
) -> PortalUser:
    """Requires MANAGE_USERS. Deactivating a user ends all their sessions at once."""
    async with uow:
        user = await get_portal_user(uow, viewer, user_id)
        require_right(viewer, user.company_id, Right.MANAGE_USERS)
        errors = ErrorCollector()
        if cmd.full_name is not UNSET:
            check_required(errors, cmd.full_name, "fullName", "The full name")
            check_max_length(errors, cmd.full_name, PortalUser.full_name, "fullName")
        if cmd.email is not UNSET:
            check_email(errors, cmd.email)
        if cmd.password is not UNSET:
            try:
                check_password_policy(cmd.password)
            except DomainError as exc:
                errors.details.extend(exc.details)
        errors.raise_if_any()
        if cmd.full_name is not UNSET:
            user.full_name = cmd.full_name.strip()
        if cmd.email is not UNSET:
            user.email = cmd.email.strip()
        # Managing someone with more rights than oneself would be a way to get them.
        require_grantable(viewer, _rights_of(user.groups), "id", "This user")
        if cmd.group_ids is not UNSET:
            user.groups = await _groups_of_company(uow, user.company_id, cmd.group_ids, "groupIds")
            require_grantable(viewer, _rights_of(user.groups), "groupIds", "A chosen group")
        revoke = False
        if cmd.password is not UNSET:
            user.password_hash = await hash_password_async(cmd.password)
            await end_password_resets(uow, portal_user_id=user.id)
            revoke = True
        if cmd.is_active is not UNSET and cmd.is_active != user.is_active:
            user.is_active = cmd.is_active
            revoke = revoke or not cmd.is_active
        await uow.session.flush()
        await ensure_user_manager_remains(uow, user.company_id)
        if revoke:
            await revoke_user_sessions(uow, portal_user_id=user.id, reason="user_changed")
        uow.record_event("portal_user.updated", user.company_id, {"userId": user.id})
        await uow.commit()
        return user


def _rights_of(groups: Sequence[PermissionGroup]) -> set[str]:
    return {r for g in groups for r in g.rights}


async def ensure_user_manager_remains(uow: UnitOfWork, company_id: int) -> None:
    """A company always keeps at least one active user able to manage users."""
    managers = await uow.scalar(
        select(func.count(func.distinct(PortalUser.id)))
        .join(portal_user_group, portal_user_group.c.user_id == PortalUser.id)
        .join(PermissionGroup, PermissionGroup.id == portal_user_group.c.group_id)
        .where(
            PortalUser.company_id == company_id,
            PortalUser.is_active.is_(True),
            PermissionGroup.rights.contains([Right.MANAGE_USERS.value]),
        )
    )
    if not managers:
        raise DomainError.single(
            AccountErrorCode.LAST_USER_MANAGER,
            "This would leave the company without anyone able to manage users.",
        )


@dataclass(frozen=True, slots=True)
class PermissionGroupData:
    name: str
    rights: frozenset[Right]


def _check_group(errors: ErrorCollector, name: str) -> None:
    check_required(errors, name, "name", "The name")
    if len(name) > 120:
        errors.add(AccountErrorCode.INVALID, "At most 120 characters.", "name")


async def get_permission_group(uow: UnitOfWork, viewer: Viewer, group_id: int) -> PermissionGroup:
    group: PermissionGroup | None = await uow.scalar(
        select(PermissionGroup).where(
            PermissionGroup.id == group_id, company_scope(viewer, PermissionGroup.company_id)
        )
    )
    if group is None:
        raise DomainError.single(AccountErrorCode.NOT_FOUND, "Permission group not found.", "id")
    return group


async def _name_taken(uow: UnitOfWork, company_id: int, name: str, except_id: int | None) -> bool:
    stmt = select(PermissionGroup.id).where(
        PermissionGroup.company_id == company_id, PermissionGroup.name == name
    )
    if except_id is not None:
        stmt = stmt.where(PermissionGroup.id != except_id)
    return bool(await uow.scalar(stmt))


async def permission_group_create(
    uow: UnitOfWork, viewer: Viewer, company_id: int, cmd: PermissionGroupData
) -> PermissionGroup:
    """Requires MANAGE_GROUPS."""
    async with uow:
        company: Company = await get_company(uow, viewer, company_id, "companyId")
        require_right(viewer, company.id, Right.MANAGE_GROUPS)
        require_grantable(viewer, [r.value for r in cmd.rights], "rights", "The group")
        errors = ErrorCollector()
        _check_group(errors, cmd.name)
        errors.raise_if_any()
        if await _name_taken(uow, company.id, cmd.name.strip(), None):
            raise DomainError.single(
                AccountErrorCode.DUPLICATE_NAME, "A group of that name exists.", "name"
            )
        group = PermissionGroup(
            company_id=company.id, name=cmd.name.strip(), rights=sorted(r.value for r in cmd.rights)
        )
        uow.session.add(group)
        await uow.session.flush()
        uow.record_event("permission_group.created", company.id, {"groupId": group.id})
        await uow.commit()
        return group


async def permission_group_update(
    uow: UnitOfWork,
    viewer: Viewer,
    group_id: int,
    name: str | Unset = UNSET,
    rights: frozenset[Right] | Unset = UNSET,
) -> PermissionGroup:
    """Requires MANAGE_GROUPS. Refused if no one could manage users afterwards."""
    async with uow:
        group = await get_permission_group(uow, viewer, group_id)
        require_right(viewer, group.company_id, Right.MANAGE_GROUPS)
        require_grantable(viewer, group.rights, "id", "This group")
        if name is not UNSET:
            errors = ErrorCollector()
            _check_group(errors, name)
            errors.raise_if_any()
            if await _name_taken(uow, group.company_id, name.strip(), group.id):
                raise DomainError.single(
                    AccountErrorCode.DUPLICATE_NAME, "A group of that name exists.", "name"
                )
            group.name = name.strip()
        if rights is not UNSET:
            require_grantable(viewer, [r.value for r in rights], "rights", "The group")
            group.rights = sorted(r.value for r in rights)
        await uow.session.flush()
        await ensure_user_manager_remains(uow, group.company_id)
        uow.record_event("permission_group.updated", group.company_id, {"groupId": group.id})
        await uow.commit()
        return group


async def permission_group_delete(uow: UnitOfWork, viewer: Viewer, group_id: int) -> int:
    """Requires MANAGE_GROUPS. Refused if no one could manage users afterwards."""
    async with uow:
        group = await get_permission_group(uow, viewer, group_id)
        require_right(viewer, group.company_id, Right.MANAGE_GROUPS)
        require_grantable(viewer, group.rights, "id", "This group")
        company_id = group.company_id
        await uow.session.delete(group)
        await uow.session.flush()
        await ensure_user_manager_remains(uow, company_id)
        uow.record_event("permission_group.deleted", company_id, {"groupId": group_id})
        await uow.commit()
        return group_id
